"""Writes for the framework (a nursery's choice and its own statements), observations, the learning story
and the notices families receive about it."""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent, ConsentPurpose, Guardianship
from children.selectors import children_with_consent, has_consent
from children.services import record_event
from core.images import ProcessedImage, process_upload, queue_thumbnail
from core.mail import send_templated
from core.queue import Dispatch, enqueue
from nursery.models import Nursery
from nursery.selectors import managed_nursery_ids

from .models import (
    Area,
    Aspect,
    Assessment,
    AssessmentPoint,
    Band,
    Characteristic,
    Comment,
    EntryNotice,
    Framework,
    NextStep,
    NotificationPreference,
    NurseryFramework,
    Observation,
    ObservationChild,
    ObservationPhoto,
    ProgressCheck,
    ProgressCheckArea,
    ProgressCheckNotice,
    Statement,
)

logger = logging.getLogger(__name__)


def choose_framework(*, nursery: Nursery, framework: Framework, chosen_by: User) -> NurseryFramework:
    """Use another framework for new observations; old ones keep the statements they were tagged with."""
    if framework.superseded_by_id is not None:
        raise ValidationError("This version of the framework has been replaced; choose the newer one.")
    choice, _ = NurseryFramework.objects.update_or_create(
        nursery=nursery, defaults={"framework": framework, "chosen_by": chosen_by}
    )
    return choice


def _check_fits(*, area: Area, band: Band, aspect: Aspect | None) -> None:
    if band.framework_id != area.framework_id:
        raise ValidationError("The age band and the area belong to different frameworks.")
    if aspect is not None and aspect.area_id != area.pk:
        raise ValidationError("That early learning goal belongs to another area.")


def add_statement(
    *, nursery: Nursery, area: Area, band: Band, text: str, created_by: User, aspect: Aspect | None = None
) -> Statement:
    """A nursery's own statement, offered alongside the framework's."""
    _check_fits(area=area, band=band, aspect=aspect)
    return Statement.objects.create(
        nursery=nursery, area=area, band=band, aspect=aspect, text=text.strip(), created_by=created_by
    )


def is_in_use(statement: Statement) -> bool:
    """Whether anything (an observation, an assessment…) points at the statement.

    Asked of every model that refers to statements, so apps above this one need not be named here.
    """
    for relation in Statement._meta.related_objects:
        if relation.related_model is Statement:
            continue
        if relation.related_model._default_manager.filter(**{relation.field.name: statement}).exists():
            return True
    return False


@transaction.atomic
def edit_statement(*, statement: Statement, text: str, aspect: Aspect | None, edited_by: User) -> Statement:
    """Reword a nursery's own statement.

    Once something is tagged with it, the old wording stays for those records: the new wording becomes
    a new statement that replaces it, and the old one is retired.
    """
    if not statement.is_own:
        raise ValidationError("Statements from the framework cannot be changed; add your own instead.")
    _check_fits(area=statement.area, band=statement.band, aspect=aspect)
    if not is_in_use(statement):
        statement.text, statement.aspect = text.strip(), aspect
        statement.save(update_fields=["text", "aspect"])
        return statement
    replacement = Statement.objects.create(
        nursery_id=statement.nursery_id,
        area=statement.area,
        band=statement.band,
        aspect=aspect,
        text=text.strip(),
        created_by=edited_by,
        replaces=statement,
        order=statement.order,
    )
    retire_statement(statement=statement)
    return replacement


def retire_statement(*, statement: Statement) -> None:
    """Stop offering a nursery's own statement; what was tagged with it keeps it."""
    if not statement.is_own:
        raise ValidationError("Statements from the framework cannot be retired.")
    if statement.retired_at is None:
        statement.retired_at = timezone.now()
        statement.save(update_fields=["retired_at"])


def restore_statement(*, statement: Statement) -> None:
    statement.retired_at = None
    statement.save(update_fields=["retired_at"])


# --- Observations ---------------------------------------------------------------------------------


@dataclass
class ObservationData:
    """What the capture page sends, already checked against what the author may tag."""

    observed_at: datetime
    text: str = ""
    child_voice: str = ""
    children: list[Child] = field(default_factory=list)
    next_steps: dict[int, str] = field(default_factory=dict)
    staff_only: bool = False
    framework: Framework | None = None
    areas: list[Area] = field(default_factory=list)
    aspects: list[Aspect] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    characteristics: list[Characteristic] = field(default_factory=list)
    # Photo id -> who is in it, for photos where the author changed the default (the tagged children).
    photo_children: dict[int, list[Child]] = field(default_factory=dict)
    # Open next steps of the tagged children that this observation shows achieved (closed when it is shared).
    achieved_steps: list[int] = field(default_factory=list)


