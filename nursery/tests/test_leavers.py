"""A member of staff who leaves stops being able to sign in on their leaving date (unless also a parent)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.tests.factories import PASSWORD
from nursery.models import NurseryGroup, StaffMember
from nursery.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
LEAVES_ON = date(2026, 5, 11)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def leaver(nursery, room):
    return StaffMemberFactory(
        nursery=nursery, room=room, leaves_on=LEAVES_ON, user__email="lee@example.org", user__full_name="Lee Leaver"
    )


def sign_in(client, email="lee@example.org", password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_a_leaver_could_sign_in_the_day_before_but_not_on_their_leaving_date(client, leaver):
    with time_machine.travel(at(LEAVES_ON - timedelta(days=1), 23, 30), tick=False):
        assert sign_in(client).status_code == 302
        client.post(reverse("accounts:logout"))

    with time_machine.travel(at(LEAVES_ON, 0, 30), tick=False):
        response = sign_in(client)

    assert response.status_code == 200
    assert "Your post at Rainbow Nursery ended on 11 May 2026; ask the nursery if this is a mistake." in (
        response.content.decode()
    )
    assert SESSION_KEY not in client.session


def test_a_wrong_password_says_nothing_about_the_post(client, leaver):
    with time_machine.travel(at(LEAVES_ON, 9), tick=False):
        page = sign_in(client, password="not-the-password").content.decode()
    assert "do not match" in page
    assert "Rainbow Nursery" not in page


def test_a_signed_in_leaver_is_signed_out_on_their_next_request_and_told_why(client, leaver):
    with time_machine.travel(at(LEAVES_ON - timedelta(days=1), 23), tick=False):  # sessions last 12 hours
        client.force_login(leaver.user)
        assert client.get(reverse("keyworker:my_key_children")).status_code == 200

    with time_machine.travel(at(LEAVES_ON, 8), tick=False):
        response = client.get(reverse("keyworker:my_key_children"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "ended on 11 May 2026" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_leaver_who_is_also_a_parent_still_signs_in_as_a_parent(client, nursery, parent):
    StaffMemberFactory(nursery=nursery, user=parent, leaves_on=LEAVES_ON)
    with time_machine.travel(at(LEAVES_ON, 9), tick=False):
        response = sign_in(client, email=parent.email)
        assert response.status_code == 302
        assert client.get(reverse("home")).url == reverse("keyworker:my_children")
        assert client.get(reverse("keyworker:my_key_children")).status_code == 403  # no longer as staff


def test_someone_whose_post_ended_but_who_works_at_another_nursery_still_signs_in(client, leaver, other_nursery):
    StaffMemberFactory(nursery=other_nursery, user=leaver.user)
    with time_machine.travel(at(LEAVES_ON, 9), tick=False):
        assert sign_in(client).status_code == 302


def test_a_removed_post_also_ends_signing_in(client, nursery):
    StaffMemberFactory(nursery=nursery, is_active=False, user__email="gone@example.org")
    page = sign_in(client, email="gone@example.org").content.decode()
    assert "Your post at Rainbow Nursery has ended" in page


def test_a_group_owner_whose_post_ended_still_signs_in(client, leaver, nursery):
    group = NurseryGroup.objects.create(name="Rainbow Group")
    group.owners.add(leaver.user)
    with time_machine.travel(at(LEAVES_ON, 9), tick=False):
        assert sign_in(client).status_code == 302


def test_a_superuser_is_never_refused(client, leaver):
    leaver.user.is_superuser = True
    leaver.user.save()
    with time_machine.travel(at(LEAVES_ON, 9), tick=False):
        assert sign_in(client).status_code == 302


def test_a_leaver_invited_back_signs_in_again(client, leaver, manager, django_capture_on_commit_callbacks):
    from django.core import mail

    from tests.helpers import link_path_in

    with time_machine.travel(at(LEAVES_ON + timedelta(days=30), 9), tick=False):
        managers = client.__class__()
        managers.force_login(manager)
        with django_capture_on_commit_callbacks(execute=True):
            managers.post(
                reverse("nursery:invite_staff"),
                {"full_name": "Lee Leaver", "email": "lee@example.org", "role": "practitioner"},
            )
        accepted = client.post(link_path_in(mail.outbox[0]), {"password": PASSWORD})
        assert accepted.status_code == 302
        post = StaffMember.objects.get(user=leaver.user)
        assert (post.is_active, post.leaves_on) == (True, None)
        assert client.get(reverse("keyworker:my_key_children")).status_code == 200
