"""Faces on story photos: finding them, naming them, boxes drawn by hand, and the blurred copies (variants)
families see. Variants are made by a task after each change and, should one still be missing when a family
opens the photo, on the spot; a change deletes the copies nobody needs any more."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, prefetch_related_objects
from django.db.models.fields.files import FieldFile

from children.access import Viewer
from children.models import Child, ConsentPurpose, Guardianship
from children.selectors import children_with_consent
from core.images import ImageRejected, make_thumbnail
from core.queue import Dispatch, enqueue

from ..models import Observation, ObservationPhoto
from ..story.selectors import photo_children
from . import pixels
from .models import PhotoFace, PhotoVariant
from .selectors import faces_to_blur, variant_key

logger = logging.getLogger(__name__)

MAX_FACES = 40
MIN_SIDE = 0.01  # a box smaller than 1% of the photo is a slip of the finger


def _photo(pk: int) -> ObservationPhoto | None:
    return (
        ObservationPhoto.objects.select_related("observation")
        .prefetch_related("children", "faces", "observation__child_links__child")
        .filter(pk=pk)
        .first()
    )


# --- Finding and naming faces --------------------------------------------------------------------


def detect_faces(photo: ObservationPhoto) -> int:
    """Look for faces once, on the display copy (the photo task calls this); returns how many were found."""
    if photo.faces_detected or not photo.image:
        return 0
    try:
        boxes = pixels.find_faces(photo.image)
    except Exception:  # OpenCV's own errors too: never keep the photo from being finished
        logger.exception("No face detection on photo %s", photo.pk)
        boxes = []  # none found: a group photo then asks the practitioner to check its faces
    with transaction.atomic():
        if not ObservationPhoto.objects.filter(pk=photo.pk, faces_detected=False).update(faces_detected=True):
            return 0  # another run did it
        # One child in the photo and one face found: it is that child's (a home photo of the family's own
        # child, a staff photo of one child), so their own family never sees it blurred. With more faces, one
        # may be a bystander's: those are left for the practitioner to name.
        in_photo = photo_children(photo, photo.observation)
        only = in_photo[0].pk if len(in_photo) == 1 and len(boxes) == 1 else None
        PhotoFace.objects.bulk_create(
            PhotoFace(photo=photo, x=b.x, y=b.y, w=b.w, h=b.h, source=PhotoFace.Source.DETECTED, child_id=only)
            for b in boxes[:MAX_FACES]
        )
    photo.faces_detected = True
    return len(boxes)


def after_photo_prepared(instance) -> None:
    """Hook for core.images.finish_photo: find the faces of a story photo once its display copy exists."""
    if isinstance(instance, ObservationPhoto) and instance.image and not instance.faces_detected:
        detect_faces(instance)


def refresh_faces(photo: ObservationPhoto) -> None:
    """Read the photo's faces again (after ``finish_photo`` found them): a prefetch made before would say none."""
    getattr(photo, "_prefetched_objects_cache", {}).pop("faces", None)
    prefetch_related_objects([photo], "faces")


def _check_editable(photo: ObservationPhoto) -> None:
    """Faces change on a draft, or on a published entry (a wrongly named face put right: every change queues
    the copies again); not while the entry waits for review."""
    if not photo.observation.is_editable and photo.observation.status != Observation.Status.PUBLISHED:
        raise ValidationError("This observation is waiting for review: its photo's faces can't be changed now.")


def name_face(*, face: PhotoFace, child_id: int | None) -> PhotoFace:
    """Say which child in the photo this face is (None: nobody / not sure, so it stays blurred for families)."""
    photo = face.photo
    _check_editable(photo)
    if child_id is not None and child_id not in {c.pk for c in photo_children(photo, photo.observation)}:
        raise ValidationError("Choose one of the children in this photo.")
    face.child_id = child_id
    face.save(update_fields=["child"])
    queue_variants(photo)
    return face


