"""What a subject access download holds, gathered from every app as plain data (dicts and lists).

The same data is written as ``data.json`` and printed as ``summary.pdf``. What a family receives follows
the rules of the pages they already read (DESIGN.md privacy rule 2), more strictly for photos: story
entries shared with families, other children as "a friend" (also where a name was typed into a record),
and only the photos that show the child and no other child (the file may be passed on, and a photo
cannot be redacted). Records kept for staff only (confidential notes
recorded by staff or written by someone else, entries not shared with families, handover notes, meeting
notes for staff, reports and checks not shared yet) are counted under ``held_not_included``, so the
family knows they exist and the manager can review them for what the law lets them share.

Only this nursery's records are read: each nursery answers for what it holds.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Model, Prefetch, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from accounts.models import User
from children.absences.models import Absence
from children.access import Viewer
from children.collection.models import CollectionPassword
from children.day.models import Attendance, CareEntry, Incident
from children.medicines.models import MedicineRequest
from children.models import (
    ABOUT_ME_FIELDS,
    AllAboutMe,
    Child,
    ChildAuditEvent,
    ConfidentialNote,
    Consent,
    Guardianship,
    HomeChange,
)
from children.support_plans.models import SupportPlan, SupportReview
from core.images import finish_photo
from core.models import OutgoingMail
from keyworker.models import Consultation, KeyPersonAssignment, MeetingRequest, SessionFeedback
from keyworker.personal_plans.models import PersonalPlan
from learning_stories.clips.selectors import clip_file_name, own_clips
from learning_stories.clips.services import ready_clips
from learning_stories.faces.services import photo_file_for, refresh_faces
from learning_stories.models import (
    Assessment,
    Comment,
    NextStep,
    NotificationPreference,
    Observation,
    ProgressCheck,
    ProgressCheckArea,
)
from learning_stories.next_steps.selectors import visible_to_family
from learning_stories.story.selectors import (
    children_to_redact,
    comments_on,
    decorate,
    family_viewer,
    photo_children,
    redact,
    shared_with_families,
    with_story_details,
)
from messaging.models import AnnouncementReceipt, EmailChoice, Message
from messaging.selectors import withheld_photo_ids
from nursery.models import Nursery, StaffAbsence, StaffMember, WorkingPattern
from transitions.models import HandoverNote, OtherCarer, StarterPlan, TransitionPlan, TransitionReport

ENTRIES_PER_BATCH = 100  # story entries decorated (names, photos) at a time: bounds the memory used
SHOWN_REPORT_STATUSES = (ProgressCheck.Status.SHARED, ProgressCheck.Status.COMPLETED)


def value(obj: Model, name: str) -> Any:
    """A field as JSON: choices by their label, dates ISO 8601 (London time), people by name."""
    field_ = obj._meta.get_field(name)
    raw = getattr(obj, name)
    if getattr(field_, "choices", None) and raw not in (None, ""):
        return getattr(obj, f"get_{name}_display")()
    if isinstance(raw, datetime):
        return timezone.localtime(raw).isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, User):
        return raw.full_name
    if isinstance(raw, StaffMember):
        return raw.user.full_name
    if isinstance(raw, Model):
        return str(raw)
    return raw


def row(obj: Model, *names: str, **extra: Any) -> dict[str, Any]:
    return {**{name: value(obj, name) for name in names}, **extra}


@dataclass
class Redactor:
    """Other families' children's names in text staff typed become "a friend" (as on the story page)."""

    viewer: Viewer
    children: list[Child] = field(default_factory=list)

    def __call__(self, text: str) -> str:
        return redact(text, self.children, self.viewer)

    def within(self, data: Any) -> Any:
        """``data`` (JSON: dicts, lists, strings) with every string in it redacted."""
        if isinstance(data, str):
            return self(data)
        if isinstance(data, dict):
            return {key: self.within(item) for key, item in data.items()}
        if isinstance(data, list):
            return [self.within(item) for item in data]
        return data

    def rows(self, obj: Model, *names: str, texts: Iterable[str] = (), **extra: Any) -> dict[str, Any]:
        data = row(obj, *names, **extra)
        for name in texts:
            data[name] = self(getattr(obj, name))
        return data


def person_name(user: User | None) -> str:
    return user.full_name if user else ""


# --- The child ----------------------------------------------------------------------------------


@dataclass
class StoryPhoto:
    """A photo to copy into the ZIP (``name`` inside it) from storage: a story photo or a message's."""

    file: FieldFile
    name: str


