"""Which faces a family sees blurred, and whether blurring makes a photo safe to show them.

The rule (DESIGN.md, privacy rule 2, with faces): a family sees a photo with every face blurred except their
own children's and those of children whose families agreed to appear in other children's stories. A face
nobody has named is blurred for every family. Staff see the original.

Blurring cannot help where a child who must not be seen has no box: then the photo is withheld from the
family as a whole, as before faces were known. That is the case when a child in the photo whose family has
not agreed is named on no face, and no practitioner has checked that every face has a box (once checked, any
face of theirs is one of the boxes, each unnamed box blurred).
"""

from collections.abc import Iterable
from hashlib import sha256

from django.db.models.fields.files import FieldFile

from ..models import ObservationPhoto, PhotoVariant


def must_hide(in_photo: Iterable[int], family: Iterable[int], shared: set[int]) -> set[int]:
    """Children in the photo the family may not see: not theirs, and not agreed to others' stories."""
    return set(in_photo) - set(family) - shared


def faces_to_blur(photo: ObservationPhoto, family: Iterable[int], shared: set[int]) -> frozenset[int]:
    """Ids of the faces blurred for this family: unnamed ones, and other children's without consent
    (``shared``: children agreed to appear in other children's stories). Uses prefetched ``photo.faces``."""
    family = set(family)
    return frozenset(
        face.pk
        for face in photo.faces.all()
        if face.child_id is None or (face.child_id not in family and face.child_id not in shared)
    )


def shown_to_family(photo: ObservationPhoto, in_photo: Iterable[int], family: Iterable[int], shared: set[int]) -> bool:
    """Whether the family may see the photo (blurred as ``faces_to_blur`` says), see the module's rule."""
    hidden = must_hide(in_photo, family, shared)
    if not hidden or photo.faces_checked:
        return True
    return hidden <= {face.child_id for face in photo.faces.all()}


def variant_key(face_ids: Iterable[int]) -> str:
    """The name of one set of blurred faces: families needing the same set share one copy."""
    return sha256(",".join(str(pk) for pk in sorted(face_ids)).encode()).hexdigest()


def needs_check(photo: ObservationPhoto, in_photo: Iterable[int], shared: set[int]) -> bool:
    """Fewer faces found than children in the photo, and nobody has checked it yet. Asked only where it
    matters: several children, one of whom at least has not agreed to appear in other children's stories
    (a photo of one child, or of children who all agreed, shows nobody another family must not see)."""
    in_photo = set(in_photo)
    return (
        not photo.faces_checked
        and len(in_photo) > 1
        and bool(in_photo - shared)
        and len(photo.faces.all()) < len(in_photo)
    )


def variant_files(photo_ids) -> list[FieldFile]:
    """The files of every blurred copy of these photos (ids, or a query of ids), for whoever deletes them."""
    variants = PhotoVariant.objects.filter(photo_id__in=photo_ids)
    return [file for v in variants for file in (v.image, v.thumbnail) if file]
