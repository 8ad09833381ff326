"""Adding and editing children, family links, contact details, emergency contacts and the record history."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from children.day.selectors import moment
from children.models import Child, ChildAuditEvent, EmergencyContact
from children.tests.factories import EmergencyContactFactory, GuardianshipFactory
from nursery.tests.factories import RoomFactory

# Dates here are counted from TODAY, so the clock is pinned to the middle of that day: a run that crosses
# midnight, or a night the clocks change, does not make "today" two different days.
TODAY = date(2026, 12, 9)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(TODAY, time(10, 30)))]


def child_data(room, **changes) -> dict:
    data = {
        "first_name": "Noor",
        "last_name": "Hussain",
        "preferred_name": "",
        "date_of_birth": (TODAY - timedelta(days=800)).isoformat(),
        "start_date": TODAY.isoformat(),
        "leave_date": "",
        "room": room.pk,
    }
    return data | changes


def test_manager_adds_a_child_who_appears_in_the_record_history(login, manager, room):
    response = login(manager).post(reverse("children:add"), child_data(room, preferred_name="Nono"))
    child = Child.objects.get(first_name="Noor")
    assert response.url == reverse("children:detail", args=[child.pk])
    assert (child.nursery, child.room, child.known_as) == (room.nursery, room, "Nono")
    assert child.audit_events.filter(action=ChildAuditEvent.Action.CREATED, actor=manager).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date_of_birth": (TODAY + timedelta(days=1)).isoformat()}, "The date of birth cannot be in the future."),
        (
            {"start_date": TODAY.isoformat(), "leave_date": (TODAY - timedelta(days=1)).isoformat()},
            "The leave date cannot be before the start date.",
        ),
        (
            {"start_date": (TODAY - timedelta(days=900)).isoformat()},
            "The start date cannot be before the child was born.",
        ),
    ],
)
def test_impossible_dates_are_refused_with_a_clear_message_and_keep_what_was_typed(
    login, manager, room, changes, message
):
    response = login(manager).post(reverse("children:add"), child_data(room, **changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Hussain"' in page
    assert not Child.objects.filter(first_name="Noor").exists()


def test_a_room_of_another_nursery_is_refused(login, manager, room, other_nursery):
    elsewhere = RoomFactory(nursery=other_nursery)
    response = login(manager).post(reverse("children:add"), child_data(room) | {"room": elsewhere.pk})
    assert "Choose one of this nursery&#x27;s rooms." in response.content.decode()
    assert not Child.objects.filter(first_name="Noor").exists()


def test_manager_edits_a_child_and_the_change_is_written_down(login, manager, child, room):
    response = login(manager).post(
        reverse("children:edit", args=[child.pk]), child_data(room, first_name="Ava", last_name="Taylor-Jones")
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.last_name == "Taylor-Jones"
    assert child.audit_events.filter(what__contains="Last name").exists()


def test_practitioners_cannot_add_or_edit_children(login, practitioner, child):
    client = login(practitioner)
    assert client.get(reverse("children:add")).status_code == 403
    assert client.get(reverse("children:edit", args=[child.pk])).status_code == 403


def test_manager_sets_who_the_child_lives_with_and_what_each_person_may_do(login, manager, child, parent):
    link = parent.guardianships.get()
    response = login(manager).post(
        reverse("children:guardian_edit", args=[link.pk]),
        {
            "relationship": "father",
            "has_parental_responsibility": "on",
            "address": "2 Elm Road",
            "can_view_story": "on",
        },
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.relationship, link.address, link.lives_with_child) == ("father", "2 Elm Road", False)
    assert link.can_view_story
    assert not (link.can_contribute)
    assert not (link.receives_feedback)
    assert not (link.can_collect)
    page = login(manager).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "May not collect" in page


def test_a_manager_cannot_edit_another_nurserys_family_links(login, other_manager, parent):
    link = parent.guardianships.get()
    assert login(other_manager).get(reverse("children:guardian_edit", args=[link.pk])).status_code == 404


def test_parent_updates_their_own_phone_and_address_for_all_their_children(login, parent, child, nursery):
    sibling_link = GuardianshipFactory(child__nursery=nursery, user=parent)
    response = login(parent).post(
        reverse("children:my_details"), {"full_name": "Sam Taylor", "phone": "07700 900999", "address": "3 Oak Way"}
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.phone == "07700 900999"
    assert set(parent.guardianships.values_list("address", flat=True)) == {"3 Oak Way"}
    assert sibling_link.child.audit_events.filter(what="Family contact details updated").exists()


def test_staff_see_the_family_contact_details_and_parents_do_not_see_each_others(
    login, practitioner, parent, child, nursery
):
    parent.phone = "07700 900111"
    parent.save()
    other_carer = GuardianshipFactory(child=child, address="Flat 9, Secret Street").user
    staff_page = login(practitioner).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "07700 900111" in staff_page
    assert "Secret Street" in staff_page
    parent_page = login(parent).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert other_carer.full_name in parent_page
    assert "Secret Street" not in parent_page


def test_manager_adds_emergency_contacts_shown_in_call_order(login, manager, child):
    EmergencyContactFactory(child=child, name="Second Person", priority=2)
    response = login(manager).post(
        reverse("children:emergency_contact_add", args=[child.pk]),
        {"name": "First Person", "relationship": "Neighbour", "phone": "01603 000000", "priority": 1},
    )
    assert response.status_code == 302
    assert list(child.emergency_contacts.values_list("name", "may_collect")) == [
        ("First Person", False),
        ("Second Person", False),
    ]
    page = login(manager).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert page.index("First Person") < page.index("Second Person")


def test_emergency_contact_needs_a_phone_number(login, manager, child):
    response = login(manager).post(
        reverse("children:emergency_contact_add", args=[child.pk]),
        {"name": "No Phone", "relationship": "Friend", "phone": "", "priority": 1},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not EmergencyContact.objects.exists()


def test_manager_removes_an_emergency_contact(login, manager, child):
    contact = EmergencyContactFactory(child=child)
    login(manager).post(reverse("children:emergency_contact_delete", args=[contact.pk]))
    assert not child.emergency_contacts.exists()
    assert child.audit_events.filter(what__startswith="Emergency contact removed").exists()


def test_the_child_page_costs_the_same_queries_however_big_the_family(login, manager, child):
    client = login(manager)
    url = reverse("children:detail", args=[child.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    GuardianshipFactory(child=child)
    EmergencyContactFactory(child=child)
    queries()  # the first view is written to the record history; the next within 10 minutes are not
    few = queries()
    GuardianshipFactory.create_batch(3, child=child)
    EmergencyContactFactory.create_batch(3, child=child)
    assert queries() == few


def test_the_edit_form_shows_the_childs_dates_in_the_date_pickers(login, manager, child):
    page = login(manager).get(reverse("children:edit", args=[child.pk])).content.decode()

    # A browser's date picker only reads ISO dates; 14/03/2024 would show an empty box.
    assert f'value="{child.date_of_birth.isoformat()}"' in page
    assert f'value="{child.start_date.isoformat()}"' in page