def child_record(child: Child, *, photos: list[StoryPhoto], progress: Callable[[int, str], None]) -> dict[str, Any]:
    """Everything held about the child at their nursery that the family may have. Fills ``photos`` with
    the story photos to copy into the ZIP."""
    viewer = family_viewer(child)  # only this child is "family": a brother or sister is "a friend" too
    text = Redactor(viewer, children_to_redact([child.nursery_id]))
    progress(10, "Collecting the record")
    data: dict[str, Any] = {
        "details": {
            **row(
                child,
                "first_name",
                "last_name",
                "preferred_name",
                "date_of_birth",
                "start_date",
                "leave_date",
                "sex",
                "english_additional_language",
                "send_status",
                "funding",
            ),
            "room": child.room.name if child.room else "",
            "nursery": child.nursery.name,
        },
        "family": [
            row(link, "relationship", "has_parental_responsibility", name=link.user.full_name)
            for link in child.guardianships.select_related("user").order_by("pk")
        ],
        "key_persons": [
            row(spell, "key_person", "buddy", "starts_on", "ends_on", "reason")
            for spell in KeyPersonAssignment.objects.filter(child=child)
            .select_related("key_person__user", "buddy__user")
            .order_by("starts_on", "pk")
        ],
        "sessions_booked": [
            {"weekday": booking.get_weekday_display(), "session": booking.session.name}
            for booking in child.bookings.select_related("session").order_by("weekday", "session__starts_at")
        ],
        "emergency_contacts": [
            row(contact, "name", "relationship", "phone", "other_phone", "may_collect", "priority")
            for contact in child.emergency_contacts.all()
        ],
        # The collection password is not given out, only that one is set (it is kept as a hash).
        "collection": {
            "password_set": CollectionPassword.objects.filter(child=child).exists(),
            "may_collect": [
                row(person, "name", "relationship", "phone", "added_at", added_by=person_name(person.added_by))
                for person in child.authorised_collectors.select_related("added_by").order_by("pk")
            ],
            "one_off_collectors": [
                row(person, "day", "name", "relationship", "phone", "named_at", named_by=person_name(person.named_by))
                for person in child.one_off_collectors.select_related("named_by").order_by("day", "pk")
            ],
        },
        "all_about_me": text.within(_all_about_me(child)),
        "changes_at_home": [
            text.rows(
                change,
                "proposed_at",
                "accepted",
                "read_at",
                texts=["note"],
                changes=text.within(change.changes),
                proposed_by=person_name(change.proposed_by),
            )
            for change in HomeChange.objects.filter(child=child).select_related("proposed_by").order_by("proposed_at")
        ],
        "consents": [
            text.rows(
                consent,
                "granted",
                "recorded_at",
                texts=["note"],
                purpose=consent.purpose.name,
                recorded_by=person_name(consent.recorded_by),
            )
            for consent in Consent.objects.filter(child=child)
            .select_related("purpose", "recorded_by")
            .order_by("purpose__order", "recorded_at", "pk")
        ],
    }
    data["story"] = _story(child, viewer, text, photos, progress)
    progress(60, "Collecting assessments, checks and plans")
    data["next_steps"] = [
        text.rows(step, "status", "created_at", "closed_at", texts=["text"], area=step.area.name if step.area else "")
        for step in NextStep.objects.filter(visible_to_family(), child=child)
        .select_related("area")
        .order_by("created_at", "pk")
    ]
    data["assessments"] = [
        text.rows(
            assessment,
            "assessed_on",
            "judgement",
            texts=["rationale"],
            point=assessment.point.name,
            area=assessment.area.name if assessment.area else "",
            aspect=assessment.aspect.name if assessment.aspect else "",
            band=assessment.band.name if assessment.band else "",
            assessed_by=person_name(assessment.assessed_by),
        )
        for assessment in Assessment.objects.filter(child=child)
        .select_related("point", "area", "aspect", "band", "assessed_by")
        .order_by("point__starts_on", "area__order", "pk")
    ]
    data["progress_checks"] = _progress_checks(child, text)
    data["support_plans"] = _support_plans(child, text)
    data["personal_plans"] = _personal_plans(child, text)
    progress(70, "Collecting the care log")
    data["care_log"] = _care_log(child, text)
    data["medicines"] = _medicines(child, text)
    data["feedback"] = [
        text.rows(
            feedback,
            "day",
            "sent_at",
            texts=["summary", "note"],
            session=feedback.session.name,
            written_by=person_name(feedback.written_by),
        )
        for feedback in SessionFeedback.objects.filter(child=child, status=SessionFeedback.Status.SENT)
        .select_related("session", "written_by")
        .order_by("day", "session__starts_at")
    ]
    data["meetings"] = [
        text.rows(
            meeting,
            "status",
            "created_at",
            "booked_at",
            "preferred_times",
            texts=["message", "agreed_summary"],
            key_person=meeting.key_person.user.full_name,
            starts_at=value(meeting.slot, "starts_at") if meeting.slot else None,
            asked_by=person_name(meeting.requested_by),
        )
        for meeting in Consultation.objects.filter(child=child)
        .select_related("key_person__user", "slot", "requested_by")
        .order_by("created_at", "pk")
    ]
    data["meeting_requests"] = [  # the key person asked the family to meet
        text.rows(
            asked,
            "status",
            "urgent",
            "created_at",
            "first_time",
            "second_time",
            "third_time",
            "proposed_time",
            "answered_at",
            texts=["reason", "proposal_note"],
            key_person=asked.key_person.user.full_name,
            asked_by=person_name(asked.asked_by),
            answered_by=person_name(asked.answered_by),
        )
        for asked in MeetingRequest.objects.filter(child=child)
        .select_related("key_person__user", "asked_by", "answered_by")
        .order_by("created_at", "pk")
    ]
    data["transitions"] = _transitions(child, text)
    data["messages"] = _messages(
        Message.objects.filter(conversation__child=child), text, photos_of=child, photos=photos
    )
    data["settling_in"] = _settling_in(child, text)
    data["other_carers"] = _other_carers(child)
    progress(75, "Collecting the record history")
    data["record_history"] = [
        text.rows(event, "at", "action", texts=["what"], who=person_name(event.actor))
        for event in ChildAuditEvent.objects.filter(child=child).select_related("actor").order_by("at", "pk")
    ]
    data["held_not_included"] = _held_not_included(child)
    return data