def add_face(*, photo: ObservationPhoto, x: float, y: float, w: float, h: float) -> PhotoFace:
    """A box drawn by hand where the detector missed a face: refused unless it lies inside the photo."""
    _check_editable(photo)
    if not all(0 <= value <= 1 for value in (x, y)) or w < MIN_SIDE or h < MIN_SIDE or x + w > 1.0001 or y + h > 1.0001:
        raise ValidationError("That box is outside the photo. Draw it over a face on the photo and try again.")
    if photo.faces.count() >= MAX_FACES:
        raise ValidationError(f"A photo can have at most {MAX_FACES} face boxes.")
    face = PhotoFace.objects.create(
        photo=photo, x=x, y=y, w=min(w, 1 - x), h=min(h, 1 - y), source=PhotoFace.Source.MANUAL
    )
    queue_variants(photo)
    return face


def remove_face(*, face: PhotoFace) -> None:
    photo = face.photo
    _check_editable(photo)
    face.delete()
    if photo.faces_checked:  # a box gone: every face may no longer have one, so check again
        photo.faces_checked = False
        photo.save(update_fields=["faces_checked"])
    queue_variants(photo)


def confirm_faces_checked(*, photo: ObservationPhoto) -> None:
    """The practitioner looked: every face in the photo has a box (unnamed boxes stay blurred)."""
    _check_editable(photo)
    photo.faces_checked = True
    photo.save(update_fields=["faces_checked"])
    queue_variants(photo)


def face_problems(observation: Observation) -> list[str]:
    """For submitting: photos with fewer faces found than children in them, not yet checked."""
    from .selectors import needs_check

    photos = list(observation.photos.prefetch_related("faces", "children"))
    tagged = set(observation.child_links.values_list("child_id", flat=True))
    in_photos = {
        photo.pk: {c.pk for c in photo.children.all()} if photo.children_chosen else tagged for photo in photos
    }
    everyone = set().union(*in_photos.values())
    shared = children_with_consent(everyone, ConsentPurpose.PHOTOS_OTHERS_STORIES) if everyone else set()
    return [
        f"Photo {number}: we found fewer faces than children in it. Check the faces on the photo "
        "(draw a box over any face we missed), then tap \u201cI\u2019ve checked the faces\u201d."
        for number, photo in enumerate(photos, start=1)
        if needs_check(photo, in_photos[photo.pk], shared)
    ]


# --- Blurred copies ------------------------------------------------------------------------------


def _families(photo: ObservationPhoto) -> list[frozenset[int]]:
    """Every set of own children a viewer of this photo's entry may have: each child alone (the leaver pack,
    the school link) and each guardian's children."""
    child_ids = [link.child_id for link in photo.observation.child_links.all()]
    users = Guardianship.objects.filter(child_id__in=child_ids).values_list("user_id", flat=True)
    own: dict[int, set[int]] = {}
    for user_id, child_id in Guardianship.objects.filter(user_id__in=users).values_list("user_id", "child_id"):
        own.setdefault(user_id, set()).add(child_id)
    return list({frozenset({pk}) for pk in child_ids} | {frozenset(ids) for ids in own.values()})


def _shared(photo: ObservationPhoto) -> set[int]:
    everyone = {c.pk for c in photo_children(photo, photo.observation)} | {
        f.child_id for f in photo.faces.all() if f.child_id
    }
    return children_with_consent(everyone, ConsentPurpose.PHOTOS_OTHERS_STORIES) if everyone else set()


def variant(photo: ObservationPhoto, blur: frozenset[int]) -> PhotoVariant | None:
    """The copy of the photo with these faces blurred: found, or made now. None if the photo has no display
    copy yet (or it cannot be read)."""
    key = variant_key(blur)
    found = PhotoVariant.objects.filter(photo=photo, key=key).first()
    if found is not None or not photo.image:
        return found
    boxes = [pixels.Box(f.x, f.y, f.w, f.h) for f in photo.faces.all() if f.pk in blur]
    try:
        made = PhotoVariant(photo=photo, key=key)
        made.image.save("photo.jpg", pixels.blurred(photo.image, boxes), save=False)
        made.thumbnail.save("thumbnail.jpg", make_thumbnail(made.image).as_file(), save=False)
    except (OSError, ImageRejected) as exc:
        logger.warning("No blurred copy of photo %s: %s", photo.pk, exc)
        return None
    try:
        with transaction.atomic():
            made.save()
    except IntegrityError:  # made meanwhile by another run: keep theirs
        _delete_files(made)
        return PhotoVariant.objects.filter(photo=photo, key=key).first()
    return made


