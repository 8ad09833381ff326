"""A child's photo: added by staff with the family's consent, cleaned, and shown only to those who may see the child."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from children.models import Child, ChildAuditEvent, ConsentPurpose
from children.tests.factories import consent
from tests.images import GPS_IFD, camera_jpeg, encoded, picture, read_back, upload

pytestmark = pytest.mark.django_db

OWN_STORY = ConsentPurpose.PHOTOS_OWN_STORY


def add_photo(client, child, content: bytes | None = None, name: str = "IMG_0042.jpg"):
    return client.post(
        reverse("children:change_photo", args=[child.pk]),
        {"photo": upload(content or camera_jpeg(), name=name)},
        follow=True,
    )


def served(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_practitioner_adds_a_childs_photo_and_a_thumbnail_is_made(
    login, practitioner, child, django_capture_on_commit_callbacks
):
    consent(child, OWN_STORY)

    with django_capture_on_commit_callbacks(execute=True):
        response = add_photo(login(practitioner), child, camera_jpeg(width=1200, height=600))

    assert "Photo saved." in response.content.decode()
    child.refresh_from_db()
    assert child.photo.name.startswith("children/photos/")
    assert "IMG_0042" not in child.photo.name
    assert read_back(child.photo_thumbnail.read()).size == (400, 200)
    assert ChildAuditEvent.objects.filter(child=child, actor=practitioner, what="Photo changed").exists()


def test_the_served_photo_has_no_gps_position(login, practitioner, parent, child):
    consent(child, OWN_STORY)
    add_photo(login(practitioner), child)

    response = login(parent).get(reverse("children:photo", args=[child.pk]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert not read_back(served(response)).getexif().get_ifd(GPS_IFD)
    assert ChildAuditEvent.objects.filter(child=child, actor=parent, action="viewed", what="Photo").exists()


def test_without_consent_the_photo_is_refused_with_a_clear_message(login, practitioner, child):
    consent(child, OWN_STORY, granted=False)
    client = login(practitioner)

    page = client.get(reverse("children:change_photo", args=[child.pk])).content.decode()
    response = add_photo(client, child)

    assert "has not agreed to photos" in page
    assert "has not agreed to photos" in response.content.decode()
    assert not Child.objects.get(pk=child.pk).photo


def test_a_text_file_named_jpg_is_refused_and_nothing_is_stored(login, practitioner, child):
    consent(child, OWN_STORY)
    before = set(default_storage.listdir("children/photos")[1]) if default_storage.exists("children/photos") else set()

    response = add_photo(login(practitioner), child, b"not a picture at all", name="photo.jpg")

    assert response.status_code == 200
    assert "not a photo KeyStory can read" in response.content.decode()
    assert not Child.objects.get(pk=child.pk).photo
    after = set(default_storage.listdir("children/photos")[1]) if default_storage.exists("children/photos") else set()
    assert after == before


def test_another_family_gets_404_for_the_photo(login, practitioner, child, other_parent):
    consent(child, OWN_STORY)
    add_photo(login(practitioner), child)

    assert login(other_parent).get(reverse("children:photo", args=[child.pk])).status_code == 404
    assert login(other_parent).get(reverse("children:photo_thumbnail", args=[child.pk])).status_code == 404


def test_the_photo_is_hidden_once_the_family_withdraws_consent(login, practitioner, parent, child):
    consent(child, OWN_STORY)
    add_photo(login(practitioner), child)
    consent(child, OWN_STORY, granted=False)

    assert login(parent).get(reverse("children:photo", args=[child.pk])).status_code == 404
    assert (
        'class="avatar avatar-photo"'
        not in login(parent).get(reverse("children:detail", args=[child.pk])).content.decode()
    )


def test_the_childs_page_shows_the_photo_in_its_header(login, practitioner, parent, child):
    consent(child, OWN_STORY)
    add_photo(login(practitioner), child)

    page = login(parent).get(reverse("children:detail", args=[child.pk])).content.decode()

    assert reverse("children:photo_thumbnail", args=[child.pk]) in page
    assert "Change photo" not in page, "parents do not change the photo"


def test_the_thumbnail_is_a_placeholder_until_it_is_made(login, practitioner, child):
    consent(child, OWN_STORY)
    add_photo(login(practitioner), child)  # on-commit tasks do not run inside this test's transaction

    response = login(practitioner).get(reverse("children:photo_thumbnail", args=[child.pk]))

    assert response.status_code == 302
    assert response.url.endswith("img/photo-placeholder.svg")


def test_replacing_a_photo_deletes_the_old_files(login, practitioner, child, django_capture_on_commit_callbacks):
    consent(child, OWN_STORY)
    client = login(practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        add_photo(client, child)
    child.refresh_from_db()
    old = [child.photo.name, child.photo_thumbnail.name]

    with django_capture_on_commit_callbacks(execute=True):
        add_photo(client, child, encoded(picture(300, 300), "PNG"), name="new.png")

    child.refresh_from_db()
    assert not any(default_storage.exists(name) for name in old)
    assert read_back(child.photo.read()).size == (300, 300)


def test_staff_remove_a_photo(login, manager, child, django_capture_on_commit_callbacks):
    consent(child, OWN_STORY)
    client = login(manager)
    add_photo(client, child)
    stored = Child.objects.get(pk=child.pk).photo.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("children:remove_photo", args=[child.pk]), follow=True)

    assert "Photo removed." in response.content.decode()
    assert not Child.objects.get(pk=child.pk).photo
    assert not default_storage.exists(stored)
    client.post(reverse("children:remove_photo", args=[child.pk]))  # a second tap
    assert ChildAuditEvent.objects.filter(child=child, what="Photo removed").count() == 1


def test_a_thumbnail_of_a_photo_replaced_meanwhile_is_thrown_away(login, practitioner, child):
    consent(child, OWN_STORY)
    add_photo(login(practitioner), child)
    stale = Child.objects.get(pk=child.pk)
    Child.objects.filter(pk=child.pk).update(photo="children/photos/newer.jpg")  # replaced while the task ran

    from core.images import fill_thumbnail, fill_thumbnail_of

    assert not fill_thumbnail(stale)
    assert not Child.objects.get(pk=child.pk).photo_thumbnail
    assert not default_storage.exists(stale.photo_thumbnail.name)
    assert fill_thumbnail_of(model_label="children.Child", pk=0) is False, "a child that no longer exists is skipped"


def test_the_sweep_makes_thumbnails_that_were_never_made(login, practitioner, child):
    from core.tasks import make_missing_thumbnails

    consent(child, OWN_STORY)
    add_photo(login(practitioner), child)

    assert make_missing_thumbnails.delay().get() == 1
    assert Child.objects.get(pk=child.pk).photo_thumbnail
    assert make_missing_thumbnails.delay().get() == 0
