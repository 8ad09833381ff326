"""Staff photos: each member of staff sets their own, managers set their staff's; families see them."""

import pytest
from django.urls import reverse

from nursery.models import StaffMember
from nursery.tests.factories import StaffMemberFactory
from tests.images import camera_jpeg, read_back, upload

pytestmark = pytest.mark.django_db


def set_photo(client, member, content: bytes | None = None):
    return client.post(
        reverse("nursery:change_staff_photo", args=[member.pk]),
        {"photo": upload(content or camera_jpeg(width=800, height=800))},
        follow=True,
    )


def test_a_practitioner_sets_their_own_photo_from_the_menu(
    login, practitioner, practitioner_post, django_capture_on_commit_callbacks
):
    client = login(practitioner)
    page = client.get(reverse("nursery:my_photo"), follow=True)

    assert page.redirect_chain[-1][0] == reverse("nursery:change_staff_photo", args=[practitioner_post.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert "Photo saved." in set_photo(client, practitioner_post).content.decode()
    assert StaffMember.objects.get(pk=practitioner_post.pk).photo_thumbnail


def test_a_practitioner_cannot_change_a_colleagues_photo(login, practitioner, nursery):
    colleague = StaffMemberFactory(nursery=nursery)

    assert set_photo(login(practitioner), colleague).status_code == 403
    assert not StaffMember.objects.get(pk=colleague.pk).photo


def test_a_manager_sets_a_photo_shown_on_the_staff_list(login, manager, practitioner_post):
    client = login(manager)
    set_photo(client, practitioner_post)

    page = client.get(reverse("nursery:staff")).content.decode()

    assert reverse("nursery:staff_photo_thumbnail", args=[practitioner_post.pk]) in page


def test_families_at_the_nursery_see_staff_photos_and_others_get_404(
    login, manager, practitioner_post, parent, other_manager
):
    set_photo(login(manager), practitioner_post)
    address = reverse("nursery:staff_photo", args=[practitioner_post.pk])

    response = login(parent).get(address)

    assert response.status_code == 200
    assert read_back(b"".join(response.streaming_content)).size == (800, 800)
    assert login(other_manager).get(address).status_code == 404


def test_a_picture_in_an_unsupported_format_gets_a_clear_message(login, practitioner, practitioner_post):
    from tests.images import encoded, picture

    response = set_photo(login(practitioner), practitioner_post, encoded(picture(), "GIF"))

    assert "KeyStory cannot use GIF pictures" in response.content.decode()
    assert not StaffMember.objects.get(pk=practitioner_post.pk).photo


def test_a_member_of_staff_removes_their_photo(login, practitioner, practitioner_post):
    client = login(practitioner)
    set_photo(client, practitioner_post)

    response = client.post(reverse("nursery:remove_staff_photo", args=[practitioner_post.pk]), follow=True)

    assert "Photo removed." in response.content.decode()
    assert not StaffMember.objects.get(pk=practitioner_post.pk).photo