def _audit(observation: Observation, children: list[Child], actor: User | None, action: str, what: str) -> None:
    for child in children:
        record_event(child=child, actor=actor, action=action, what=f"{what} (observation {observation.pk})")


@transaction.atomic
def save_draft(*, author: User, nursery: Nursery, client_key: uuid.UUID, data: ObservationData) -> Observation:
    """Create or update the author's draft identified by the capture page's key.

    Saving again with the same key (an autosave, a retried or double-tapped submit) updates the same
    observation. Once submitted, the observation is no longer changed by a late autosave.
    """
    observation, created = Observation.objects.select_for_update().get_or_create(
        client_key=client_key,
        defaults={"author": author, "nursery": nursery, "observed_at": data.observed_at},
    )
    if observation.author_id != author.pk or observation.nursery_id != nursery.pk:
        raise Observation.DoesNotExist  # someone else's key: the view answers 404
    if not observation.is_editable:
        return observation
    observation.observed_at = data.observed_at
    observation.text = data.text
    observation.child_voice = data.child_voice
    observation.staff_only = data.staff_only
    observation.framework = data.framework
    observation.save()
    _set_children(observation, data.children, data.next_steps)
    observation.areas.set(data.areas)
    observation.aspects.set(data.aspects)
    observation.statements.set(data.statements)
    observation.characteristics.set(data.characteristics)
    _set_photo_children(observation, data)
    set_achieved_steps(observation=observation, step_ids=data.achieved_steps)
    if created:
        _audit(observation, data.children, author, ChildAuditEvent.Action.CREATED, "Observation started")
    return observation


def _set_children(observation: Observation, children: list[Child], next_steps: dict[int, str]) -> None:
    keep = {child.pk for child in children}
    observation.child_links.exclude(child_id__in=keep).delete()
    existing = {link.child_id: link for link in observation.child_links.all()}
    for child in children:
        steps = next_steps.get(child.pk, "").strip()
        link = existing.get(child.pk)
        if link is None:
            ObservationChild.objects.create(observation=observation, child=child, next_steps=steps)
        elif link.next_steps != steps:
            link.next_steps = steps
            link.save(update_fields=["next_steps"])


def _set_photo_children(observation: Observation, data: ObservationData) -> None:
    tagged = {child.pk for child in data.children}
    for photo in observation.photos.all():
        chosen = data.photo_children.get(photo.pk)
        if chosen is not None and {c.pk for c in chosen} != tagged:
            photo.children.set(chosen)
            photo.children_chosen = True
        else:
            photo.children.set(data.children)
            photo.children_chosen = False
        photo.save(update_fields=["children_chosen"])


def photo_consent_problems(observation: Observation) -> list[str]:
    """Children shown in a photo whose family has not agreed to photos in their own story."""
    in_photos: dict[int, Child] = {}
    for photo in observation.photos.prefetch_related("children"):
        in_photos.update({child.pk: child for child in photo.children.all()})
    allowed = children_with_consent(in_photos, ConsentPurpose.PHOTOS_OWN_STORY)
    return [
        f"{child.known_as}'s family has not agreed to photos in {child.known_as}'s learning story. "
        f"Untick {child.known_as} in the photo, or remove the photo."
        for pk, child in in_photos.items()
        if pk not in allowed
    ]


def submission_problems(observation: Observation) -> list[str]:
    problems = []
    if not observation.child_links.exists():
        problems.append("Choose at least one child.")
    if not observation.text.strip() and not observation.photos.exists():
        problems.append("Write what happened, or add a photo.")
    return problems + photo_consent_problems(observation)