def _delete_files(found: PhotoVariant) -> None:
    for file in (found.image, found.thumbnail):
        if file:
            file.storage.delete(file.name)


def refresh_variants(*, photo_id: int) -> int:
    """Make the copies this photo's families need now and delete the rest (after a consent, a name or a box
    changed); only photos shared with families get copies. Idempotent. Returns how many copies it keeps."""
    photo = _photo(photo_id)
    if photo is None:
        return 0
    needed: set[str] = set()
    if photo.observation.status == Observation.Status.PUBLISHED and photo.image:
        shared = _shared(photo)
        for family in _families(photo):
            blur = faces_to_blur(photo, family, shared)
            if blur and variant(photo, blur) is not None:
                needed.add(variant_key(blur))
    stale = list(PhotoVariant.objects.filter(photo=photo).exclude(key__in=needed))
    PhotoVariant.objects.filter(pk__in=[v.pk for v in stale]).delete()
    for old in stale:
        transaction.on_commit(lambda old=old: _delete_files(old))
    return len(needed)


def queue_variants(photo: ObservationPhoto) -> Dispatch:
    from .tasks import refresh_photo_variants

    return enqueue(refresh_photo_variants, photo.pk)


def queue_variants_of(observation: Observation) -> None:
    for pk in observation.photos.values_list("pk", flat=True):
        queue_variants(ObservationPhoto(pk=pk))


def photos_of(child_id: int) -> list[int]:
    """Every photo the child may be in (ticked, tagged in its entry, or named on a face)."""
    return list(
        ObservationPhoto.objects.filter(
            Q(children__id=child_id)
            | Q(children_chosen=False, observation__child_links__child_id=child_id)
            | Q(faces__child_id=child_id)
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def refresh_child_variants(*, child_id: int) -> int:
    """After the child's consent changed: remake the copies of every photo they may be in."""
    ids = photos_of(child_id)
    for pk in ids:
        refresh_variants(photo_id=pk)
    return len(ids)


def consent_changed(*, child: Child, purpose_code: str) -> None:
    """Hook for children.services.record_consent: appearing in others' stories changes who is blurred."""
    if purpose_code == ConsentPurpose.PHOTOS_OTHERS_STORIES:
        from .tasks import refresh_child_photos

        enqueue(refresh_child_photos, child.pk)


# --- What each viewer gets -----------------------------------------------------------------------


def _own_upload(photo: ObservationPhoto, viewer: Viewer) -> bool:
    """A family's own photo from home, seen by whoever shared it: theirs, never blurred for them."""
    entry = photo.observation
    return viewer.user is not None and entry.is_home and entry.author_id == viewer.user.pk


def photo_file_for(photo: ObservationPhoto, viewer: Viewer, *, small: bool = False) -> FieldFile | None:
    """The file this viewer sees, once the caller has checked they may see the photo at all: the original for
    staff (and for a family when no face needs blurring), else the family's blurred copy (None if it cannot be
    made). Needs ``photo.faces`` and the photo's children (prefetched, or a few queries)."""
    original = (photo.thumbnail or photo.image) if small else photo.image
    if viewer.is_staff or _own_upload(photo, viewer):
        return original
    blur = faces_to_blur(photo, viewer.family_child_ids, _shared(photo))
    if not blur:
        return original
    found = variant(photo, blur)
    if found is None:
        return None
    return (found.thumbnail or found.image) if small else found.image
