"""What staff and families read about a child's key person: the history for staff, and a leaver's family card."""

from datetime import date, time

import pytest
from django.urls import reverse

from children.day.selectors import moment
from children.models import ConfidentialNote, Guardianship, HomeChange
from keyworker.models import KeyPersonAssignment
from keyworker.tests.factories import KeyPersonAssignmentFactory
from learning_stories.models import Observation
from nursery.tests.factories import StaffMemberFactory

TODAY = date(2026, 12, 7)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(TODAY, time(10, 30)))]


@pytest.fixture
def changed_key_person(child, nursery, practitioner_post, manager):
    """Ava had Jo until 31 October; Priya (``practitioner``) since 1 November, because they bonded."""
    jo = StaffMemberFactory(nursery=nursery, user__full_name="Jo Earlier")
    KeyPersonAssignment.objects.filter(child=child).update(
        key_person=jo, starts_on=date(2025, 9, 1), ends_on=date(2026, 10, 31)
    )
    KeyPersonAssignmentFactory(
        child=child,
        key_person=practitioner_post,
        starts_on=date(2026, 11, 1),
        reason="Bonded with Priya during settling in",
        created_by=manager,
    )
    return child


def test_a_key_person_sees_who_held_the_role_when_and_why_on_the_childs_page(login, practitioner, changed_key_person):
    page = login(practitioner).get(reverse("children:detail", args=[changed_key_person.pk])).content.decode()
    assert "Key person history" in page
    assert "Jo Earlier</strong>, 1 Sep 2025 to 31 Oct 2026" in page
    assert "Priya Practitioner</strong>, 1 Nov 2026 to now" in page
    assert "Why: Bonded with Priya during settling in" in page


def test_the_change_key_person_page_shows_the_same_history(login, manager, changed_key_person):
    page = login(manager).get(reverse("keyworker:assign", args=[changed_key_person.pk])).content.decode()
    assert "Jo Earlier</strong>, 1 Sep 2025 to 31 Oct 2026" in page
    assert "Why: Bonded with Priya during settling in" in page
    # Both forms on the page have a "buddy" field; each keeps its own id (valid HTML, labels that work).
    assert page.count('id="id_buddy"') <= 1
    assert 'id="buddy-form-buddy"' in page


def test_a_family_does_not_see_the_key_person_history(login, parent, changed_key_person):
    page = login(parent).get(reverse("children:detail", args=[changed_key_person.pk])).content.decode()
    assert "Priya Practitioner" in page
    assert "Key person history" not in page
    assert "Jo Earlier" not in page
    assert "Bonded with" not in page


@pytest.fixture
def left(child):
    child.leave_date = date(2026, 11, 28)
    child.sex = "female"
    child.save()
    KeyPersonAssignment.objects.filter(child=child).update(ends_on=child.leave_date)
    return child


def test_a_leavers_family_is_not_offered_add_something_from_home(login, parent, left):
    client = login(parent)
    for name in ("keyworker:my_children", "stories:story"):
        url = reverse(name) if name == "keyworker:my_children" else reverse(name, args=[left.pk])
        assert "Add something from home" not in client.get(url).content.decode(), name
    assert client.get(reverse("stories:add_home", args=[left.pk])).status_code == 404


def test_a_family_whose_child_attends_is_offered_add_something_from_home(login, parent, child):
    client = login(parent)
    assert "Add something from home" in client.get(reverse("keyworker:my_children")).content.decode()
    assert client.get(reverse("stories:add_home", args=[child.pk])).status_code == 200


def test_a_family_whose_link_excludes_adding_is_not_offered_it(login, parent, child):
    Guardianship.objects.filter(user=parent).update(can_contribute=False)
    page = login(parent).get(reverse("keyworker:my_children")).content.decode()
    assert "Add something from home" not in page


def test_a_leavers_card_says_the_child_left_and_names_the_last_key_person(login, parent, left):
    page = login(parent).get(reverse("keyworker:my_children")).content.decode()
    assert "Ava left on 28 November 2026. Her key person was <strong>Priya Practitioner</strong>." in page
    assert "not chosen yet" not in page


def test_a_leavers_page_for_staff_names_the_last_key_person_and_the_day_the_child_left(login, practitioner, left):
    page = login(practitioner).get(reverse("children:detail", args=[left.pk])).content.decode()
    assert "Ava left on 28 November 2026. Her key person was <strong>Priya Practitioner</strong>." in page
    assert "Not chosen yet" not in page
    assert "Key person history" in page


def test_a_leavers_page_for_the_family_names_the_last_key_person_and_the_day_the_child_left(login, parent, left):
    page = login(parent).get(reverse("children:detail", args=[left.pk])).content.decode()
    assert "Ava left on 28 November 2026. Her key person was <strong>Priya Practitioner</strong>." in page
    assert "Not chosen yet" not in page


def test_a_leavers_family_is_not_offered_changes_at_home_or_a_new_private_note(login, parent, left):
    client = login(parent)
    for name in ("children:detail", "children:all_about_me"):
        page = client.get(reverse(name, args=[left.pk])).content.decode()
        assert reverse("children:propose_home_change", args=[left.pk]) not in page, name
        assert "A private note for the key person" not in page, name
    notes = client.get(reverse("children:family_notes", args=[left.pk])).content.decode()
    assert "Send privately" not in notes
    assert "no more notes can be sent" in notes


def test_a_leavers_family_cannot_add_by_posting_directly(login, parent, left):
    client = login(parent)
    note = client.post(reverse("children:family_notes", args=[left.pk]), {"text": "We are moving house"})
    change = client.post(reverse("children:propose_home_change", args=[left.pk]), {"likes": "Trains", "note": "Hi"})
    home = client.post(reverse("stories:add_home", args=[left.pk]), {"text": "Built a tower", "observed_on": TODAY})
    assert (note.status_code, change.status_code, home.status_code) == (404, 404, 404)
    assert client.get(reverse("children:propose_home_change", args=[left.pk])).status_code == 404
    assert not ConfidentialNote.objects.filter(child=left).exists()
    assert not HomeChange.objects.filter(child=left).exists()
    assert not Observation.objects.filter(children=left).exists()


def test_a_family_whose_child_attends_still_sends_a_private_note_and_a_change_at_home(login, parent, child):
    client = login(parent)
    client.post(reverse("children:family_notes", args=[child.pk]), {"text": "We are moving house"})
    client.post(reverse("children:propose_home_change", args=[child.pk]), {"likes": "Trains", "note": "Hi"})
    assert ConfidentialNote.objects.filter(child=child).count() == 1
    assert HomeChange.objects.filter(child=child).count() == 1