@transaction.atomic
def submit(*, observation: Observation, by: User) -> Observation:
    """Send a draft to a manager, or share it straight away when the nursery does not review.

    Submitting twice is harmless: an observation already submitted is returned unchanged.
    """
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if not observation.is_editable:
        return observation
    problems = submission_problems(observation)
    if problems:
        raise ValidationError(problems)
    observation.submitted_at = timezone.now()
    observation.review_comment = ""
    reviews = observation.nursery.observations_need_review and not observation.staff_only
    if reviews and not _manages(by, observation.nursery):
        observation.status = Observation.Status.AWAITING_REVIEW
        observation.save(update_fields=["status", "submitted_at", "review_comment", "updated_at"])
        _audit(observation, _children(observation), by, ChildAuditEvent.Action.CHANGED, "Observation sent for review")
        return observation
    return _publish(observation, by)


def _manages(user: User, nursery: Nursery) -> bool:
    return managed_nursery_ids(user).filter(nursery_id=nursery.pk).exists()


def _children(observation: Observation) -> list[Child]:
    return [link.child for link in observation.child_links.select_related("child")]


def _publish(observation: Observation, by: User) -> Observation:
    observation.status = Observation.Status.PUBLISHED
    observation.published_at = timezone.now()
    observation.reviewed_by = by if observation.author_id != by.pk else observation.reviewed_by
    observation.save()
    _audit(observation, _children(observation), by, ChildAuditEvent.Action.CHANGED, "Observation shared")
    steps_from_observation(observation=observation, by=by)
    notify_families(observation=observation)
    return observation


@transaction.atomic
def publish(*, observation: Observation, by: User) -> Observation:
    """A manager shares an observation waiting for review (publishing twice changes nothing)."""
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.status != Observation.Status.AWAITING_REVIEW:
        return observation
    problems = photo_consent_problems(observation)
    if problems:
        raise ValidationError(problems)
    return _publish(observation, by)


@transaction.atomic
def return_for_changes(*, observation: Observation, by: User, comment: str) -> Observation:
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.status != Observation.Status.AWAITING_REVIEW:
        return observation
    observation.status = Observation.Status.RETURNED
    observation.review_comment = comment.strip()
    observation.reviewed_by = by
    observation.save()
    _audit(observation, _children(observation), by, ChildAuditEvent.Action.CHANGED, "Observation returned")
    return observation


@transaction.atomic
def add_photo(*, observation: Observation, upload: UploadedFile, by: User) -> tuple[ObservationPhoto, Dispatch]:
    """Check, clean and store one photo (raises ``core.images.ImageRejected`` with a message to show).

    The thumbnail is made in the background; pages show a placeholder until it is ready.
    """
    return _store_photo(observation, process_upload(upload), by=by, children=observation.children.all())


def _store_photo(
    observation: Observation,
    image: ProcessedImage,
    *,
    by: User,
    children: Iterable[Child],
    chosen: bool = False,
) -> tuple[ObservationPhoto, Dispatch]:
    """Save a cleaned photo with who is in it (``chosen``: named on purpose), and queue its thumbnail."""
    photo = ObservationPhoto(
        observation=observation, uploaded_by=by, width=image.width, height=image.height, children_chosen=chosen
    )
    photo.image.save("photo.jpg", image.as_file(), save=False)
    photo.save()
    photo.children.set(children)
    return photo, queue_thumbnail(photo)


def remove_photo(*, photo: ObservationPhoto) -> None:
    if not photo.observation.is_editable:
        raise ValidationError("This observation has been sent: its photos can no longer be removed here.")
    for file in (photo.image, photo.thumbnail):
        if file:
            file.delete(save=False)
    photo.delete()


@transaction.atomic
def add_home_contribution(
    *, child: Child, author: User, text: str, observed_at: datetime, photos: list[UploadedFile]
) -> Observation:
    """A family's entry from home: shared at once with staff and the child's own family.

    Photos are checked first, so a rejected photo saves nothing and the form keeps what was typed.
    """
    processed = [process_upload(upload) for upload in photos]
    entry = Observation.objects.create(
        nursery=child.nursery,
        source=Observation.Source.HOME,
        author=author,
        text=text.strip(),
        observed_at=observed_at,
        status=Observation.Status.PUBLISHED,
        submitted_at=timezone.now(),
        published_at=timezone.now(),
    )
    ObservationChild.objects.create(observation=entry, child=child)
    for image in processed:
        _store_photo(entry, image, by=author, children=[child], chosen=True)
    record_event(child=child, actor=author, action=ChildAuditEvent.Action.CREATED, what="Home contribution added")
    return entry


