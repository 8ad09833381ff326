"""Writes for observations: drafts saved from the capture page, photos, submitting, review, home
contributions, tagging and comments."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent, ConsentPurpose
from children.selectors import children_with_consent
from children.services import record_event
from core.images import ProcessedImage, queue_thumbnail, receive_upload
from core.queue import Dispatch
from nursery.models import Nursery
from nursery.selectors import managed_nursery_ids

from ..clips.services import check_upload, clip_consent_problems, store_clip
from ..faces.services import face_problems, queue_variants_of
from ..models import (
    Area,
    Aspect,
    Characteristic,
    Comment,
    Framework,
    Observation,
    ObservationChild,
    ObservationPhoto,
    Statement,
)
from ..next_steps.services import set_achieved_steps, steps_from_observation
from ..notices import notify_families


@dataclass
class ObservationData:
    """What the capture page sends, already checked against what the author may tag."""

    observed_at: datetime
    text: str = ""
    child_voice: str = ""
    children: list[Child] = field(default_factory=list)
    next_steps: dict[int, str] = field(default_factory=dict)
    staff_only: bool = False
    wellbeing: int | None = None  # Leuven scales, 1 to 5
    involvement: int | None = None
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
    observation.wellbeing = data.wellbeing
    observation.involvement = data.involvement
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
    for photo in observation.photos.prefetch_related("children"):
        before = {c.pk for c in photo.children.all()}
        chosen = data.photo_children.get(photo.pk)
        if chosen is not None and {c.pk for c in chosen} != tagged:
            photo.children.set(chosen)
            photo.children_chosen = True
        else:
            photo.children.set(data.children)
            photo.children_chosen = False
        fields = ["children_chosen"]
        if photo.faces_checked and before != {c.pk for c in (chosen if photo.children_chosen else data.children)}:
            photo.faces_checked = False  # checked for other children: look again (learning_stories.faces)
            fields.append("faces_checked")
        photo.save(update_fields=fields)


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
    if not observation.text.strip() and not observation.photos.exists() and not observation.clips.exists():
        problems.append("Write what happened, or add a photo.")
    problems += observed_date_problems(observation) + photo_consent_problems(observation)
    return problems + clip_consent_problems(observation) + face_problems(observation)


def observed_date_problems(observation: Observation) -> list[str]:
    """An observation is dated within each child's life (born, not yet left) and not in the future."""
    day = timezone.localtime(observation.observed_at).date()
    problems = [child.entry_date_problem(day) for child in _children(observation)]
    return list(dict.fromkeys(problem for problem in problems if problem))  # "not in the future" once


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
    queue_variants_of(observation)  # the copies families see, with other children's faces blurred
    notify_families(observation=observation)
    return observation


@transaction.atomic
def publish(*, observation: Observation, by: User) -> Observation:
    """A manager shares an observation waiting for review (publishing twice changes nothing)."""
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.status != Observation.Status.AWAITING_REVIEW:
        return observation
    problems = photo_consent_problems(observation) + clip_consent_problems(observation)
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
def add_photo(
    *, observation: Observation, upload: UploadedFile, by: User, client_key: uuid.UUID | None = None
) -> tuple[ObservationPhoto, Dispatch]:
    """Check, strip and store one photo (raises ``core.images.ImageRejected`` with a message to show).

    The display copy and thumbnail are made in the background; pages show a placeholder until they are ready.
    A photo sent again with the tablet's ``client_key`` (a retry from the offline outbox) is not added twice.
    """
    if client_key is not None:
        existing = observation.photos.filter(client_key=client_key).first()
        if existing is not None:
            return existing, Dispatch()
    photo, dispatch = _store_photo(observation, receive_upload(upload), by=by, children=observation.children.all())
    if client_key is not None:
        photo.client_key = client_key
        photo.save(update_fields=["client_key"])
    return photo, dispatch


def _store_photo(
    observation: Observation,
    image: ProcessedImage,
    *,
    by: User,
    children: Iterable[Child],
    chosen: bool = False,
) -> tuple[ObservationPhoto, Dispatch]:
    """Save a checked photo with who is in it (``chosen``: named on purpose), and queue what is left to make:
    the display copy of a stripped camera JPEG (kept as the original until then), and the thumbnail."""
    photo = ObservationPhoto(
        observation=observation, uploaded_by=by, width=image.width, height=image.height, children_chosen=chosen
    )
    (photo.image if image.final else photo.original).save("photo.jpg", image.as_file(), save=False)
    photo.save()
    photo.children.set(children)
    return photo, queue_thumbnail(photo)


def remove_photo(*, photo: ObservationPhoto) -> None:
    if not photo.observation.is_editable:
        raise ValidationError("This observation has been sent: its photos can no longer be removed here.")
    for file in (photo.image, photo.thumbnail, photo.original):
        if file:
            file.delete(save=False)
    photo.delete()


@transaction.atomic
def add_home_contribution(
    *,
    child: Child,
    author: User,
    text: str,
    observed_at: datetime,
    photos: list[UploadedFile],
    clips: list[UploadedFile] = (),
) -> Observation:
    """A family's entry from home: shared at once with staff and the child's own family.

    Photos and clips are checked first, so a rejected one saves nothing and the form keeps what was typed
    (``core.images.ImageRejected``, ``core.clips.ClipRejected``).
    """
    processed = [receive_upload(upload) for upload in photos]
    checked = [(upload, check_upload(upload=upload, nursery=child.nursery)) for upload in clips]
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
    for upload, info in checked:
        store_clip(observation=entry, upload=upload, info=info, by=author, children=[child], chosen=True)
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
