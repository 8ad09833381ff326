"""The retention schedule: each kind of record KeyStory holds, how long it is kept, and why.

Every period is in months, counted from the kind's anchor (the record's own date, the day the child
left, the child's date of birth or the day a member of staff left). ``default`` is what a nursery gets
without choosing; ``minimum`` is the shortest the law (or statutory guidance) allows, so a nursery may
lengthen a period but never set it below ``minimum``. ``minimum=None`` means nothing sets one: the
nursery may shorten it to a month. ``source`` says where each default comes from, in the words a data
protection officer or an Ofsted inspector would check; ``basis`` says honestly whether the period is set by
law, by statutory guidance or the EYFS framework, by recognised practice (e.g. what insurers and the HSE
advise, given the Limitation Act), or only by policy. Change a default only with its source.

``SITE_KINDS`` are kept for the whole install, not per nursery (sign-in sessions and logs, invitations,
second factors of closed accounts): swept once a night with their defaults, not on a nursery's schedule.

Each kind lists the tables it covers (``parts``), read by ``retention.selectors`` (what is due) and
``retention.services`` (removing it). The whole child record (name, date of birth, consents, key person
history) goes last, once nothing kept for longer still needs it.
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from accounts.models import Invitation
from children.absences.models import Absence
from children.collection.models import AuthorisedCollector, CollectionPassword, OneOffCollector
from children.day.models import Attendance, CareEntry, Incident
from children.medicines.models import MedicineDose, MedicineRequest
from children.models import (
    AllAboutMe,
    Booking,
    Child,
    ChildAuditEvent,
    ConfidentialNote,
    EmergencyContact,
    GuardianInvitation,
    Guardianship,
    HomeChange,
)
from children.support_plans.models import SupportPlan
from core.models import OutgoingMail
from keyworker.models import Consultation, MeetingRequest, SessionFeedback
from keyworker.personal_plans.models import PersonalPlan
from learning_stories.models import Assessment, NextStep, ObservationChild, ProgressCheck
from messaging.models import Announcement, Conversation
from nursery.models import StaffMember
from privacy.models import SubjectAccessExport
from transitions.models import CarerShareLink, LeaverPack, OtherCarer, PackImport, StarterPlan, TransitionPlan

# Anchors: what a period is counted from.
RECORD = "record"  # the record's own date
LEFT = "left"  # the child's last day at the nursery
BIRTH = "birth"  # the child's date of birth (the record's date when it is not known: never earlier)
STAFF_LEFT = "staff_left"  # the member of staff's leaving date
EXPIRED = "expired"  # the record's own expiry (a session, a link)
CLOSED = "closed"  # the person's account was closed (erased): no date, due at once

FRAMEWORK = "EYFS statutory framework (the period: Ofsted's expectation)"
PRACTICE = "Recognised practice (no period in law)"
POLICY = "Nursery policy (no period in law)"

ERASED_DOMAIN = "erased.invalid"  # a closed account's address (.invalid never delivers, RFC 2606)

REMOVED = "removed"
ANONYMISED = "anonymised"

MAX_MONTHS = 100 * 12  # a century: longer is a typing slip


@dataclass(frozen=True)
class Part:
    """One table a kind covers: how to reach its nursery, its child and its date."""

    model: type[models.Model]
    nursery: str | None  # lookup to the nursery id (None: kept for the whole install)
    child: str | None = "child"  # lookup to the child id (None: not about one child)
    dated: str | None = None  # RECORD and BIRTH anchors: the record's date (DateField or DateTimeField)
    extra: models.Q = field(default_factory=models.Q)  # only these rows


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    covers: str  # what it is, as a manager reads it
    anchor: str
    default: int  # months
    minimum: int | None  # months; None: no minimum in law
    basis: str
    source: str
    action: str  # what the sweep does: REMOVED or ANONYMISED
    parts: tuple[Part, ...]
    # Why the nursery may not go below ``minimum``, ending "… sets at least": honest about law vs guidance.
    minimum_by: str = "The law"

    @property
    def per_child(self) -> bool:
        return any(part.child for part in self.parts)

    @property
    def floor(self) -> int:
        """The shortest period a nursery may choose."""
        return self.minimum if self.minimum is not None else 1

    def describe(self, months: int) -> str:
        """The period in words: "until the child is 21 years 3 months old", "3 years after the child leaves"."""
        span = months_in_words(months)
        if self.anchor == CLOSED:
            return "as soon as the account is closed"
        if self.anchor == EXPIRED and not months:
            return "as soon as it expires"
        return {
            RECORD: f"{span} after the record's date",
            LEFT: f"{span} after the child leaves",
            BIRTH: f"until the child is {span} old",
            STAFF_LEFT: f"{span} after the member of staff leaves",
            EXPIRED: f"{span} after it expires",
        }[self.anchor]


def child_part(model: type[models.Model], dated: str | None = None, child: str = "child") -> Part:
    return Part(model=model, nursery=f"{child}__nursery", child=child, dated=dated)


KINDS: tuple[Kind, ...] = (
    Kind(
        code="incidents",
        label="Accidents and incidents",
        covers="Accident and incident records, with the parent's acknowledgement.",
        anchor=BIRTH,
        default=21 * 12 + 3,
        minimum=21 * 12 + 3,
        basis=PRACTICE,
        minimum_by="Recognised practice (Limitation Act 1980; insurers and HSE guidance)",
        # The duty to record is law: EYFS statutory framework section 3 (every accident and the first aid given)
        # and, for reportable ones, RIDDOR 2013 reg. 12 (keep the record at least 3 years). The period is not
        # set by any statute: the Limitation Act 1980 (s.11 and s.28) lets a child claim for an injury until 3
        # years after turning 18, so insurers, HSE guidance and the IRMS toolkit advise keeping accident
        # records until the child is 21 years and 3 months (the extra months: time for a claim to be served).
        # KeyStory will not go below it, though it is guidance, not law.
        source="Guidance, not a period set by law. The Limitation Act 1980 (s.11 and s.28) lets a child claim "
        "for an injury until 3 years after turning 18, so insurers and HSE guidance advise keeping accident "
        "records until the child is 21 years and 3 months. Recording accidents is law (EYFS section 3; "
        "RIDDOR 2013 keeps reportable ones at least 3 years).",
        action=REMOVED,
        parts=(child_part(Incident, dated="day"),),
    ),
    Kind(
        code="medicines",
        label="Medicines",
        covers="Parents' written permission for each medicine, any health care plan attached, and each dose "
        "given with who gave and witnessed it and the parent's acknowledgement.",
        anchor=BIRTH,
        default=21 * 12 + 3,
        minimum=21 * 12 + 3,
        basis=PRACTICE,
        minimum_by="Recognised practice (Limitation Act 1980; insurers' guidance)",
        # The duty is law: EYFS statutory framework 3.45 (written permission for each medicine, a written record
        # each time one is given, the parent told the same day). No statute sets the period: a wrong dose is a
        # personal injury, which a child may claim until 3 years after turning 18 (Limitation Act 1980 s.11 and
        # s.28), so medication records are kept as accident records are, until the child is 21 years 3 months.
        source="Guidance, not a period set by law. Recording medicines is law (EYFS section 3.45: written "
        "permission for each medicine, a record of each dose, the parent told the same day). A wrong dose is an "
        "injury a child may claim for until 3 years after turning 18 (Limitation Act 1980 s.11 and s.28), so "
        "medication records are kept like accident records, until the child is 21 years and 3 months.",
        action=REMOVED,
        parts=(child_part(MedicineRequest, dated="ends_on"), child_part(MedicineDose, dated="day")),
    ),
    Kind(
        code="attendance",
        label="Registers and attendance",
        covers="Who was here, when they were signed in and out, and by whom; absences families reported, and why.",
        anchor=RECORD,
        default=3 * 12,
        minimum=3 * 12,
        basis=FRAMEWORK,
        minimum_by="The EYFS statutory framework, as Ofsted applies it,",
        # The register is law: EYFS statutory framework section 3 (made under the Childcare Act 2006) requires a
        # daily record of the children cared for, their hours of attendance and their key person, kept "for a
        # reasonable period". The framework names no number: 3 years is what Ofsted and local authorities'
        # audits of funded hours expect, and the figure earlier frameworks gave as the example.
        source="EYFS statutory framework, section 3 (under the Childcare Act 2006): a daily register of "
        "children's hours and their key person, kept for a reasonable period. The framework names no number: "
        "3 years is what Ofsted and the local authority's checks of funded hours expect.",
        action=REMOVED,
        # A reported absence is part of the register's record of the day (who was expected and why not).
        parts=(child_part(Attendance, dated="day"), child_part(Absence, dated="last_day")),
    ),
    Kind(
        code="one_off_collectors",
        label="One-off collectors",
        covers="People a family named to collect their child on one day (the register keeps who collected).",
        anchor=RECORD,
        default=3,
        minimum=None,
        basis=POLICY,
        # No period in law. The arrangement is for one day; the register records who actually collected the
        # child. A few months lets the nursery answer a question about a pick-up (UK GDPR art. 5(1)(e)).
        source="Policy, not law. A one-off arrangement is for one day and the register keeps who collected, "
        "so the family's note of the arrangement is kept 3 months after that day to answer questions.",
        action=REMOVED,
        parts=(child_part(OneOffCollector, dated="day"),),
    ),
    Kind(
        code="care_log",
        label="Daily care log",
        covers="Meals and drinks, sleep and sleep checks, nappies and toileting.",
        anchor=RECORD,
        default=3 * 12,
        minimum=None,
        basis=POLICY,
        # No statute sets a period; kept as long as the register so the care given on any registered day can
        # be shown (EYFS section 3: records kept "for a reasonable period").
        source="Policy, not law. Kept as long as the register, so the care given on any day a child was "
        "here can be shown (the EYFS asks for records to be kept for a reasonable period).",
        action=REMOVED,
        parts=(child_part(CareEntry, dated="day"),),
    ),
    Kind(
        code="story",
        label="Learning story and development records",
        covers="Story entries and photos, comments, assessments, progress checks at two and next steps.",
        anchor=LEFT,
        default=12,
        minimum=None,
        basis=POLICY,
        # Policy, not law. Both seed policies hand the learning story to the family when the child leaves
        # (and to the school, with consent, in the leaver pack); the nursery's copy is kept a year for questions.
        source="Policy, not law. The learning story goes home with the family when the child leaves (the "
        "leaver pack); the nursery keeps its copy one year after leaving to answer questions.",
        action=REMOVED,
        parts=(
            child_part(ObservationChild),
            child_part(Assessment),
            child_part(ProgressCheck),
            child_part(NextStep),
        ),
    ),
    Kind(
        code="confidential",
        label="Safeguarding and confidential notes",
        covers="What families share in confidence, and notes staff record from those conversations.",
        anchor=BIRTH,
        default=25 * 12,
        minimum=25 * 12,
        basis=PRACTICE,
        minimum_by="Safeguarding guidance (the IRMS records toolkit)",
        # Keeping children safe in education (statutory guidance) requires child protection records to be kept
        # securely and passed on, but sets no period; the IRMS records toolkit (not statutory) keeps them until
        # the child is 25, the figure local safeguarding partnerships usually point settings to.
        source="Guidance, not law. Keeping children safe in education (statutory guidance) says how to keep "
        "and pass on safeguarding records but sets no period; the IRMS records toolkit keeps them until the "
        "child is 25.",
        action=REMOVED,
        parts=(child_part(ConfidentialNote, dated="written_at"),),
    ),
    Kind(
        code="support_plans",
        label="Support plans (SEN)",
        covers="Personalised and SEN support plans, their targets, reviews and the family's contributions.",
        anchor=BIRTH,
        default=25 * 12,
        minimum=25 * 12,
        basis=PRACTICE,
        minimum_by="SEN guidance (the SEND code of practice's age range)",
        # The SEND code of practice: 0 to 25 years (statutory guidance) covers a young person until 25 but sets
        # no retention period; keeping SEN records until 25 follows that range (the IRMS toolkit, not statutory).
        source="Guidance, not law. The SEND code of practice (statutory guidance) covers a young person until "
        "25 but sets no period; SEN records are kept until the child is 25, following it and the IRMS "
        "records toolkit.",
        action=REMOVED,
        parts=(child_part(SupportPlan, dated="started_on"),),
    ),
    Kind(
        code="child_record",
        label="The child's record and family details",
        covers="Family links and addresses, all about me, emergency contacts, bookings, daily feedback, "
        "meetings, personal plans, transition plans, settling-in plans and leaver packs; then the child's name, "
        "consents and key person history once nothing kept for longer needs them.",
        anchor=LEFT,
        default=3 * 12,
        minimum=3 * 12,
        basis=FRAMEWORK,
        minimum_by="The EYFS statutory framework, as Ofsted applies it,",
        # EYFS statutory framework, section 3: records about individual children kept for a reasonable
        # period after they leave (no number given); the register (3 years, Ofsted's expectation) names the
        # child and their key person, so the child's name, consents and key person history stay as long.
        source="EYFS statutory framework, section 3: children's records kept for a reasonable period after "
        "they leave (no number given). Not shorter than the register (3 years), which names the child and "
        "their key person.",
        action=REMOVED,
        parts=(Part(model=Child, nursery="nursery", child="pk"),),
    ),
    Kind(
        code="messages",
        label="Messages with families",
        covers="Messages between a child's family and the care team, their photos and who read them.",
        anchor=LEFT,
        default=3 * 12,
        minimum=None,
        basis=POLICY,
        # No statute sets a period. Messages are part of the child's record (what the family told the key person
        # and was told back: collection, health, how the day went), so they are kept as long as that record.
        source="Policy, not law. Messages are part of the child's record (what the family told the nursery and "
        "was told), so they are kept as long as the rest of it: 3 years after the child leaves.",
        action=REMOVED,
        parts=(child_part(Conversation),),
    ),
    Kind(
        code="announcements",
        label="Announcements to families",
        covers="News sent to a room or every family, and which family members said they had read it.",
        anchor=RECORD,
        default=12,
        minimum=None,
        basis=POLICY,
        # No period in law: an announcement (a closure, a trip) is of use for a term or two; a year lets the
        # manager show a family was told.
        source="Policy, not law. Kept a year so the nursery can show a family was told (a closure, a trip), "
        "then removed with who read it.",
        action=REMOVED,
        parts=(Part(model=Announcement, nursery="nursery", child=None, dated="sent_at"),),
    ),
    Kind(
        code="record_history",
        label="Record history",
        covers="Who viewed, changed, exported or shared a child's record, and when.",
        anchor=RECORD,
        default=6 * 12,
        minimum=None,
        basis=POLICY,
        # No statute sets a period; 6 years is the limitation period for most claims (Limitation Act 1980
        # s.2 and s.5), so a complaint about who saw what can still be answered.
        source="Policy, not law. 6 years, the time limit for most claims (Limitation Act 1980), so a "
        "complaint about who saw a record can still be answered.",
        action=REMOVED,
        parts=(child_part(ChildAuditEvent, dated="at"),),
    ),
    Kind(
        code="staff",
        label="Staff records",
        covers="A former member of staff's name, contact details, photo, working pattern and absences. What "
        "they recorded about children stays, under their role.",
        anchor=STAFF_LEFT,
        default=6 * 12,
        minimum=6 * 12,
        basis=PRACTICE,
        minimum_by="Recognised practice (the Limitation Act 1980's 6 years)",
        # No statute sets a period for a whole personnel file (HMRC's rules cover payroll: 3 years after the
        # tax year). The Limitation Act 1980 s.5 allows claims in contract for 6 years, so the CIPD and the
        # ICO's employment practices guidance advise 6 years after employment ends.
        source="Recognised practice, not a period set by law: the Limitation Act 1980 (s.5) allows 6 years "
        "for claims in contract, so employment guidance keeps staff records 6 years after someone leaves.",
        action=ANONYMISED,
        parts=(Part(model=StaffMember, nursery="nursery", child=None),),
    ),
    Kind(
        code="sent_mail",
        label="Sent e-mails",
        covers="The address and subject of e-mails already sent or no longer needed (the text is cleared "
        "as soon as it is sent).",
        anchor=RECORD,
        default=1,
        minimum=None,
        basis=POLICY,
        # No period in law: the notice itself stays on KeyStory and in the family's inbox; the outbox row keeps
        # only its key (so the same notice is never sent twice), without address or subject.
        source="Policy, not law. The notice stays on KeyStory; after a month the outbox keeps only a "
        "reference, so the same e-mail is never sent twice.",
        action=ANONYMISED,
        parts=(
            Part(
                model=OutgoingMail,
                nursery="nursery_id",
                child=None,
                dated="created_at",
                extra=models.Q(status__in=[OutgoingMail.Status.SENT, OutgoingMail.Status.CANCELLED]) & ~models.Q(to=""),
            ),
        ),
    ),
    Kind(
        code="carer_links",
        label="Summaries shared with other carers",
        covers="Links a key person sent a childminder or therapist, each time they were opened (with the "
        "address) and the notes they sent back. The family's consent stays in the consent history.",
        anchor=EXPIRED,
        default=12,
        minimum=None,
        basis=POLICY,
        # No period in law. The log answers "who saw my child's summary, and when" (privacy rule 5) for a
        # year after the link ended; UK GDPR art. 5(1)(e) (storage limitation) says no longer than needed.
        source="Policy, not law. Kept a year after the link ended, so the nursery and the family can see who "
        "opened the summary and what was sent back; then removed (UK GDPR: no longer than needed).",
        action=REMOVED,
        parts=(Part(model=CarerShareLink, nursery="carer__child__nursery", child="carer__child", dated="expires_at"),),
    ),
    Kind(
        code="subject_access",
        label="Subject access downloads",
        covers="The download made for a request (the ZIP) and its row: who asked, for whom, when downloaded. "
        "The request and each download stay in the child's record history.",
        anchor=RECORD,
        default=1,
        minimum=None,
        basis=POLICY,
        # No period in law. The ZIP is a copy made for the requester; its link expires after
        # SUBJECT_ACCESS_LINK_DAYS (the privacy sweep deletes the file then). UK GDPR art. 5(1)(e) (storage
        # limitation): the copy and its row go a month after the request; the child's record history keeps
        # that the request was made and downloaded.
        source="Policy, not law. The download is a copy for the person who asked: its link expires after a "
        "few days, and the copy and its row go a month after the request (UK GDPR: no longer than needed). "
        "The record history keeps that it was asked for and downloaded.",
        action=REMOVED,
        parts=(
            Part(
                model=SubjectAccessExport,
                nursery="nursery",
                dated="requested_at",
                extra=~models.Q(status__in=[SubjectAccessExport.Status.QUEUED, SubjectAccessExport.Status.BUILDING]),
            ),
        ),
    ),
)


def _second_factor_parts() -> tuple[Part, ...]:
    """Each kind of second factor django-otp keeps, of closed accounts; none when django-otp is not installed."""
    if not apps.is_installed("django_otp"):
        return ()
    from django_otp import device_classes

    closed = models.Q(user__email__endswith=f"@{ERASED_DOMAIN}")
    return tuple(Part(model=model, nursery=None, child=None, extra=closed) for model in device_classes())


def _sign_in_log_parts() -> tuple[Part, ...]:
    if not apps.is_installed("axes"):
        return ()
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return tuple(
        Part(model=model, nursery=None, child=None, dated="attempt_time")
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


SITE_KINDS: tuple[Kind, ...] = (
    Kind(
        code="sessions",
        label="Signed-in sessions",
        covers="Expired sign-in sessions (Django's clearsessions).",
        anchor=EXPIRED,
        default=0,
        minimum=None,
        basis=POLICY,
        # No period in law: an expired session is of no use to anyone (UK GDPR art. 5(1)(e)).
        source="Policy, not law. An expired session signs nobody in: it goes the night after it expires.",
        action=REMOVED,
        parts=(Part(model=Session, nursery=None, child=None, dated="expire_date"),),
    ),
    Kind(
        code="sign_in_log",
        label="Sign-in log",
        covers="Sign-ins, sign-outs and failed attempts with address and browser (django-axes).",
        anchor=RECORD,
        default=6,
        minimum=None,
        basis=POLICY,
        # No period in law. UK GDPR art. 32 (security) asks for a way to look into a break-in and art. 5(1)(e)
        # for no longer than needed: 6 months covers a term, long enough to notice and investigate.
        source="Policy, not law. Kept 6 months to look into a suspected break-in (UK GDPR article 32), "
        "then removed (article 5: no longer than needed).",
        action=REMOVED,
        parts=_sign_in_log_parts(),
    ),
    Kind(
        code="invitations",
        label="Unused invitations",
        covers="Invitations to join that expired without being accepted, with the e-mail address.",
        anchor=EXPIRED,
        default=3,
        minimum=None,
        basis=POLICY,
        # No period in law. An expired link admits nobody; 3 months lets a manager see and resend it.
        source="Policy, not law. An expired invitation admits nobody; it is kept 3 months so a manager can "
        "see it was sent and send it again.",
        action=REMOVED,
        parts=(
            Part(
                model=Invitation,
                nursery=None,
                child="guardian_grants__child",
                dated="expires_at",
                extra=models.Q(accepted_at__isnull=True),
            ),
        ),
    ),
    Kind(
        code="second_factor",
        label="Second factors of closed accounts",
        covers="Authenticator apps, recovery codes and passkeys of accounts that have been closed.",
        anchor=CLOSED,
        default=0,
        minimum=None,
        basis=POLICY,
        # No period in law: a closed account cannot sign in, so its second factor is useless (art. 5(1)(e)).
        source="Policy, not law. A closed account cannot sign in: its second factors go the same night.",
        action=REMOVED,
        parts=_second_factor_parts(),
    ),
)

BY_CODE = {kind.code: kind for kind in (*KINDS, *SITE_KINDS)}

# A child's record (the Child row, with consents and key person history) stays while any of these remain.
KEPT_WITH_CHILD: tuple[type[models.Model], ...] = (
    Incident,
    MedicineRequest,
    MedicineDose,
    Attendance,
    CareEntry,
    ConfidentialNote,
    SupportPlan,
    ObservationChild,
    Assessment,
    ProgressCheck,
    NextStep,
    ChildAuditEvent,
    Conversation,
)
# Removed when the child's record is due, even while the rows above keep the child's name.
FAMILY_DETAILS: tuple[type[models.Model], ...] = (
    AllAboutMe,
    EmergencyContact,
    AuthorisedCollector,
    CollectionPassword,
    OneOffCollector,
    HomeChange,
    Booking,
    Guardianship,
    GuardianInvitation,
    SessionFeedback,
    Consultation,
    PersonalPlan,  # with the family's responses (cascade)
    MeetingRequest,
    TransitionPlan,
    StarterPlan,  # with its settling sessions
    LeaverPack,
    PackImport,
    OtherCarer,  # with their links, the log of views and the notes sent back
)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it is shorter: 31 May - 3 months = 28 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the nursery's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def months_in_words(months: int) -> str:
    years, rest = divmod(months, 12)
    words = []
    if years:
        words.append(f"{years} year{'s' if years != 1 else ''}")
    if rest or not years:
        words.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(words)