@transaction.atomic
def tag_entry(*, observation: Observation, by: User, areas: list[Area], aspects: list[Aspect]) -> Observation:
    """Staff tag the areas of a family's home contribution, which also counts as reading it."""
    observation.areas.set(areas)
    observation.aspects.set(aspects)
    if observation.read_at is None:
        observation.read_at = timezone.now()
        observation.save(update_fields=["read_at", "updated_at"])
    _audit(observation, _children(observation), by, ChildAuditEvent.Action.CHANGED, "Areas tagged")
    return observation


def add_comment(*, observation: Observation, child: Child, author: User, text: str, by_staff: bool) -> Comment:
    comment = Comment.objects.create(
        observation=observation,
        child=child,
        author=author,
        text=text.strip(),
        by_staff=by_staff,
        read_at=timezone.now() if by_staff else None,
    )
    record_event(child=child, actor=author, action=ChildAuditEvent.Action.CHANGED, what="Comment on the story")
    return comment


def mark_read(*, comment_ids: list[int], entry_ids: list[int]) -> int:
    now = timezone.now()
    return Comment.objects.filter(pk__in=comment_ids, read_at__isnull=True).update(read_at=now) + (
        Observation.objects.filter(pk__in=entry_ids, read_at__isnull=True).update(read_at=now)
    )


def set_review_policy(*, nursery: Nursery, need_review: bool) -> None:
    nursery.observations_need_review = need_review
    nursery.save(update_fields=["observations_need_review"])


def set_notification_frequency(*, user: User, frequency: str) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(user=user, defaults={"frequency": frequency})
    return preference


# --- Notices to families ------------------------------------------------------------------------


