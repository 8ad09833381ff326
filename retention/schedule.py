"""The retention schedule: each kind of record KeyStory holds, how long it is kept, and why.

Every period is in months, counted from the kind's anchor (the record's own date, the day the child
left, the child's date of birth or the day a member of staff left). ``default`` is what a nursery gets
without choosing; ``minimum`` is the shortest the law (or statutory guidance) allows, so a nursery may
lengthen a period but never set it below ``minimum``. ``minimum=None`` means no law sets one: the
nursery may shorten it to a month. ``source`` says where each default comes from, in the words a data
protection officer or an Ofsted inspector would check; ``basis`` says whether it is law, statutory
guidance or only policy. Change a default only with its source.

Each kind lists the tables it covers (``parts``), read by ``retention.selectors`` (what is due) and
``retention.services`` (removing it). The whole child record (name, date of birth, consents, key person
history) goes last, once nothing kept for longer still needs it.
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import models
from django.utils import timezone

from children.day.models import Attendance, CareEntry, Incident
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
from keyworker.models import Consultation, SessionFeedback
from learning_stories.models import Assessment, NextStep, ObservationChild, ProgressCheck
from nursery.models import StaffMember
from transitions.models import LeaverPack, PackImport, TransitionPlan

# Anchors: what a period is counted from.
RECORD = "record"  # the record's own date
LEFT = "left"  # the child's last day at the nursery
BIRTH = "birth"  # the child's date of birth (the record's date when it is not known: never earlier)
STAFF_LEFT = "staff_left"  # the member of staff's leaving date

LAW = "Law"
GUIDANCE = "Statutory guidance"
FRAMEWORK = "EYFS statutory framework"
POLICY = "Nursery policy (no period in law)"

REMOVED = "removed"
ANONYMISED = "anonymised"

MAX_MONTHS = 100 * 12  # a century: longer is a typing slip


@dataclass(frozen=True)
class Part:
    """One table a kind covers: how to reach its nursery, its child and its date."""

    model: type[models.Model]
    nursery: str  # lookup to the nursery id
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
        return {
            RECORD: f"{span} after the record's date",
            LEFT: f"{span} after the child leaves",
            BIRTH: f"until the child is {span} old",
            STAFF_LEFT: f"{span} after the member of staff leaves",
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
        basis=LAW,
        # Limitation Act 1980 s.11 and s.28: a child hurt can bring a claim until three years after turning
        # 18 (21), plus time for a claim to be served; the EYFS (section 3) requires a record of every
        # accident and the first aid given, and insurers and HSE (RIDDOR 2013 reg. 12: 3 years for reportable
        # ones) ask nurseries to keep them until the child is 21 years and 3 months.
        source="Limitation Act 1980 (s.11 and s.28): a child can claim for an injury until 3 years after "
        "turning 18. Nurseries keep accident records until the child is 21 years and 3 months, as insurers "
        "and HSE's RIDDOR guidance expect.",
        action=REMOVED,
        parts=(child_part(Incident, dated="day"),),
    ),
    Kind(
        code="attendance",
        label="Registers and attendance",
        covers="Who was here, when they were signed in and out, and by whom.",
        anchor=RECORD,
        default=3 * 12,
        minimum=3 * 12,
        basis=FRAMEWORK,
        # EYFS statutory framework, section 3 (records): a daily record of the children cared for, their hours
        # of attendance and their key person, kept for a reasonable period; Childcare Act 2006 records that
        # Ofsted and the local authority (funded hours audits) may ask for: 3 years is the period applied.
        source="EYFS statutory framework, section 3, under the Childcare Act 2006: a daily register of "
        "children's hours of attendance and their key person. Kept 3 years for Ofsted and the local "
        "authority's checks of funded hours.",
        action=REMOVED,
        parts=(child_part(Attendance, dated="day"),),
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
        basis=GUIDANCE,
        # Keeping children safe in education (statutory guidance) and the IRMS records toolkit it points
        # settings to: child protection records are kept until the child is 25.
        source="Keeping children safe in education (statutory guidance) and the IRMS records toolkit: "
        "safeguarding and child protection records are kept until the child is 25.",
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
        basis=GUIDANCE,
        # SEND code of practice: 0 to 25 years (2015) covers a young person until 25; the IRMS toolkit keeps
        # SEN records until the child is 25.
        source="SEND code of practice: 0 to 25 years (statutory guidance) and the IRMS records toolkit: "
        "special educational needs records are kept until the child is 25.",
        action=REMOVED,
        parts=(child_part(SupportPlan, dated="started_on"),),
    ),
    Kind(
        code="child_record",
        label="The child's record and family details",
        covers="Family links and addresses, all about me, emergency contacts, bookings, daily feedback, "
        "meetings, transition plans and leaver packs; then the child's name, consents and key person "
        "history once nothing kept for longer needs them.",
        anchor=LEFT,
        default=3 * 12,
        minimum=3 * 12,
        basis=FRAMEWORK,
        # EYFS statutory framework, section 3: records about individual children kept for a reasonable
        # period after they leave; the register (3 years) names the child and their key person, so the
        # child's name, consents and key person history stay at least as long.
        source="EYFS statutory framework, section 3: children's records kept for a reasonable period after "
        "they leave. Not shorter than the register (3 years), which names the child and their key person.",
        action=REMOVED,
        parts=(Part(model=Child, nursery="nursery", child="pk"),),
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
        basis=LAW,
        # Limitation Act 1980 s.5 (6 years for claims in contract, e.g. employment); HMRC and the ICO's
        # employment practices guidance keep personnel records 6 years after employment ends.
        source="Limitation Act 1980 (s.5): 6 years for employment claims; HMRC and the ICO's employment "
        "guidance keep staff records 6 years after someone leaves.",
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
)

BY_CODE = {kind.code: kind for kind in KINDS}

# A child's record (the Child row, with consents and key person history) stays while any of these remain.
KEPT_WITH_CHILD: tuple[type[models.Model], ...] = (
    Incident,
    Attendance,
    CareEntry,
    ConfidentialNote,
    SupportPlan,
    ObservationChild,
    Assessment,
    ProgressCheck,
    NextStep,
    ChildAuditEvent,
)
# Removed when the child's record is due, even while the rows above keep the child's name.
FAMILY_DETAILS: tuple[type[models.Model], ...] = (
    AllAboutMe,
    EmergencyContact,
    HomeChange,
    Booking,
    Guardianship,
    GuardianInvitation,
    SessionFeedback,
    Consultation,
    TransitionPlan,
    LeaverPack,
    PackImport,
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
