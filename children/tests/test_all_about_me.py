"""All about me: who fills it in, and changes at home that the key person reads and accepts."""

import pytest
from django.urls import reverse

from children.models import AllAboutMe, HomeChange
from children.selectors import unread_home_changes_for, with_alerts
from children.tests.factories import AllAboutMeFactory, ChildFactory, HomeChangeFactory
from nursery.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

ABOUT_FIELDS = [
    "likes",
    "dislikes",
    "interests",
    "sleep_routine",
    "feeding_routine",
    "toileting_routine",
    "comforters",
    "home_languages",
    "dietary_needs",
    "allergies",
    "medical_needs",
]


def answers(about: AllAboutMe | None = None, **changes) -> dict:
    return {field: getattr(about, field, "") for field in ABOUT_FIELDS} | changes


@pytest.fixture
def room_colleague(nursery, room):
    """A practitioner in the same room who is not the child's key person."""
    return StaffMemberFactory(nursery=nursery, room=room).user


def test_the_key_person_fills_in_all_about_me(login, practitioner, child):
    response = login(practitioner).post(
        reverse("children:all_about_me_edit", args=[child.pk]), answers(comforters="Blue blanket")
    )
    assert response.status_code == 302
    assert child.all_about_me.comforters == "Blue blanket"
    assert child.audit_events.filter(what="All about me updated", actor=practitioner).exists()


def test_other_practitioners_read_all_about_me_but_cannot_change_it(login, room_colleague, child):
    client = login(room_colleague)
    assert client.get(reverse("children:all_about_me", args=[child.pk])).status_code == 200
    assert client.get(reverse("children:all_about_me_edit", args=[child.pk])).status_code == 403


def test_parent_proposes_a_change_at_home_which_is_not_applied_until_staff_accept_it(login, parent, child):
    about = AllAboutMeFactory(child=child)
    response = login(parent).post(
        reverse("children:propose_home_change", args=[child.pk]),
        answers(about, sleep_routine="No nap any more", note="She sleeps 7pm to 7am"),
    )
    assert response.status_code == 302
    change = HomeChange.objects.get()
    assert change.changes == {"sleep_routine": {"from": about.sleep_routine, "to": "No nap any more"}}
    assert change.is_unread
    about.refresh_from_db()
    assert about.sleep_routine == "One nap after lunch, with her blanket"


def test_a_change_at_home_that_changes_nothing_asks_the_parent_to_say_what_changed(login, parent, child):
    about = AllAboutMeFactory(child=child)
    response = login(parent).post(reverse("children:propose_home_change", args=[child.pk]), answers(about))
    assert "Nothing has changed yet" in response.content.decode()
    assert not HomeChange.objects.exists()


def test_a_change_at_home_stays_flagged_for_the_key_person_until_read(login, practitioner, parent, child):
    HomeChangeFactory(child=child, proposed_by=parent, changes={}, note="New baby brother arrived!")
    client = login(practitioner)
    assert "1 change at home, not read yet" in client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert unread_home_changes_for([child.pk]) == {child.pk: 1}

    change = HomeChange.objects.get()
    client.post(reverse("children:read_home_change", args=[change.pk]), follow=True)

    assert unread_home_changes_for([child.pk]) == {}
    assert "not read yet" not in client.get(reverse("children:detail", args=[child.pk])).content.decode()
    change.refresh_from_db()
    assert (change.read_by, change.accepted) == (practitioner, False)


def test_accepting_a_change_at_home_copies_it_into_the_record(login, practitioner, parent, child):
    AllAboutMeFactory(child=child, likes="Trains")
    change = HomeChangeFactory(
        child=child, proposed_by=parent, changes={"likes": {"from": "Trains", "to": "Dinosaurs"}}
    )
    page = login(practitioner).get(reverse("children:all_about_me", args=[child.pk])).content.decode()
    assert "<del>Trains</del>" in page
    assert "<ins>Dinosaurs</ins>" in page

    login(practitioner).post(reverse("children:accept_home_change", args=[change.pk]))

    child.all_about_me.refresh_from_db()
    assert child.all_about_me.likes == "Dinosaurs"
    change.refresh_from_db()
    assert change.accepted
    assert not change.is_unread


def test_a_practitioner_who_is_not_the_key_person_cannot_deal_with_changes_at_home(login, room_colleague, child):
    change = HomeChangeFactory(child=child)
    assert login(room_colleague).post(reverse("children:accept_home_change", args=[change.pk])).status_code == 403
    assert HomeChange.objects.get().is_unread


def test_a_parent_cannot_propose_changes_for_another_family(login, other_parent, child):
    assert login(other_parent).get(reverse("children:propose_home_change", args=[child.pk])).status_code == 404


def test_unread_changes_for_many_children_are_counted_in_one_query(child, other_child, django_assert_num_queries):
    HomeChangeFactory.create_batch(2, child=child)
    HomeChangeFactory(child=other_child, read_at="2026-01-01T10:00Z")
    with django_assert_num_queries(1):
        assert unread_home_changes_for([child.pk, other_child.pk]) == {child.pk: 2}


def test_allergies_and_medical_needs_show_beside_the_child_wherever_staff_list_them(
    login, practitioner, child, other_child, nursery, room
):
    AllAboutMeFactory(child=child, allergies="Peanuts", medical_needs="Asthma: inhaler in bag")
    page = login(practitioner).get(reverse("children:list")).content.decode()
    assert "Allergy: Peanuts" in page
    assert "Medical: Asthma" in page
    detail = login(practitioner).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Allergies and medical needs" in detail
    assert "Allergy" not in login(practitioner).get(reverse("children:detail", args=[other_child.pk])).content.decode()


def test_the_alerts_include_costs_no_query_per_child(nursery, django_assert_num_queries):
    from django.template.loader import render_to_string

    for _ in range(3):
        AllAboutMeFactory(child=ChildFactory(nursery=nursery), allergies="Egg")
    ChildFactory(nursery=nursery)
    with django_assert_num_queries(1):
        html = "".join(
            render_to_string("children/_alerts.html", {"child": child}) for child in with_alerts(nursery.children.all())
        )
    assert html.count("Allergy: Egg") == 3


def test_a_parent_is_told_their_change_is_waiting_for_the_key_person(login, parent, child):
    HomeChangeFactory(child=child, proposed_by=parent)
    page = login(parent).get(reverse("children:all_about_me", args=[child.pk])).content.decode()
    assert "has not read them yet" in page
    assert "Accept into All about me" not in page