def frequency_of(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.frequency if preference else NotificationPreference.Frequency.DAILY


def notify_families(*, observation: Observation) -> None:
    """Note who should hear of a newly shared entry; e-mail at once those who asked for it."""
    if observation.staff_only or observation.status != Observation.Status.PUBLISHED or observation.is_home:
        return
    links = list(Guardianship.objects.filter(child__observation_links__observation=observation, can_view_story=True))
    chosen = dict(  # only these families' choices; without one, a family gets the daily digest
        NotificationPreference.objects.filter(user_id__in={link.user_id for link in links}).values_list(
            "user_id", "frequency"
        )
    )
    from .tasks import send_entry_notices

    for link in links:
        frequency = chosen.get(link.user_id, NotificationPreference.Frequency.DAILY)
        if frequency == NotificationPreference.Frequency.OFF:
            continue
        _, created = EntryNotice.objects.get_or_create(
            recipient_id=link.user_id, observation=observation, defaults={"child_id": link.child_id}
        )
        if created and frequency == NotificationPreference.Frequency.IMMEDIATE:
            enqueue(send_entry_notices, link.user_id)


def send_notices(*, recipient_id: int, frequency: str) -> int:
    """E-mail one person their unsent notices (one entry, or a digest). Returns how many entries were sent.

    Notices are claimed before the e-mail goes and released if it fails, so two workers never send
    the same entry and a failure leaves it for the next run.
    """
    with transaction.atomic():
        pending = list(
            EntryNotice.objects.select_for_update()
            .filter(recipient_id=recipient_id, sent_at__isnull=True)
            .select_related("recipient", "child", "observation")
        )
        if not pending or frequency_of(pending[0].recipient) != frequency:
            return 0
        now = timezone.now()
        EntryNotice.objects.filter(pk__in=[n.pk for n in pending], sent_at__isnull=True).update(sent_at=now)
    recipient = pending[0].recipient
    context = {
        "recipient": recipient,
        "notices": pending,
        "links": [
            (n, f"{settings.SITE_URL}{reverse('stories:observation', args=[n.observation_id])}") for n in pending
        ],
        "digest": frequency == NotificationPreference.Frequency.DAILY,
    }
    try:
        send_templated("learning_stories/email/new_entries", context, [recipient.email])
    except OSError:
        EntryNotice.objects.filter(pk__in=[n.pk for n in pending]).update(sent_at=None)
        raise
    if context["digest"]:
        NotificationPreference.objects.update_or_create(user=recipient, defaults={"last_digest_at": now})
    return len(pending)


def recipients_waiting(frequency: str) -> list[int]:
    """People with unsent notices who chose this frequency (daily is also the default).

    Daily: only people whose last digest is more than 20 hours old, so running the job often is harmless.
    """
    waiting = EntryNotice.objects.filter(sent_at__isnull=True)
    if frequency == NotificationPreference.Frequency.DAILY:
        recent = timezone.now() - timedelta(hours=20)
        waiting = waiting.exclude(
            recipient_id__in=NotificationPreference.objects.filter(
                ~Q(frequency=frequency) | Q(last_digest_at__gt=recent)
            ).values("user_id")
        )
    else:
        waiting = waiting.filter(
            recipient_id__in=NotificationPreference.objects.filter(frequency=frequency).values("user_id")
        )
    return sorted(set(waiting.values_list("recipient_id", flat=True)))


# --- Next steps -----------------------------------------------------------------------------------


def steps_from_observation(*, observation: Observation, by: User | None) -> list[NextStep]:
    """Make each child's next steps typed on a shared observation an open next step, and close the steps
    it shows achieved.

    Idempotent: one step per observation and child, found again on a second run. While a step is still
    open its wording follows the observation's; emptied, it is dropped. Achieved or dropped steps stay.
    """
    if observation.status != Observation.Status.PUBLISHED:
        return []
    existing = {step.child_id: step for step in NextStep.objects.filter(observation=observation)}
    made = []
    for link in observation.child_links.all():
        text = link.next_steps.strip()
        step = existing.get(link.child_id)
        if step is None and text:
            made.append(
                NextStep.objects.create(
                    child_id=link.child_id,
                    text=text,
                    observation=observation,
                    set_by=observation.author or by,
                    created_at=observation.published_at or timezone.now(),
                )
            )
        elif step is not None and step.status == NextStep.Status.OPEN and step.text != text:
            step.text = text or step.text
            step.status = NextStep.Status.OPEN if text else NextStep.Status.DROPPED
            step.closed_at = None if text else timezone.now()
            step.save(update_fields=["text", "status", "closed_at"])
    _close_claimed(observation)
    return made


def set_achieved_steps(*, observation: Observation, step_ids: Iterable[int]) -> list[NextStep]:
    """Record which open next steps this observation shows achieved: only steps of the children in it.

    A draft only claims them (``achieved_by``, still open); sharing the observation closes them, so a
    family never reads "achieved" before they can read the entry that shows it.
    """
    wanted = {int(pk) for pk in step_ids}
    allowed = NextStep.objects.filter(
        status=NextStep.Status.OPEN, child__observation_links__observation=observation
    ).exclude(observation=observation)
    chosen = list(allowed.filter(pk__in=wanted))
    if len(chosen) != len(wanted):
        raise ValidationError("Only the open next steps of the children in this observation can be marked achieved.")
    NextStep.objects.filter(achieved_by=observation, status=NextStep.Status.OPEN).exclude(pk__in=wanted).update(
        achieved_by=None
    )
    NextStep.objects.filter(pk__in=wanted).update(achieved_by=observation)
    if observation.status == Observation.Status.PUBLISHED:
        _close_claimed(observation)
    return chosen


def _close_claimed(observation: Observation) -> None:
    steps = list(NextStep.objects.filter(achieved_by=observation, status=NextStep.Status.OPEN).select_related("child"))
    for step in steps:
        record_event(
            child=step.child,
            actor=observation.author,
            action=ChildAuditEvent.Action.CHANGED,
            what=f"Next step achieved (observation {observation.pk})",
        )
    NextStep.objects.filter(pk__in=[s.pk for s in steps]).update(
        status=NextStep.Status.ACHIEVED, closed_at=timezone.now()
    )


def add_next_step(
    *, child: Child, text: str, by: User, area: Area | None = None, assessment: Assessment | None = None
) -> NextStep:
    """A next step staff set by hand, perhaps from one of the child's assessments."""
    if not text.strip():
        raise ValidationError("Write the next step.")
    if assessment is not None and assessment.child_id != child.pk:
        raise ValidationError("That assessment is about another child.")
    step = NextStep.objects.create(
        child=child,
        text=text.strip(),
        area=area or (assessment.area if assessment else None),
        assessment=assessment,
        set_by=by,
    )
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CREATED, what="Next step set")
    return step


