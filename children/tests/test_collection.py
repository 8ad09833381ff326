"""Collection: who may collect a child, the family's collection password and one-off collectors, and signing
out with the person who collected."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from children.collection import selectors, services
from children.collection.models import AuthorisedCollector, CollectionPassword, OneOffCollector
from children.day import services as day
from children.day.selectors import moment
from children.models import ChildAuditEvent
from children.tests.factories import EmergencyContactFactory, GuardianshipFactory
from nursery.models import StaffMember
from nursery.tests.factories import StaffMemberFactory

WEDNESDAY = date(2026, 3, 4)

# Signing out refuses times in the future: run at half past three on a weekday, whatever the real hour.
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(WEDNESDAY, time(15, 30)))]

PASSWORD = "purple giraffe"


@pytest.fixture
def here(child, practitioner):
    """``child`` signed in this morning."""
    day.sign_in(child=child, by=practitioner, at=timezone.now() - timedelta(hours=6))
    return child


@pytest.fixture
def with_password(child, parent):
    services.set_collection_password(child=child, password=PASSWORD, by=parent)
    return child


def one_off_today(child, parent, name="Nan Jones") -> OneOffCollector:
    return services.name_one_off_collector(
        child=child, day=timezone.localdate(), name=name, relationship="Neighbour", by=parent
    )


def key_of(child, name: str) -> str:
    return next(person.key for person in selectors.collectors_for(child, timezone.localdate()) if person.name == name)


# --- The list ----------------------------------------------------------------------------------


def test_the_list_has_family_and_contacts_who_may_collect_and_the_people_the_family_named(child, parent):
    GuardianshipFactory(child=child, user__full_name="Alex Taylor", can_collect=False)
    EmergencyContactFactory(child=child, name="Gran Rose", may_collect=True)
    EmergencyContactFactory(child=child, name="Mr Neighbour", may_collect=False)
    AuthorisedCollector.objects.create(child=child, name="Aunt Bea", relationship="Aunt", phone="07700 900111")
    OneOffCollector.objects.create(child=child, day=timezone.localdate() + timedelta(days=1), name="Tomorrow Tom")

    names = [person.label for person in selectors.collectors_for(child, timezone.localdate())]

    assert names == ["Sam Taylor (Mother)", "Gran Rose (Grandmother)", "Aunt Bea (Aunt)"]


def test_a_one_off_collector_is_on_the_list_only_on_their_day(child, parent, with_password):
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.name_one_off_collector(child=child, day=tomorrow, name="Nan Jones", relationship="Neighbour", by=parent)
    assert [p.name for p in selectors.collectors_for(child, tomorrow) if p.one_off] == ["Nan Jones"]
    assert not [p for p in selectors.collectors_for(child, timezone.localdate()) if p.one_off]


# --- The password ------------------------------------------------------------------------------


def test_the_collection_password_is_kept_only_as_a_hash(child, parent):
    services.set_collection_password(child=child, password=PASSWORD, by=parent)
    stored = CollectionPassword.objects.get(child=child)
    assert PASSWORD not in stored.password
    assert stored.matches(PASSWORD)
    assert not stored.matches("green giraffe")
    assert not ChildAuditEvent.objects.filter(what__icontains="giraffe").exists()


def test_a_password_too_short_to_say_at_the_door_is_refused(child, parent):
    with pytest.raises(ValidationError, match="Choose a password of 4"):
        services.set_collection_password(child=child, password="ab", by=parent)


# --- Signing out with the person collecting ---------------------------------------------------


def test_signing_out_records_who_collected_and_the_record_history_says_so(here, practitioner, parent):
    stay = day.sign_out(child=here, by=practitioner, collector=key_of(here, "Sam Taylor"))
    assert (stay.signed_out_by, stay.collected_by) == (practitioner, "Sam Taylor (Mother)")
    event = ChildAuditEvent.objects.filter(child=here).first()
    assert (event.actor, event.what) == (practitioner, "Signed out at 15:30, collected by Sam Taylor (Mother)")


def test_once_the_family_has_a_list_staff_must_choose_who_is_collecting(here, practitioner, parent):
    with pytest.raises(ValidationError, match="Choose who is collecting Ava"):
        day.sign_out(child=here, by=practitioner)
    assert here.attendances.get().signed_out_at is None


def test_a_child_with_nobody_on_the_list_yet_is_signed_out_without_a_collector(here, practitioner):
    stay = day.sign_out(child=here, by=practitioner)
    assert stay.signed_out_at
    assert stay.collected_by == ""


def test_someone_not_on_the_list_is_refused_and_staff_are_told_to_call_the_family(here, practitioner, parent):
    with pytest.raises(ValidationError, match="Do not hand Ava over: call the family"):
        day.sign_out(child=here, by=practitioner, collector=selectors.NOT_ON_LIST)
    with pytest.raises(ValidationError, match="only go home with someone on the family's list"):
        day.sign_out(child=here, by=practitioner, collector="guardian:999999")
    assert here.attendances.get().signed_out_at is None


def test_a_one_off_collector_goes_with_the_child_after_giving_the_password(here, practitioner, parent, with_password):
    one_off_today(here, parent)
    stay = day.sign_out(child=here, by=practitioner, collector=key_of(here, "Nan Jones"), password=f" {PASSWORD} ")
    assert stay.collected_by == "Nan Jones (Neighbour, one-off), password given"


def test_a_one_off_collector_without_the_right_password_is_refused(here, practitioner, parent, with_password):
    one_off_today(here, parent)
    key = key_of(here, "Nan Jones")
    with pytest.raises(ValidationError, match="Ask Nan Jones for the family's collection password"):
        day.sign_out(child=here, by=practitioner, collector=key)
    with pytest.raises(ValidationError, match="not the family's collection password"):
        day.sign_out(child=here, by=practitioner, collector=key, password="orange giraffe")
    assert here.attendances.get().signed_out_at is None
    assert ChildAuditEvent.objects.filter(child=here, what="Wrong collection password given by Nan Jones").exists()


def test_after_five_wrong_passwords_checking_pauses_even_for_the_right_one(
    here, practitioner, parent, with_password, time_machine
):
    one_off_today(here, parent)
    key = key_of(here, "Nan Jones")
    for _ in range(services.MAX_WRONG_PASSWORDS):
        with pytest.raises(ValidationError, match="not the family's collection password"):
            day.sign_out(child=here, by=practitioner, collector=key, password="guess")
    with pytest.raises(ValidationError, match="checking it is paused for 15 minutes"):
        day.sign_out(child=here, by=practitioner, collector=key, password=PASSWORD)
    time_machine.shift(services.WRONG_PASSWORD_PAUSE)
    assert day.sign_out(child=here, by=practitioner, collector=key, password=PASSWORD).signed_out_at


def test_a_new_password_clears_the_wrong_guesses(here, practitioner, parent, with_password):
    one_off_today(here, parent)
    key = key_of(here, "Nan Jones")
    for _ in range(services.MAX_WRONG_PASSWORDS):
        with pytest.raises(ValidationError):
            day.sign_out(child=here, by=practitioner, collector=key, password="guess")
    services.set_collection_password(child=here, password="blue whale", by=parent)
    assert day.sign_out(child=here, by=practitioner, collector=key, password="blue whale").signed_out_at


# --- One-off collectors ------------------------------------------------------------------------


def test_a_one_off_collector_needs_a_collection_password_first(child, parent):
    with pytest.raises(ValidationError, match="Set a collection password first"):
        one_off_today(child, parent)


@pytest.mark.parametrize("days", [-1, services.ONE_OFF_AHEAD_DAYS + 1])
def test_a_one_off_collector_is_named_for_today_or_the_next_few_weeks_only(child, parent, with_password, days):
    with pytest.raises(ValidationError, match="Choose"):
        services.name_one_off_collector(
            child=child, day=timezone.localdate() + timedelta(days=days), name="X", relationship="Y", by=parent
        )


def test_naming_someone_else_for_the_same_day_replaces_the_first(child, parent, with_password):
    one_off_today(child, parent, name="Nan Jones")
    one_off_today(child, parent, name="Uncle Joe")
    assert list(OneOffCollector.objects.values_list("name", flat=True)) == ["Uncle Joe"]


# --- Pages -------------------------------------------------------------------------------------


def test_a_parent_sets_the_password_and_the_page_never_shows_it(child, parent, login):
    client = login(parent)
    url = reverse("children:collection", args=[child.pk])
    data = {"action": "password", "password-password": PASSWORD, "password-password_again": PASSWORD}
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert "You have set a collection password" in page
    assert PASSWORD not in page
    assert CollectionPassword.objects.get(child=child).matches(PASSWORD)


def test_two_different_passwords_are_refused_and_not_sent_back(child, parent, login):
    data = {"action": "password", "password-password": PASSWORD, "password-password_again": "purple giraffes"}
    response = login(parent).post(reverse("children:collection", args=[child.pk]), data)
    page = response.content.decode()
    assert "type the same one twice" in page
    assert PASSWORD not in page
    assert not CollectionPassword.objects.exists()


def test_a_parent_adds_and_removes_someone_who_may_collect(child, parent, login):
    client = login(parent)
    url = reverse("children:collection", args=[child.pk])
    data = {"action": "add", "add-name": "Aunt Bea", "add-relationship": "Aunt", "add-phone": "07700 900111"}
    assert client.post(url, data).status_code == 302
    person = AuthorisedCollector.objects.get(child=child)
    assert (person.name, person.added_by) == ("Aunt Bea", parent)
    assert client.post(reverse("children:collection_remove_collector", args=[person.pk])).status_code == 302
    assert not AuthorisedCollector.objects.exists()


def test_a_parent_names_a_one_off_collector_and_a_day_in_the_past_is_refused_keeping_what_was_typed(
    child, parent, with_password, login
):
    client = login(parent)
    url = reverse("children:collection", args=[child.pk])
    data = {"action": "one_off", "one_off-name": "Nan Jones", "one_off-relationship": "Neighbour"}
    page = client.post(url, data | {"one_off-day": "2026-03-03"}).content.decode()
    assert "Choose today or a day to come." in page
    assert 'value="Nan Jones"' in page
    response = client.post(url, data | {"one_off-day": "2026-03-04"}, follow=True)
    assert "The nursery will expect Nan Jones to collect Ava today" in response.content.decode()


def test_other_families_and_another_nurserys_staff_cannot_see_or_change_the_arrangements(
    child, parent, other_parent, other_manager, login
):
    person = AuthorisedCollector.objects.create(child=child, name="Aunt Bea", relationship="Aunt", phone="1")
    for outsider in (other_parent, other_manager):
        client = login(outsider)
        assert client.get(reverse("children:collection", args=[child.pk])).status_code == 404
        assert client.post(reverse("children:collection_remove_collector", args=[person.pk])).status_code == 404
    assert AuthorisedCollector.objects.exists()


def test_staff_see_the_list_on_the_childs_page_but_only_the_family_changes_it(child, parent, practitioner, login):
    AuthorisedCollector.objects.create(child=child, name="Aunt Bea", relationship="Aunt", phone="07700 900111")
    client = login(practitioner)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Who may collect Ava" in page
    assert "Aunt Bea" in page
    assert client.get(reverse("children:collection", args=[child.pk])).status_code == 403


def test_a_family_member_without_parental_responsibility_does_not_decide_who_collects(child, login):
    gran = GuardianshipFactory(child=child, relationship="grandparent", has_parental_responsibility=False).user
    assert login(gran).get(reverse("children:collection", args=[child.pk])).status_code == 403


def test_staff_of_another_nursery_do_not_see_a_one_off_collector_on_any_register(
    child, parent, with_password, other_nursery, login
):
    one_off_today(child, parent)
    other_room_staff = StaffMemberFactory(nursery=other_nursery, role=StaffMember.Role.MANAGER).user
    response = login(other_room_staff).get(reverse("children:room_register", args=[child.room_id]))
    assert response.status_code == 404


# --- The register ------------------------------------------------------------------------------


def test_the_register_shows_the_one_off_collector_and_asks_for_the_password(
    here, parent, practitioner, with_password, login
):
    one_off_today(here, parent)
    page = login(practitioner).get(reverse("children:room_register", args=[here.room_id])).content.decode()
    assert "Collected today by Nan Jones (Neighbour, one-off) \N{EN DASH} ask for the password" in page
    assert 'name="collection_password"' in page
    assert PASSWORD not in page


def test_signing_out_on_the_register_with_someone_not_on_the_list_shows_why(here, parent, practitioner, login):
    url = reverse("children:sign_out", args=[here.pk])
    response = login(practitioner).post(url, {"collector": "other"}, HTTP_HX_REQUEST="true")
    assert "call the family" in response.content.decode()
    assert here.attendances.get().signed_out_at is None


def test_signing_out_on_the_register_with_a_parent_says_who_collected(here, parent, practitioner, login):
    url = reverse("children:sign_out", args=[here.pk])
    response = login(practitioner).post(url, {"collector": key_of(here, "Sam Taylor")}, follow=True)
    assert "Ava signed out at 15:30, collected by Sam Taylor (Mother)." in response.content.decode()
    assert here.attendances.get().collected_by == "Sam Taylor (Mother)"