def _all_about_me(child: Child) -> dict[str, Any]:
    about = AllAboutMe.objects.filter(child=child).first()
    if about is None:
        return {}
    return {
        **{str(label): getattr(about, name) for name, label in ABOUT_ME_FIELDS.items() if getattr(about, name)},
        "updated_at": value(about, "updated_at"),
    }


def _story(
    child: Child, viewer: Viewer, text: Redactor, photos: list[StoryPhoto], progress: Callable[[int, str], None]
) -> list[dict[str, Any]]:
    """The child's story as the family reads it, oldest first, read a batch at a time."""
    ids = list(
        Observation.objects.filter(shared_with_families(), child_links__child=child)
        .order_by("observed_at", "pk")
        .values_list("pk", flat=True)
    )
    entries = []
    for start in range(0, len(ids), ENTRIES_PER_BATCH):
        progress(
            15 + 40 * start // len(ids),
            f"Adding story entries {start + 1} to {min(start + ENTRIES_PER_BATCH, len(ids))} of {len(ids)}",
        )
        batch = list(
            with_story_details(Observation.objects.filter(pk__in=ids[start : start + ENTRIES_PER_BATCH]))
            .prefetch_related("aspects")
            .order_by("observed_at", "pk")
        )
        decorate(batch, viewer)
        comments = comments_on(batch, child)
        for entry in batch:
            # Stricter than the story page: only photos of the child alone (not with a friend, a brother or
            # a sister, whatever their consent, and not of a friend alone).
            theirs = [photo for photo in entry.shown_photos if photo_children(photo, entry) == [child]]
            for photo in theirs:
                if not photo.image:  # still being prepared: finish it now rather than leave it out
                    finish_photo(photo)
                    refresh_faces(photo)  # found just now: the prefetched faces were from before
            theirs = [photo for photo in theirs if photo.image]
            their_clips = ready_clips(own_clips(entry, child, alone=True))
            clip_files = []
            for clip in their_clips:
                photos.append(StoryPhoto(file=clip.media, name=clip_file_name(clip, entry)))
                clip_files.append(clip_file_name(clip, entry))
            files = []
            for photo in theirs:
                shown = photo_file_for(photo, viewer)  # the family's copy: faces they may not see are blurred
                if shown is None:
                    continue
                extension = (shown.name.rsplit(".", 1)[-1] if "." in shown.name else "jpg").lower()
                name = f"photos/{timezone.localtime(entry.observed_at):%Y-%m-%d}-{entry.pk}-{photo.pk}.{extension}"
                photos.append(StoryPhoto(file=shown, name=name))
                files.append(name)
            entries.append(
                {
                    "id": entry.pk,
                    "observed_at": value(entry, "observed_at"),
                    "from": value(entry, "source"),
                    "author": person_name(entry.author),
                    "children": entry.named,
                    "text": entry.shown_text,
                    "child_voice": entry.shown_voice,
                    "next_steps": [text(steps) for _, steps in entry.next_steps_shown],
                    "areas": [area.name for area in entry.areas.all()],
                    "aspects": [aspect.name for aspect in entry.aspects.all()],
                    # Leuven ratings staff recorded about the child (whether or not the nursery shows them to
                    # families); on an entry of several children a rating is nobody's in particular: left out.
                    **(
                        {"wellbeing": value(entry, "wellbeing"), "involvement": value(entry, "involvement")}
                        if len(entry.child_links.all()) == 1
                        else {"wellbeing": None, "involvement": None}
                    ),
                    "photos": files,
                    "photos_not_included": len(entry.photos.all()) - len(files),  # a copy not made: counted
                    "clips": clip_files,
                    "clips_not_included": len(entry.clips.all()) - len(their_clips),
                    "comments": [
                        {
                            "by": person_name(comment.author),
                            "at": value(comment, "created_at"),
                            "text": text(comment.text),
                        }
                        for comment in comments[entry.pk]
                    ],
                }
            )
    return entries


