"""Staff posts managed on screens: role, responsibilities, qualification, room, dates; the last manager kept."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from nursery import services
from nursery.models import StaffMember
from nursery.tests.factories import RoomFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


def post_data(member: StaffMember, **changes) -> dict:
    """The edit-post form as it stands for ``member``, with ``changes``."""
    data = {
        "role": member.role,
        "job_title": member.job_title,
        "qualification_level": member.qualification_level or "",
        "room": member.room_id or "",
        "starts_on": member.starts_on.isoformat() if member.starts_on else "",
        "leaves_on": member.leaves_on.isoformat() if member.leaves_on else "",
        **({"is_senco": "on"} if member.is_senco else {}),
        **({"is_safeguarding_lead": "on"} if member.is_safeguarding_lead else {}),
        **({"can_be_key_person": "on"} if member.can_be_key_person else {}),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit(client, member: StaffMember, **changes):
    return client.post(reverse("nursery:edit_staff", args=[member.pk]), post_data(member, **changes))


def manager_post(manager) -> StaffMember:
    return manager.staff_posts.get()


def test_manager_marks_a_practitioner_senco_and_the_staff_list_shows_it(login, manager, practitioner_post):
    client = login(manager)
    response = edit(client, practitioner_post, is_senco="on", is_safeguarding_lead="on", qualification_level="6")

    assert response.url == reverse("nursery:staff")
    practitioner_post.refresh_from_db()
    assert (practitioner_post.is_senco, practitioner_post.is_safeguarding_lead) == (True, True)
    assert practitioner_post.qualification_level == 6
    page = client.get(reverse("nursery:staff")).content.decode()
    assert ">SENCO<" in page
    assert ">Safeguarding lead<" in page
    assert "Level 6" in page


def test_the_staff_list_shows_role_room_and_dates_and_lists_leavers_separately(login, manager, nursery, room):
    today = timezone.localdate()
    StaffMemberFactory(
        nursery=nursery,
        room=room,
        role=StaffMember.Role.ROOM_LEADER,
        starts_on=date(2024, 9, 2),
        leaves_on=today + timedelta(days=30),
        user__full_name="Rosa Leader",
    )
    StaffMemberFactory(nursery=nursery, leaves_on=date(2025, 7, 18), user__full_name="Lee Leaver")

    page = login(manager).get(reverse("nursery:staff")).content.decode()

    current, leavers = page.split("Staff who have left")
    assert "Rosa Leader" in current
    assert "Room leader" in current
    assert "Butterflies" in current
    assert "Started 2 Sep 2024" in current
    assert f"Leaves on {today + timedelta(days=30):%-d %b %Y}" in current
    assert "Lee Leaver" not in current
    assert "Lee Leaver" in leavers
    assert "left on 18 July 2025" in leavers


def test_the_edit_post_page_says_what_each_role_may_do_and_what_level_six_changes(login, manager, practitioner_post):
    page = login(manager).get(reverse("nursery:edit_staff", args=[practitioner_post.pk])).content.decode()

    for role in ("Manager", "Deputy manager", "Room leader", "Practitioner"):
        assert f"<dt>{role}</dt>" in page
    assert "The same rights as the manager" in page
    assert "one adult for every 13 children instead of every 8" in page
    assert "Special educational needs co-ordinator" in page
    assert "worry about a child" in page


def test_a_leaving_date_before_the_start_date_is_refused_and_keeps_what_was_typed(login, manager, practitioner_post):
    response = edit(login(manager), practitioner_post, starts_on="2026-09-01", leaves_on="2026-08-31", job_title="Cook")

    page = response.content.decode()
    assert response.status_code == 200
    assert "The leaving date is before the start date. Check both dates." in page
    assert 'value="Cook"' in page
    assert 'value="2026-08-31"' in page
    practitioner_post.refresh_from_db()
    assert (practitioner_post.job_title, practitioner_post.leaves_on) == ("", None)


def test_demoting_the_only_manager_is_refused_with_the_reason(login, manager, nursery):
    response = edit(login(manager), manager_post(manager), role=StaffMember.Role.DEPUTY, is_senco="on")

    assert response.status_code == 200
    assert "Maya Manager is the only manager of Rainbow Nursery. Make someone else a manager first." in (
        response.content.decode()
    )
    post = manager_post(manager)
    assert (post.role, post.is_senco) == (StaffMember.Role.MANAGER, False)  # nothing saved half-way


def test_giving_the_only_manager_a_leaving_date_is_refused(login, manager):
    later = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = edit(login(manager), manager_post(manager), leaves_on=later)

    assert "is the only manager of Rainbow Nursery" in response.content.decode()
    assert manager_post(manager).leaves_on is None


def test_a_deputy_does_not_count_as_another_manager(manager, nursery):
    StaffMemberFactory(nursery=nursery, role=StaffMember.Role.DEPUTY)
    post = manager_post(manager)
    with pytest.raises(ValidationError, match="only manager"):
        services.update_staff_post(member=post, role=StaffMember.Role.PRACTITIONER)
    assert manager_post(manager).role == StaffMember.Role.MANAGER


def test_a_manager_who_is_leaving_does_not_count_after_their_leaving_date(manager, nursery):
    today = timezone.localdate()
    StaffMemberFactory(nursery=nursery, role=StaffMember.Role.MANAGER, leaves_on=today + timedelta(days=10))
    with pytest.raises(ValidationError, match="only manager"):
        services.update_staff_post(
            member=manager_post(manager), role=StaffMember.Role.MANAGER, leaves_on=today + timedelta(days=20)
        )
    services.update_staff_post(
        member=manager_post(manager), role=StaffMember.Role.MANAGER, leaves_on=today + timedelta(days=5)
    )
    assert manager_post(manager).leaves_on == today + timedelta(days=5)


def test_with_a_second_manager_the_first_can_become_deputy(login, manager, nursery):
    StaffMemberFactory(nursery=nursery, role=StaffMember.Role.MANAGER)
    response = edit(login(manager), manager_post(manager), role=StaffMember.Role.DEPUTY)

    assert response.status_code == 302
    post = manager_post(manager)
    assert post.role == StaffMember.Role.DEPUTY
    assert post.is_manager  # a deputy keeps the manager's rights


def test_a_deputy_manages_staff_posts(login, nursery, practitioner_post):
    deputy = StaffMemberFactory(nursery=nursery, role=StaffMember.Role.DEPUTY).user
    response = edit(login(deputy), practitioner_post, role=StaffMember.Role.ROOM_LEADER)
    assert response.status_code == 302
    practitioner_post.refresh_from_db()
    assert practitioner_post.role == StaffMember.Role.ROOM_LEADER


def test_an_archived_room_is_not_offered_as_a_usual_room_but_a_post_keeps_it(
    login, manager, nursery, practitioner_post
):
    RoomFactory(nursery=nursery, name="Old Annexe", archived_on=date(2025, 7, 31))
    page = login(manager).get(reverse("nursery:edit_staff", args=[practitioner_post.pk])).content.decode()
    assert "Old Annexe" not in page
    assert "Butterflies" in page

    practitioner_post.room.archived_on = date(2025, 7, 31)
    practitioner_post.room.save()
    response = edit(login(manager), practitioner_post, is_senco="on")
    assert response.status_code == 302  # saving other changes does not trip over the archived room


def test_a_manager_cannot_open_another_nurserys_post(login, other_manager, practitioner_post):
    response = login(other_manager).get(reverse("nursery:edit_staff", args=[practitioner_post.pk]))
    assert response.status_code == 404


def test_a_practitioner_cannot_change_posts(login, practitioner, practitioner_post):
    response = edit(login(practitioner), practitioner_post, role=StaffMember.Role.MANAGER)
    assert response.status_code == 403
    practitioner_post.refresh_from_db()
    assert practitioner_post.role == StaffMember.Role.PRACTITIONER


def invite(client, **data):
    fields = {"full_name": "Tom Hughes", "email": "tom@example.org", "role": "practitioner", "job_title": "", **data}
    return client.post(reverse("nursery:invite_staff"), fields)


def test_the_invite_form_offers_every_role_and_says_what_each_may_do(login, manager):
    page = login(manager).get(reverse("nursery:invite_staff")).content.decode()
    for value in ("manager", "deputy", "room_leader", "practitioner"):
        assert f'value="{value}"' in page
    assert "<dt>Room leader</dt>" in page


def test_a_deputy_can_be_invited(login, manager):
    response = invite(login(manager), role="deputy")
    assert response.status_code == 302
    assert Invitation.objects.get().staff_grant.role == StaffMember.Role.DEPUTY


def test_inviting_an_address_already_waiting_for_a_reply_is_refused(login, manager):
    client = login(manager)
    invite(client)
    response = invite(client, email="TOM@example.org", full_name="Tom H")
    page = response.content.decode()
    assert "already waiting for a reply" in page
    assert 'value="Tom H"' in page
    assert Invitation.objects.count() == 1


def test_a_former_member_of_staff_can_be_invited_back(login, manager, nursery):
    gone = StaffMemberFactory(nursery=nursery, leaves_on=date(2025, 7, 18), user__email="back@example.org")
    response = invite(login(manager), email="back@example.org")
    assert response.status_code == 302
    assert Invitation.objects.get().email == gone.user.email


def test_inviting_someone_in_post_here_is_refused_in_the_service_too(manager, nursery, practitioner):
    with pytest.raises(ValidationError, match="already works here"):
        services.invite_staff(
            nursery=nursery, email=practitioner.email, full_name="P", role="practitioner", invited_by=manager
        )
    assert not Invitation.objects.exists()
