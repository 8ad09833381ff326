"""Blur, not withhold: faces are found on group photos, named by the practitioner, and each family sees the
photo with the faces of children whose families did not agree blurred; staff see the original.
The group photo is a real photograph with two faces (see learning_stories/tests/faces.py)."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from children.models import ConsentPurpose
from children.services import record_consent
from children.tests.factories import consent
from learning_stories.faces import services
from learning_stories.faces.selectors import variant_key
from learning_stories.models import Framework, Observation, ObservationPhoto, PhotoFace, PhotoVariant
from tests.images import upload

from .faces import GROUP_PHOTO, difference, group_photo, name_left_and_right
from .factories import ObservationFactory, ObservationPhotoFactory

pytestmark = pytest.mark.django_db

OTHERS = ConsentPurpose.PHOTOS_OTHERS_STORIES


def picture(response) -> Image.Image:
    return Image.open(io.BytesIO(b"".join(response.streaming_content))).convert("RGB")


@pytest.fixture
def den(nursery, practitioner, child, other_child):
    """A published entry of Ava and Zara with the group photo; Zara's family agreed to other stories, Ava's
    did not."""
    consent(other_child, OTHERS)
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child, other_child], text="A den.")
    photo = group_photo(entry, [child, other_child])
    entry.photo = photo
    return entry


def test_the_detector_finds_both_faces_in_a_real_group_photo_when_it_is_prepared(
    login, practitioner, child, django_capture_on_commit_callbacks
):
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    staff = login(practitioner)
    data = {
        "client_key": str(uuid.uuid4()),
        "observed_at": f"{timezone.localdate() - timedelta(days=1)}T10:30",
        "children": [child.pk],
        "text": "Two astronauts.",
    }
    pk = staff.post(reverse("stories:autosave"), data).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):  # the photo task, in-process after commit
        answer = staff.post(reverse("stories:upload_photo", args=[pk]), {"photo": upload(GROUP_PHOTO)}).json()
    photo = ObservationPhoto.objects.get(pk=answer["id"])
    assert photo.faces_detected
    faces = sorted(photo.faces.all(), key=lambda face: face.x)
    assert len(faces) == 2
    assert all(face.source == PhotoFace.Source.DETECTED for face in faces)
    assert faces[0].x < 0.4 < 0.6 < faces[1].x  # one on each half of the photo
    panel = staff.get(reverse("stories:photo_faces", args=[photo.pk])).content.decode()
    assert panel.count("data-face-box") == 2
    assert 'aria-label="Face 1: not named, blurred for families"' in panel


def test_the_other_family_sees_the_non_consenting_childs_face_blurred_and_their_own_child_sharp(
    login, other_parent, practitioner, child, other_child, den
):
    ava, zara = name_left_and_right(den.photo, child, other_child)
    original = picture(login(practitioner).get(reverse("stories:photo", args=[den.photo.pk])))

    zara_family = login(other_parent)
    assert (
        reverse("stories:photo", args=[den.photo.pk])
        in zara_family.get(reverse("stories:story", args=[other_child.pk])).content.decode()
    )
    seen = picture(zara_family.get(reverse("stories:photo", args=[den.photo.pk])))

    assert difference(original, seen, ava) > 25, "Ava's face must be unrecognisable"
    assert difference(original, seen, zara) < 3, "Zara's own face stays sharp"


def test_a_consenting_childs_face_stays_sharp_and_unnamed_faces_are_blurred_for_the_family(
    login, parent, practitioner, child, other_child, den
):
    first, second = sorted(den.photo.faces.all(), key=lambda face: face.x)
    PhotoFace.objects.filter(pk=second.pk).update(child=other_child)  # Zara (agreed); the left face left unnamed
    original = picture(login(practitioner).get(reverse("stories:photo", args=[den.photo.pk])))
    seen = picture(login(parent).get(reverse("stories:photo", args=[den.photo.pk])))
    assert difference(original, seen, second) < 3
    assert difference(original, seen, first) > 25


def test_staff_get_the_original_photo(login, practitioner, child, other_child, den):
    name_left_and_right(den.photo, child, other_child)
    response = login(practitioner).get(reverse("stories:photo", args=[den.photo.pk]))
    assert b"".join(response.streaming_content) == den.photo.image.open("rb").read()
    assert not PhotoVariant.objects.exists()


def test_families_needing_the_same_faces_blurred_share_one_copy(
    login, other_parent, child, other_child, den, nursery, room
):
    from children.tests.factories import GuardianshipFactory

    name_left_and_right(den.photo, child, other_child)
    second_carer = GuardianshipFactory(child=other_child).user
    login(other_parent).get(reverse("stories:photo", args=[den.photo.pk]))
    login(second_carer).get(reverse("stories:photo", args=[den.photo.pk]))
    assert PhotoVariant.objects.count() == 1


def test_a_non_consenting_child_with_no_face_box_is_still_withheld_until_the_faces_are_checked(
    login, other_parent, child, other_child, den
):
    PhotoFace.objects.filter(photo=den.photo).update(child=other_child)  # nobody named as Ava
    url = reverse("stories:photo", args=[den.photo.pk])
    zara_family = login(other_parent)
    assert zara_family.get(url).status_code == 404
    assert url not in zara_family.get(reverse("stories:story", args=[other_child.pk])).content.decode()

    ObservationPhoto.objects.filter(pk=den.photo.pk).update(faces_checked=True)
    assert zara_family.get(url).status_code == 200


def test_withdrawing_or_giving_consent_remakes_the_copies_and_deletes_the_old_files(
    login, parent, other_parent, practitioner, child, other_child, den, django_capture_on_commit_callbacks
):
    name_left_and_right(den.photo, child, other_child)
    services.refresh_variants(photo_id=den.photo.pk)
    (before,) = PhotoVariant.objects.all()  # Zara's family: Ava blurred; Ava's family: the original
    old_files = [before.image.name, before.thumbnail.name]
    assert all(default_storage.exists(name) for name in old_files)

    with django_capture_on_commit_callbacks(execute=True):  # the task runs once the decisions are committed
        record_consent(child=child, purpose=ConsentPurpose.objects.get(code=OTHERS), granted=True, by=parent)
        record_consent(
            child=other_child, purpose=ConsentPurpose.objects.get(code=OTHERS), granted=False, by=other_parent
        )

    (after,) = PhotoVariant.objects.all()  # now only Ava's family needs a copy: Zara blurred
    assert after.pk != before.pk
    assert not any(default_storage.exists(name) for name in old_files)
    original = picture(login(practitioner).get(reverse("stories:photo", args=[den.photo.pk])))
    ava, zara = sorted(den.photo.faces.all(), key=lambda face: face.x)
    seen_by_ava_family = picture(login(parent).get(reverse("stories:photo", args=[den.photo.pk])))
    assert difference(original, seen_by_ava_family, zara) > 25
    assert difference(original, seen_by_ava_family, ava) < 3
    seen_by_zara_family = picture(login(other_parent).get(reverse("stories:photo", args=[den.photo.pk])))
    assert difference(original, seen_by_zara_family, ava) < 3  # Ava's family agreed now


def test_naming_a_face_on_the_capture_page_saves_it_and_labels_its_box(
    login, practitioner, child, other_child, nursery, django_capture_on_commit_callbacks
):
    draft = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child, other_child], status=Observation.Status.DRAFT
    )
    photo = group_photo(draft, [child, other_child])
    first, _ = sorted(photo.faces.all(), key=lambda face: face.x)
    staff = login(practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        panel = staff.post(
            reverse("stories:name_face", args=[first.pk]),
            {f"face-{first.pk}-child": str(child.pk)},
            HTTP_HX_REQUEST="true",
        ).content.decode()
    first.refresh_from_db()
    assert first.child == child
    assert f"Face 1: {child.known_as}" in panel


@pytest.mark.parametrize(
    ("x", "y", "w", "h"),
    [
        ("90", "10", "30", "20"),
        ("-5", "10", "20", "20"),
        ("10", "10", "0", "20"),
        ("abc", "1", "2", "3"),
        ("nan", "1", "2", "3"),
    ],
)
def test_a_box_outside_the_photo_or_not_a_number_is_refused_with_a_clear_message(
    login, practitioner, child, nursery, x, y, w, h
):
    draft = ObservationFactory(nursery=nursery, author=practitioner, children=[child], status=Observation.Status.DRAFT)
    photo = ObservationPhotoFactory(observation=draft, children=[child])
    services.detect_faces(photo)  # a plain picture: no faces
    fields = {f"photo-{photo.pk}-box-{part}": value for part, value in zip("xywh", (x, y, w, h), strict=True)}
    response = login(practitioner).post(reverse("stories:add_face", args=[photo.pk]), fields, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "outside the photo" in page or "numbers from 0 to 100" in page
    assert 'role="alert"' in page
    assert not photo.faces.exists()


def test_a_box_drawn_by_hand_inside_the_photo_is_kept(login, practitioner, child, nursery):
    draft = ObservationFactory(nursery=nursery, author=practitioner, children=[child], status=Observation.Status.DRAFT)
    photo = ObservationPhotoFactory(observation=draft, children=[child])
    services.detect_faces(photo)  # a plain picture: no faces
    fields = {
        f"photo-{photo.pk}-box-{part}": value for part, value in zip("xywh", ("10", "20", "30", "40"), strict=True)
    }
    login(practitioner).post(reverse("stories:add_face", args=[photo.pk]), fields, HTTP_HX_REQUEST="true")
    face = photo.faces.get()
    assert (face.x, face.y, face.w, face.h, face.source) == (0.1, 0.2, 0.3, 0.4, PhotoFace.Source.MANUAL)


def test_fewer_faces_than_children_asks_for_a_check_before_the_observation_is_published(
    login, practitioner, child, other_child
):
    for kid in (child, other_child):
        consent(kid, ConsentPurpose.PHOTOS_OWN_STORY)
    staff = login(practitioner)
    framework = Framework.objects.get(is_default=True)
    data = {
        "client_key": str(uuid.uuid4()),
        "observed_at": f"{timezone.localdate() - timedelta(days=1)}T10:30",
        "children": [child.pk, other_child.pk],
        "text": "Built a den.",
        "areas": [framework.areas.get(code="PD").pk],
        "action": "submit",
    }
    pk = staff.post(reverse("stories:autosave"), data).json()["id"]
    photo = ObservationPhotoFactory(observation=Observation.objects.get(pk=pk), children=[child, other_child])
    services.detect_faces(photo)  # a plain picture: no faces found, two children in it
    assert not photo.faces.exists()

    page = staff.post(reverse("stories:edit", args=[pk]), data).content.decode()
    assert "we found fewer faces than children in it" in page
    assert Observation.objects.get(pk=pk).status == Observation.Status.DRAFT
    panel = staff.get(reverse("stories:photo_faces", args=[photo.pk])).content.decode()
    assert "I&#x27;ve checked the faces" in panel or "I've checked the faces" in panel

    staff.post(reverse("stories:check_faces", args=[photo.pk]), HTTP_HX_REQUEST="true")
    staff.post(reverse("stories:edit", args=[pk]), data)
    assert Observation.objects.get(pk=pk).status != Observation.Status.DRAFT


def test_another_practitioner_cannot_name_a_face_on_someone_elses_draft(login, manager, practitioner, child, nursery):
    draft = ObservationFactory(nursery=nursery, author=practitioner, children=[child], status=Observation.Status.DRAFT)
    photo = ObservationPhotoFactory(observation=draft, children=[child])
    face = PhotoFace.objects.create(photo=photo, x=0.1, y=0.1, w=0.2, h=0.2)
    response = login(manager).post(reverse("stories:name_face", args=[face.pk]), {f"face-{face.pk}-child": child.pk})
    assert response.status_code == 404
    face.refresh_from_db()
    assert face.child is None


def test_removing_a_face_box_deletes_the_copies_made_with_it(
    login, child, other_child, den, django_capture_on_commit_callbacks
):
    ava, _ = name_left_and_right(den.photo, child, other_child)
    services.refresh_variants(photo_id=den.photo.pk)
    (old,) = PhotoVariant.objects.all()
    Observation.objects.filter(pk=den.pk).update(status=Observation.Status.RETURNED)  # back with its author
    ava.photo.observation.status = Observation.Status.RETURNED
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_face(face=ava)
    assert not PhotoVariant.objects.exists()
    assert not default_storage.exists(old.image.name)


def one_face_photo() -> bytes:
    """The left astronaut alone: the group photo cut in half."""
    whole = Image.open(io.BytesIO(GROUP_PHOTO))
    out = io.BytesIO()
    whole.crop((0, 0, whole.width // 2, whole.height)).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_parents_two_face_home_photo_comes_back_unblurred_to_that_parent(login, nursery, parent, child):
    entry = ObservationFactory(nursery=nursery, author=parent, children=[child], source=Observation.Source.HOME)
    photo = group_photo(entry, [child])
    assert photo.faces.count() == 2
    assert not photo.faces.filter(child__isnull=False).exists()  # two faces, one child: nobody is guessed

    shown = picture(login(parent).get(reverse("stories:photo", args=[photo.pk])))

    original = Image.open(io.BytesIO(GROUP_PHOTO)).convert("RGB")
    assert shown.size == original.size
    assert all(difference(shown, original, face) < 8 for face in photo.faces.all())
    assert not PhotoVariant.objects.filter(photo=photo).exists()


def test_a_one_child_one_face_staff_photo_is_named_and_not_blurred_for_the_family(
    login, nursery, practitioner, parent, child
):
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child])
    photo = ObservationPhotoFactory(observation=entry, children=[child], image=ContentFile(one_face_photo(), "p.jpg"))
    services.detect_faces(photo)

    [face] = photo.faces.all()
    assert face.child == child
    staff_copy = picture(login(practitioner).get(reverse("stories:photo", args=[photo.pk])))
    family_copy = picture(login(parent).get(reverse("stories:photo", args=[photo.pk])))
    assert difference(staff_copy, family_copy, face) < 1


def test_the_faces_panel_opens_when_a_face_on_a_one_child_photo_is_not_named(login, nursery, practitioner, child):
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child], status=Observation.Status.DRAFT)
    photo = group_photo(entry, [child])

    panel = login(practitioner).get(reverse("stories:photo_faces", args=[photo.pk])).content.decode()

    assert "<details open>" in panel


def test_removing_a_face_box_after_the_check_withholds_the_photo_again_until_checked_again(
    login, other_parent, child, other_child, den
):
    _, zara = name_left_and_right(den.photo, other_child, other_child)  # nobody named as Ava
    ObservationPhoto.objects.filter(pk=den.photo.pk).update(faces_checked=True)  # Ava's face: one of the boxes
    Observation.objects.filter(pk=den.pk).update(status=Observation.Status.RETURNED)
    face = PhotoFace.objects.get(pk=zara.pk)
    face.child = None
    face.save()

    services.remove_face(face=face)  # the box over Ava's face, removed after the check

    photo = ObservationPhoto.objects.get(pk=den.photo.pk)
    assert not photo.faces_checked
    Observation.objects.filter(pk=den.pk).update(status=Observation.Status.PUBLISHED)
    assert login(other_parent).get(reverse("stories:photo", args=[photo.pk])).status_code == 404


def test_changing_who_is_in_a_checked_photo_asks_for_the_faces_to_be_checked_again(child, other_child, den):
    from types import SimpleNamespace

    from learning_stories.observations.services import _set_photo_children

    ObservationPhoto.objects.filter(pk=den.photo.pk).update(faces_checked=True)
    unchanged = SimpleNamespace(children=[child, other_child], photo_children={})
    _set_photo_children(den, unchanged)
    assert ObservationPhoto.objects.get(pk=den.photo.pk).faces_checked

    only_ava = SimpleNamespace(children=[child, other_child], photo_children={den.photo.pk: [child]})
    _set_photo_children(den, only_ava)

    assert not ObservationPhoto.objects.get(pk=den.photo.pk).faces_checked


def test_a_manager_can_put_right_a_wrongly_named_face_on_a_published_photo(
    login, manager, other_parent, child, other_child, den, django_capture_on_commit_callbacks
):
    wrong, _ = name_left_and_right(den.photo, other_child, other_child)  # Ava's face named as Zara
    boss = login(manager)
    assert "faces-heading" in boss.get(reverse("stories:observation", args=[den.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = boss.post(
            reverse("stories:name_face", args=[wrong.pk]), {f"face-{wrong.pk}-child": child.pk}, HTTP_HX_REQUEST="true"
        )

    assert response.status_code == 200
    wrong.refresh_from_db()
    assert wrong.child == child
    (copy,) = PhotoVariant.objects.filter(photo=den.photo)  # Zara's family: Ava's face blurred now
    assert copy.key == variant_key([wrong.pk])


def test_another_practitioner_cannot_change_faces_on_a_published_photo_they_did_not_write(
    login, nursery, child, other_child, den
):
    from nursery.tests.factories import StaffMemberFactory

    colleague = StaffMemberFactory(nursery=nursery).user
    face = den.photo.faces.first()
    response = login(colleague).post(reverse("stories:remove_face", args=[face.pk]))
    assert response.status_code == 404
    assert PhotoFace.objects.filter(pk=face.pk).exists()