def _progress_checks(child: Child, text: Redactor) -> list[dict[str, Any]]:
    checks = (
        ProgressCheck.objects.filter(child=child, status__in=SHOWN_REPORT_STATUSES)
        .select_related("written_by")
        .prefetch_related(Prefetch("area_summaries", queryset=ProgressCheckArea.objects.select_related("area")))
        .order_by("checked_on", "pk")
    )
    return [
        text.rows(
            check,
            "checked_on",
            "status",
            "shared_at",
            "parent_comments",
            "health_visitor_shared_at",
            "health_visitor_shared_to",
            texts=["strengths", "less_than_expected", "setting_plan", "family_plan"],
            written_by=person_name(check.written_by),
            prime_areas=[
                {"area": part.area.name, "on_track": part.on_track, "summary": text(part.summary)}
                for part in check.area_summaries.all()
            ],
        )
        for check in checks
    ]


def _support_plans(child: Child, text: Redactor) -> list[dict[str, Any]]:
    plans = SupportPlan.objects.filter(child=child).prefetch_related(
        "targets",
        Prefetch(
            "reviews", queryset=SupportReview.objects.select_related("recorded_by").prefetch_related("progress__target")
        ),
        "contributions__author",
    )
    return [
        text.rows(
            plan,
            "title",
            "status",
            "started_on",
            "next_review_on",
            "closed_on",
            texts=["needs"],
            targets=[
                text.rows(
                    target,
                    "status",
                    "created_at",
                    texts=["what", "strategies", "setting_does", "family_does", "others_do"],
                )
                for target in plan.targets.all()
            ],
            reviews=[
                text.rows(
                    review,
                    "held_on",
                    "next_review_on",
                    texts=["what_happened", "parents_views"],
                    recorded_by=person_name(review.recorded_by),
                    progress=[
                        {"target": text(part.target.what), "progress": value(part, "progress"), "note": text(part.note)}
                        for part in review.progress.all()
                    ],
                )
                for review in plan.reviews.all()
            ],
            family_contributions=[
                row(part, "views", "works_at_home", "created_at", by=person_name(part.author))
                for part in plan.contributions.all()
            ],
        )
        for plan in plans.order_by("started_on", "pk")
    ]