def drop_next_step(*, step: NextStep, by: User) -> NextStep:
    """Staff decide a step is no longer needed; an achieved step stays achieved."""
    if step.status == NextStep.Status.OPEN:
        step.status, step.closed_at, step.achieved_by = NextStep.Status.DROPPED, timezone.now(), None
        step.save(update_fields=["status", "closed_at", "achieved_by"])
        record_event(child=step.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Next step dropped")
    return step


# --- The progress check at age two ---------------------------------------------------------------


def _check_event(check: ProgressCheck, by: User | None, action: str, what: str) -> None:
    record_event(child=check.child, actor=by, action=action, what=f"Progress check at two: {what}")


@transaction.atomic
def start_progress_check(*, child: Child, by: User, prime_areas: list[Area]) -> ProgressCheck:
    """The child's draft check (a new one with a row per prime area, or the draft already started)."""
    Child.objects.select_for_update().filter(pk=child.pk).first()  # two "Start" taps make one draft
    check = ProgressCheck.objects.filter(child=child, status=ProgressCheck.Status.DRAFT).first()
    if check is None:
        check = ProgressCheck.objects.create(child=child, written_by=by)
        ProgressCheckArea.objects.bulk_create(
            ProgressCheckArea(progress_check=check, area=area) for area in prime_areas
        )
        _check_event(check, by, ChildAuditEvent.Action.CREATED, "started")
    return check


@dataclass
class CheckText:
    checked_on: date
    strengths: str
    less_than_expected: str
    setting_plan: str
    family_plan: str
    # area id -> (summary, progress as expected: True / False / None not yet decided)
    areas: dict[int, tuple[str, bool | None]]


@transaction.atomic
def save_progress_check(*, check: ProgressCheck, text: CheckText, by: User) -> ProgressCheck:
    """Save what the key person wrote. A check the family has seen is not rewritten behind their back."""
    check = ProgressCheck.objects.select_for_update().get(pk=check.pk)  # a colleague may have shared it
    if check.status != ProgressCheck.Status.DRAFT:
        raise ValidationError("This check has been shared with the family, so it can no longer be changed.")
    check.checked_on = text.checked_on
    check.strengths = text.strengths
    check.less_than_expected = text.less_than_expected
    check.setting_plan = text.setting_plan
    check.family_plan = text.family_plan
    check.save(
        update_fields=["checked_on", "strengths", "less_than_expected", "setting_plan", "family_plan", "updated_at"]
    )
    for row in check.area_summaries.all():
        if row.area_id in text.areas:
            row.summary, row.on_track = text.areas[row.area_id]
            row.save(update_fields=["summary", "on_track"])
    _check_event(check, by, ChildAuditEvent.Action.CHANGED, "draft saved")
    return check


def check_sharing_problems(check: ProgressCheck) -> list[str]:
    """What is missing before the family can be given the check."""
    problems = []
    rows = list(check.area_summaries.select_related("area"))
    for row in rows:
        if not row.summary.strip():
            problems.append(f"Write a summary for {row.area.name}.")
        if row.on_track is None:
            problems.append(f"Say whether progress in {row.area.name} is as expected.")
    if not check.strengths.strip():
        problems.append("Write what the child is good at.")
    if any(row.on_track is False for row in rows) and not check.less_than_expected.strip():
        problems.append("Progress is not as expected in an area: say where, and what the nursery will do.")
    if not check.setting_plan.strip():
        problems.append("Write what the nursery will do next.")
    return problems


def _family_with_responsibility(check: ProgressCheck) -> list[Guardianship]:
    return list(check.child.guardianships.filter(has_parental_responsibility=True).select_related("user"))


@transaction.atomic
def share_progress_check(*, check: ProgressCheck, by: User) -> list[Dispatch]:
    """Give the finished check to the family: on their pages now, and one e-mail each (a task)."""
    from .tasks import send_progress_check_notice

    check = ProgressCheck.objects.select_for_update().get(pk=check.pk)
    if check.status != ProgressCheck.Status.DRAFT:
        return []  # already shared (a second tap, or a colleague): never told twice
    if problems := check_sharing_problems(check):
        raise ValidationError(problems)
    check.status = ProgressCheck.Status.SHARED
    check.shared_at = timezone.now()
    check.save(update_fields=["status", "shared_at", "updated_at"])
    _check_event(check, by, ChildAuditEvent.Action.SHARED, "shared with the family")
    dispatches = []
    for link in _family_with_responsibility(check):
        notice, created = ProgressCheckNotice.objects.get_or_create(progress_check=check, recipient=link.user)
        if created:
            dispatches.append(enqueue(send_progress_check_notice, notice.pk))
    return dispatches


def deliver_progress_check_notice(*, notice_id: int) -> bool:
    """E-mail one parent that their child's check is ready; idempotent, so never sent twice. True if sent."""
    with transaction.atomic():
        notice = (
            ProgressCheckNotice.objects.select_for_update(of=("self",))
            .select_related("recipient", "progress_check__child__nursery")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.emailed_at:
            return False
        check = notice.progress_check
        context = {
            "recipient": notice.recipient,
            "check": check,
            "child": check.child,
            "link": f"{settings.SITE_URL}{reverse('checks:detail', args=[check.pk])}",
        }
        send_templated("learning_stories/email/progress_check", context, [notice.recipient.email])
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
    return True


def unsent_progress_check_notice_ids(*, days: int = 30) -> list[int]:
    """Notices whose e-mail never went (broker or mail server down), while still news."""
    return list(
        ProgressCheckNotice.objects.filter(
            emailed_at__isnull=True, created_at__gte=timezone.now() - timedelta(days=days)
        ).values_list("pk", flat=True)
    )


def add_parent_view(*, check: ProgressCheck, by: User, text: str) -> ProgressCheck:
    """A parent adds (or updates) the family's view, until the key person completes the check."""
    if check.status != ProgressCheck.Status.SHARED:
        raise ValidationError(
            "This check is completed, so your view can no longer be changed. Please talk to the key person."
        )
    if not text.strip():
        raise ValidationError("Please write your view before sending it.")
    check.parent_comments = text.strip()
    check.parent_commented_by = by
    check.parent_commented_at = timezone.now()
    check.save(update_fields=["parent_comments", "parent_commented_by", "parent_commented_at", "updated_at"])
    _check_event(check, by, ChildAuditEvent.Action.CHANGED, "the family's view added")
    return check


def complete_progress_check(*, check: ProgressCheck, by: User) -> ProgressCheck:
    if check.status != ProgressCheck.Status.SHARED:
        raise ValidationError("Share the check with the family before marking it completed.")
    check.status = ProgressCheck.Status.COMPLETED
    check.completed_at = timezone.now()
    check.save(update_fields=["status", "completed_at", "updated_at"])
    _check_event(check, by, ChildAuditEvent.Action.CHANGED, "completed")
    return check


def record_health_visitor_handover(*, check: ProgressCheck, by: User, shared_to: str) -> ProgressCheck:
    """Record that the check went to the health visitor: only with the family's current consent."""
    if not has_consent(check.child, ConsentPurpose.SHARE_WITH_HEALTH_VISITOR):
        raise ValidationError(
            f"{check.child.known_as}'s family has not agreed to share with the health visitor, so the check "
            "cannot be sent. Ask the family; they can give consent on the consents page."
        )
    if check.status == ProgressCheck.Status.DRAFT:
        raise ValidationError("Share the check with the family first: they see it before the health visitor does.")
    if not shared_to.strip():
        raise ValidationError("Say who the check went to and how, e.g. the health visitor's name and team.")
    check.health_visitor_shared_at = timezone.now()
    check.health_visitor_shared_to = shared_to.strip()
    check.health_visitor_shared_by = by
    check.save(
        update_fields=["health_visitor_shared_at", "health_visitor_shared_to", "health_visitor_shared_by", "updated_at"]
    )
    _check_event(check, by, ChildAuditEvent.Action.SHARED, f"given to the health visitor ({shared_to.strip()})")
    return check


# --- Assessments ---------------------------------------------------------------------------------


def _day(value: date) -> str:
    return f"{value:%-d %b %Y}"


def check_assessment_point(*, nursery: Nursery, name: str, starts_on: date, ends_on: date) -> None:
    """Raise ValidationError (by field) for a window that is back to front, overlaps another point or
    reuses a name: trackers compare points in date order, so windows must not overlap."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The last day is before the first day: swap them round."})
    others = AssessmentPoint.objects.filter(nursery=nursery)
    if others.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": "There is already an assessment point with this name."})
    clash = others.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if clash is not None:
        raise ValidationError(
            f"These dates overlap {clash.name} ({_day(clash.starts_on)} to {_day(clash.ends_on)}). "
            "Choose dates that start after it ends or end before it starts."
        )


def add_assessment_point(*, nursery: Nursery, name: str, starts_on: date, ends_on: date) -> AssessmentPoint:
    check_assessment_point(nursery=nursery, name=name, starts_on=starts_on, ends_on=ends_on)
    return AssessmentPoint.objects.create(nursery=nursery, name=name.strip(), starts_on=starts_on, ends_on=ends_on)


def check_assessment_date(*, child: Child, point: AssessmentPoint, assessed_on: date) -> None:
    """The day of an assessment must be in the point's window and in the child's time at the nursery."""
    name = child.known_as
    if child.start_date and assessed_on < child.start_date:
        raise ValidationError(f"{name} started at the nursery on {_day(child.start_date)}, after this date.")
    if child.leave_date and assessed_on > child.leave_date:
        raise ValidationError(f"{name} left the nursery on {_day(child.leave_date)}, before this date.")
    if not point.starts_on <= assessed_on <= point.ends_on:
        raise ValidationError(
            f"{point.name} runs from {_day(point.starts_on)} to {_day(point.ends_on)}: choose a date in between."
        )


@dataclass(frozen=True)
class Judgement:
    """One row of the assessment grid: an area (or, for a reception-age child, one early learning goal)."""

    area: Area
    aspect: Aspect | None
    band: Band | None
    judgement: str
    rationale: str
    observations: list[Observation] = field(default_factory=list)


def check_judgement(*, child: Child, framework: Framework, row: Judgement) -> None:
    """Raise ValidationError (by field: band, judgement, observations) for what the grid cannot offer,
    so a tampered form is refused as clearly as a slip."""
    area_judgements = {Assessment.Judgement.ON_TRACK, Assessment.Judgement.NOT_ON_TRACK}
    if row.area.framework_id != framework.pk:
        raise ValidationError(f"{row.area.name} is not an area of {framework.name}, the framework your nursery uses.")
    if row.aspect is not None and row.aspect.area_id != row.area.pk:
        raise ValidationError(f"{row.aspect.name} is not an early learning goal of {row.area.name}.")
    if row.aspect is None:
        if row.band is None:
            raise ValidationError({"band": f"Choose the {framework.band_term} {child.known_as} is working in."})
        if row.band.framework_id != framework.pk:
            wrong = f"{row.band.name} is not a {framework.band_term} of {framework.name}, which your nursery uses."
            raise ValidationError({"band": wrong})
        if row.judgement not in area_judgements:
            raise ValidationError({"judgement": "Choose on track or not on track."})
    elif row.judgement not in {Assessment.Judgement.EMERGING, Assessment.Judgement.EXPECTED}:
        raise ValidationError({"judgement": "Choose emerging or expected."})
    if not row.rationale.strip():
        raise ValidationError({"rationale": "Write a sentence on what you have seen."})
    ids = {o.pk for o in row.observations}
    if ids and ObservationChild.objects.filter(observation_id__in=ids, child=child).count() != len(ids):
        raise ValidationError({"observations": f"Only observations of {child.known_as} can back this judgement."})


@transaction.atomic
def record_assessments(
    *,
    child: Child,
    point: AssessmentPoint,
    framework: Framework,
    assessed_on: date,
    rows: list[Judgement],
    cleared: list[tuple[Area, Aspect | None]],
    by: User,
) -> list[Assessment]:
    """Save the grid: one assessment per area (or goal) at the point, replacing an earlier one; rows
    left empty remove what was there."""
    if point.nursery_id != child.nursery_id:
        raise ValidationError("This assessment point belongs to another nursery.")
    check_assessment_date(child=child, point=point, assessed_on=assessed_on)
    for row in rows:
        check_judgement(child=child, framework=framework, row=row)
    saved = []
    for row in rows:
        assessment, _ = Assessment.objects.update_or_create(
            child=child,
            point=point,
            area=row.area,
            aspect=row.aspect,
            defaults={
                "band": row.band,
                "judgement": row.judgement,
                "rationale": row.rationale.strip(),
                "assessed_on": assessed_on,
                "assessed_by": by,
            },
        )
        assessment.observations.set(row.observations)
        saved.append(assessment)
        what = f"Assessment at {point.name}: {row.aspect or row.area} {assessment.get_judgement_display().lower()}"
        record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=what)
    for area, aspect in cleared:
        removed, _ = Assessment.objects.filter(child=child, point=point, area=area, aspect=aspect).delete()
        if removed:
            what = f"Assessment at {point.name}: {aspect or area} removed"
            record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=what)
    return saved