def _medicines(child: Child, text: Redactor) -> list[dict[str, Any]]:
    """Each permission to give a medicine, with who gave it and when, and every dose given."""
    requests = MedicineRequest.objects.filter(child=child).select_related("consented_by", "withdrawn_by")
    return [
        text.rows(
            request,
            "medicine",
            "dose",
            "times",
            "starts_on",
            "ends_on",
            "prescribed",
            "prescribed_by",
            "had_before",
            "last_given_at",
            "long_term",
            "consented_at",
            "withdrawn_at",
            texts=["reason", "instructions"],
            health_care_plan_attached=bool(request.plan),
            permission_given_by=person_name(request.consented_by),
            withdrawn_by=person_name(request.withdrawn_by),
            doses=[
                text.rows(
                    dose,
                    "given_at",
                    "dose_given",
                    "acknowledged_at",
                    texts=["note", "outside_agreement"],
                    given_by=person_name(dose.given_by),
                    witness=person_name(dose.witness),
                    acknowledged_by=person_name(dose.acknowledged_by),
                )
                for dose in request.doses.select_related("given_by", "witness", "acknowledged_by").order_by(
                    "given_at", "pk"
                )
            ],
        )
        for request in requests.order_by("starts_on", "pk")
    ]


def _personal_plans(child: Child, text: Redactor) -> list[dict[str, Any]]:
    """Every version of the child's personal plan, oldest first, with the family's responses."""
    plans = PersonalPlan.objects.filter(child=child).prefetch_related("next_steps", "responses__author")
    return [
        text.rows(
            plan,
            "version",
            "agreed_on",
            "next_review_on",
            "created_at",
            texts=["wellbeing", "care", "interests", "focuses", "together"],
            linked_next_steps=[text(step.text) for step in plan.next_steps.all()],
            family_responses=[
                row(response, "comment", "agrees", "created_at", by=person_name(response.author))
                for response in plan.responses.all()
            ],
        )
        for plan in plans.order_by("version", "pk")
    ]


def _care_log(child: Child, text: Redactor) -> dict[str, list]:
    return {
        "attendance": [
            row(
                day,
                "day",
                "signed_in_at",
                "signed_out_at",
                "collected_by",
                signed_in_by=person_name(day.signed_in_by),
                signed_out_by=person_name(day.signed_out_by),
            )
            for day in Attendance.objects.filter(child=child)
            .select_related("signed_in_by", "signed_out_by")
            .order_by("day", "signed_in_at")
        ],
        "absences_reported": [
            text.rows(
                absence,
                "first_day",
                "last_day",
                "reason",
                "created_at",
                "cancelled_at",
                texts=["symptoms", "note"],
                reported_by=absence.reporter_name,
                recorded_by=person_name(absence.recorded_by),
            )
            for absence in Absence.objects.filter(child=child).select_related("recorded_by").order_by("first_day", "pk")
        ],
        "care": [
            text.rows(
                entry,
                "day",
                "kind",
                "at",
                "ends_at",
                "meal",
                "amount",
                "condition",
                texts=["note"],
                by=person_name(entry.by),
                sleep_checks=[value(check, "at") for check in entry.checks.all()],
            )
            for entry in CareEntry.objects.filter(child=child)
            .select_related("by")
            .prefetch_related("checks")
            .order_by("at", "pk")
        ],
        "accidents_and_incidents": [
            text.rows(
                incident,
                "kind",
                "happened_at",
                "where",
                "recorded_at",
                "acknowledged_at",
                texts=["what_happened", "first_aid", "witness"],
                recorded_by=person_name(incident.recorded_by),
                acknowledged_by=person_name(incident.acknowledged_by),
            )
            for incident in Incident.objects.filter(child=child)
            .select_related("recorded_by", "acknowledged_by")
            .order_by("happened_at", "pk")
        ],
    }


def _transitions(child: Child, text: Redactor) -> list[dict[str, Any]]:
    plans = TransitionPlan.objects.filter(child=child).select_related(
        "from_room", "to_room", "from_key_person__user", "to_key_person__user"
    )
    result = []
    for plan in plans.order_by("planned_on", "pk"):
        report = TransitionReport.objects.filter(plan=plan, status=TransitionReport.Status.SHARED).first()
        result.append(
            row(
                plan,
                "kind",
                "status",
                "planned_on",
                "receiving_setting",
                "parents_meeting_at",
                "completed_at",
                from_room=plan.from_room.name if plan.from_room else "",
                to_room=plan.to_room.name if plan.to_room else "",
                from_key_person=plan.from_key_person.user.full_name if plan.from_key_person else "",
                to_key_person=plan.to_key_person.user.full_name if plan.to_key_person else "",
                visits=[
                    text.rows(visit, "starts_at", "ends_at", "outcome", texts=["how_it_went"])
                    for visit in plan.trial_visits.order_by("starts_at")
                ],
                report=text.rows(
                    report,
                    "shared_at",
                    texts=["characteristics", "interests", "needs", "attendance", "parent_view", "child_voice"],
                    areas={code: text(words) for code, words in (report.areas or {}).items()},
                )
                if report
                else None,
            )
        )
    return result


def _messages(
    messages,
    text: Redactor,
    child_name: Callable[[Child], str] | None = None,
    *,
    photos_of: Child | None = None,
    photos: list[StoryPhoto] | None = None,
) -> list[dict[str, Any]]:
    """Messages between the family and the care team, oldest first. With ``photos_of``, a message's photo is
    copied (into ``photos``) as story photos are: only when it shows that child and no other child, and the
    family may still see it (consent). Otherwise it is only marked as attached."""
    rows = []
    messages = list(
        messages.select_related("author", "conversation__child")
        .prefetch_related("children_in_photo")
        .order_by("sent_at", "pk")
    )
    withheld = withheld_photo_ids(messages, photos_of.pk) if photos_of is not None else set()
    for message in messages:
        extra = {"child": child_name(message.conversation.child)} if child_name else {}
        if photos_of is not None and photos is not None:
            # A photo sent before who is in it was recorded names nobody: left out, like a photo with a friend.
            alone = [child.pk for child in message.children_in_photo.all()] == [photos_of.pk]
            name = ""
            if message.photo and alone and message.pk not in withheld:
                extension = (message.photo.name.rsplit(".", 1)[-1] if "." in message.photo.name else "jpg").lower()
                name = f"photos/message-{timezone.localtime(message.sent_at):%Y-%m-%d}-{message.pk}.{extension}"
                photos.append(StoryPhoto(file=message.photo, name=name))
            extra["photo_file"] = name
        rows.append(
            text.rows(
                message,
                "sent_at",
                texts=["text"],
                side="family" if message.from_family else "nursery",
                by=person_name(message.author),
                photo_attached=bool(message.photo),
                **extra,
            )
        )
    return rows


def _settling_in(child: Child, text: Redactor) -> dict[str, Any] | None:
    """The starter's settling-in plan as the family sees it (the visit's staff notes are counted, not copied)."""
    plan = StarterPlan.objects.filter(child=child).first()
    if plan is None:
        return None
    return row(
        plan,
        "visit_kind",
        "visit_on",
        "visit_by",
        "introduced_on",
        "introduced_how",
        sessions=[
            text.rows(session, "starts_at", "minutes", "outcome", texts=["note", "what_helped"])
            for session in plan.sessions.order_by("starts_at", "pk")
        ],
    )


def _other_carers(child: Child) -> list[dict[str, Any]]:
    """Who else the summary was shared with, the family's answer, each link, when it was opened and what
    the carer sent back (the carer's own words, about this child)."""
    carers = OtherCarer.objects.filter(child=child).prefetch_related("links__views", "links__notes")
    return [
        row(
            carer,
            "name",
            "role",
            "organisation",
            "email",
            "added_at",
            "consent",
            "consent_at",
            "consent_on_paper",
            links=[
                row(
                    link,
                    "created_at",
                    "expires_at",
                    "revoked_at",
                    opened=[value(view, "at") for view in link.views.all()],
                    notes=[row(note, "at", "text") for note in link.notes.all()],
                )
                for link in carer.links.all()
            ],
        )
        for carer in carers.order_by("added_at", "pk")
    ]


def _held_not_included(child: Child) -> dict[str, int]:
    """Records about the child kept for staff only: counted, not copied (see the module's note)."""
    return {
        "story_entries_not_shared_with_families": Observation.objects.filter(child_links__child=child)
        .exclude(shared_with_families())
        .count(),
        "confidential_notes": ConfidentialNote.objects.filter(child=child).count(),
        "handover_notes_between_key_persons": HandoverNote.objects.filter(plan__child=child).count(),
        "settling_in_visit_notes_for_staff": StarterPlan.objects.filter(child=child).exclude(visit_notes="").count(),
        "meeting_notes_for_staff": Consultation.objects.filter(child=child).exclude(notes="").count(),
        "progress_checks_not_shared_yet": ProgressCheck.objects.filter(child=child)
        .exclude(status__in=SHOWN_REPORT_STATUSES)
        .count(),
        "transition_reports_not_shared_yet": TransitionReport.objects.filter(plan__child=child)
        .exclude(status=TransitionReport.Status.SHARED)
        .count(),
    }


# --- The person ---------------------------------------------------------------------------------


def person_record(person: User, nursery: Nursery, *, child: Child | None = None) -> dict[str, Any]:
    """What the nursery holds about a person: their account, their links to children (family) or their posts
    (staff), and what they wrote. Children who are not theirs are never named. With ``child`` (a parent's
    download about one child and themselves), only that child is named: a brother or sister has their own
    download, and this one may be passed on."""
    links = Guardianship.objects.filter(user=person, child__nursery=nursery).select_related("child").order_by("pk")
    if child is not None:
        links = links.filter(child=child)
    links = list(links)
    own = frozenset(link.child_id for link in links)
    viewer = Viewer(user=person, is_staff=False, family_child_ids=own)
    text = Redactor(viewer, children_to_redact([nursery.pk]))
    # A download about one child holds only what the person wrote about that child; a brother's or a
    # friend's belongs to their own record. A request about the whole person keeps everything they wrote.
    about = Q(child__nursery=nursery) & (Q(child_id__in=own) if child is not None else Q())

    def child_name(child: Child) -> str:
        return child.known_as if child.pk in own else "a child"

    contributions = Observation.objects.filter(nursery=nursery, author=person, source=Observation.Source.HOME)
    if child is not None:
        contributions = contributions.filter(child_links__child_id__in=own).distinct()
    posts = list(StaffMember.objects.filter(user=person, nursery=nursery).select_related("room").order_by("pk"))
    preference = NotificationPreference.objects.filter(user=person).first()
    message_emails = EmailChoice.objects.filter(user=person).first()
    data: dict[str, Any] = {
        "account": row(person, "full_name", "known_as", "email", "phone", "date_joined", "last_login", "is_active"),
        "as_family": [
            row(
                link,
                "relationship",
                "has_parental_responsibility",
                "can_view_story",
                "can_contribute",
                "receives_feedback",
                "feedback_by_email",
                "can_collect",
                "lives_with_child",
                "address",
                child=link.child.known_as,
            )
            for link in links
        ],
        "notification_settings": {
            "story_emails": preference.get_frequency_display() if preference else "Not chosen (the default)",
            "feedback_by_email": {link.child.known_as: link.feedback_by_email for link in links},
            "message_emails": message_emails.get_frequency_display()
            if message_emails
            else "Not chosen (straight away)",
        },
        "as_staff": [
            row(
                post,
                "role",
                "job_title",
                "is_senco",
                "is_safeguarding_lead",
                "can_be_key_person",
                "qualification_level",
                "starts_on",
                "leaves_on",
                room=post.room.name if post.room else "",
                working_pattern=[
                    f"{pattern.get_weekday_display()} {pattern.session.name}"
                    for pattern in WorkingPattern.objects.filter(staff=post).select_related("session")
                ],
                absences=[
                    row(absence, "kind", "starts_on", "ends_on", "note")
                    for absence in StaffAbsence.objects.filter(staff=post).order_by("starts_on")
                ],
            )
            for post in posts
        ],
        "comments_written": [
            {
                "at": value(comment, "created_at"),
                "child": child_name(comment.child),
                "text": text(comment.text),
            }
            for comment in Comment.objects.filter(about, author=person).select_related("child").order_by("created_at")
        ],
        "home_contributions": [
            text.rows(
                entry,
                "observed_at",
                "status",
                "created_at",
                texts=["text", "child_voice"],
                children=[child_name(link.child) for link in entry.child_links.all()],
            )
            for entry in contributions.prefetch_related("child_links__child").order_by("observed_at", "pk")
        ],
        "changes_at_home_proposed": [
            text.rows(
                change,
                "proposed_at",
                "accepted",
                texts=["note"],
                changes=text.within(change.changes),
                child=child_name(change.child),
            )
            for change in HomeChange.objects.filter(about, proposed_by=person).select_related("child")
        ],
        "confidential_notes_written": [
            text.rows(note, "written_at", texts=["text"], child=child_name(note.child))
            for note in ConfidentialNote.objects.filter(
                about, written_by=person, source=ConfidentialNote.Source.FAMILY
            ).select_related("child")
        ],
        "consents_recorded": [
            text.rows(
                consent,
                "granted",
                "recorded_at",
                texts=["note"],
                purpose=consent.purpose.name,
                child=child_name(consent.child),
            )
            for consent in Consent.objects.filter(about, recorded_by=person, child_id__in=own).select_related(
                "purpose", "child"
            )
        ],
        "meetings_asked_for": [
            text.rows(
                meeting,
                "status",
                "created_at",
                texts=["message", "preferred_times"],
                child=child_name(meeting.child),
            )
            for meeting in Consultation.objects.filter(about, requested_by=person).select_related("child")
        ],
        "meeting_times_proposed": [
            text.rows(
                asked,
                "status",
                "proposed_time",
                "answered_at",
                texts=["proposal_note"],
                child=child_name(asked.child),
            )
            for asked in MeetingRequest.objects.filter(about, answered_by=person).select_related("child")
        ],
        "progress_check_comments": [
            text.rows(
                check, "checked_on", "parent_commented_at", texts=["parent_comments"], child=child_name(check.child)
            )
            for check in ProgressCheck.objects.filter(about, parent_commented_by=person).select_related("child")
        ],
        "messages_written": _messages(
            Message.objects.filter(
                Q(conversation__child_id__in=own) if child is not None else Q(conversation__child__nursery=nursery),
                author=person,
            ),
            text,
            child_name,
        ),
        "announcements_received": [
            row(
                receipt,
                "acknowledged_at",
                title=receipt.announcement.title,
                sent_at=value(receipt.announcement, "sent_at"),
            )
            for receipt in AnnouncementReceipt.objects.filter(user=person, announcement__nursery=nursery)
            .select_related("announcement")
            .order_by("announcement__sent_at", "pk")
        ],
        # An e-mail names no child in the table, so a subject about a brother is redacted, not left out.
        "emails_sent": [
            text.rows(mail, "kind", "status", "created_at", "sent_at", texts=["subject"])
            for mail in OutgoingMail.objects.filter(recipient=person, nursery_id=nursery.pk).order_by("created_at")
        ],
        "records_written_as_staff": _written_as_staff(person, nursery) if posts else {},
        "record_history": [
            text.rows(event, "at", "action", texts=["what"], child=child_name(event.child))
            for event in ChildAuditEvent.objects.filter(about, actor=person)
            .select_related("child")
            .only("at", "action", "what", "child__id", "child__first_name", "child__preferred_name")
            .order_by("at", "pk")
        ],
    }
    return data


def _written_as_staff(person: User, nursery: Nursery) -> dict[str, int]:
    """A member of staff's work about children: counted (the children's records are theirs, not the
    member of staff's)."""
    return {
        "observations": Observation.objects.filter(nursery=nursery, author=person).count(),
        "comments": Comment.objects.filter(child__nursery=nursery, author=person, by_staff=True).count(),
        "assessments": Assessment.objects.filter(child__nursery=nursery, assessed_by=person).count(),
        "care_log_entries": CareEntry.objects.filter(child__nursery=nursery, by=person).count(),
        "session_feedback": SessionFeedback.objects.filter(child__nursery=nursery, written_by=person).count(),
    }
