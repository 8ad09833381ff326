"""Session times, working weeks and absences, as a manager sets them up."""

from datetime import time

import pytest
from django.urls import reverse

from nursery.models import NurserySession, StaffAbsence
from nursery.tests.factories import NurserySessionFactory, StaffAbsenceFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


def test_manager_adds_and_changes_a_session(login, manager, nursery):
    client = login(manager)
    client.post(reverse("nursery:sessions"), {"name": "Morning", "starts_at": "08:00", "ends_at": "13:00"})
    session = NurserySession.objects.get(nursery=nursery)
    assert (session.name, session.starts_at, session.ends_at) == ("Morning", time(8), time(13))

    client.post(
        reverse("nursery:edit_session", args=[session.pk]),
        {"name": "Morning", "starts_at": "07:30", "ends_at": "13:00"},
    )
    session.refresh_from_db()
    assert session.starts_at == time(7, 30)


def test_a_session_ending_before_it_starts_or_named_twice_is_refused(login, manager, nursery):
    NurserySessionFactory(nursery=nursery, name="Morning")
    client = login(manager)
    backwards = client.post(reverse("nursery:sessions"), {"name": "Late", "starts_at": "18:00", "ends_at": "08:00"})
    twice = client.post(reverse("nursery:sessions"), {"name": "morning", "starts_at": "08:00", "ends_at": "12:00"})
    assert "A session must end after it starts." in backwards.content.decode()
    assert "There is already a session with this name." in twice.content.decode()
    assert NurserySession.objects.count() == 1


def test_another_nurserys_session_is_not_found(login, other_manager, nursery):
    session = NurserySessionFactory(nursery=nursery)
    assert login(other_manager).get(reverse("nursery:edit_session", args=[session.pk])).status_code == 404


def test_manager_sets_a_working_week(login, manager, nursery, practitioner_post):
    full_day = NurserySessionFactory(nursery=nursery)
    client = login(manager)
    url = reverse("nursery:working_pattern", args=[practitioner_post.pk])
    assert client.post(url, {"slots": [f"0:{full_day.pk}", f"2:{full_day.pk}"]}).status_code == 302
    assert set(practitioner_post.working_pattern.values_list("weekday", flat=True)) == {0, 2}

    client.post(url, {"slots": [f"2:{full_day.pk}"]})
    assert set(practitioner_post.working_pattern.values_list("weekday", flat=True)) == {2}


def test_overlapping_sessions_on_one_day_are_refused_and_nothing_saved(login, manager, nursery, practitioner_post):
    full_day = NurserySessionFactory(nursery=nursery, name="Full day", starts_at=time(8), ends_at=time(18))
    morning = NurserySessionFactory(nursery=nursery, name="Morning", starts_at=time(8), ends_at=time(13))
    response = login(manager).post(
        reverse("nursery:working_pattern", args=[practitioner_post.pk]),
        {"slots": [f"1:{morning.pk}", f"1:{full_day.pk}"]},
    )
    assert "Tuesday: Morning and Full day overlap. Choose one of them." in response.content.decode()
    assert f'value="1:{morning.pk}" id="slot-1{morning.pk}" checked' in response.content.decode()  # kept ticked
    assert not practitioner_post.working_pattern.exists()


def test_manager_records_and_removes_an_absence(login, manager, practitioner_post):
    client = login(manager)
    client.post(
        reverse("nursery:absences"),
        {"staff": practitioner_post.pk, "kind": "training", "starts_on": "2099-03-02", "ends_on": "2099-03-03"},
    )
    absence = StaffAbsence.objects.get()
    assert (absence.kind, absence.created_by) == ("training", manager)
    assert "Priya Practitioner" in client.get(reverse("nursery:absences")).content.decode()

    client.post(reverse("nursery:delete_absence", args=[absence.pk]))
    assert not StaffAbsence.objects.exists()


def test_back_to_front_or_overlapping_absences_are_refused(login, manager, practitioner_post):
    StaffAbsenceFactory(staff=practitioner_post, starts_on="2099-03-02", ends_on="2099-03-06")
    client = login(manager)
    backwards = client.post(
        reverse("nursery:absences"),
        {"staff": practitioner_post.pk, "kind": "holiday", "starts_on": "2099-04-10", "ends_on": "2099-04-01"},
    )
    overlapping = client.post(
        reverse("nursery:absences"),
        {"staff": practitioner_post.pk, "kind": "sickness", "starts_on": "2099-03-05", "ends_on": "2099-03-09"},
    )
    assert "The last day away is before the first day." in backwards.content.decode()
    assert "Priya Practitioner is already away then (holiday, 2 March to 6 March 2099)." in overlapping.content.decode()
    assert StaffAbsence.objects.count() == 1


def test_staff_of_another_nursery_cannot_be_recorded_absent(login, manager, other_nursery):
    stranger = StaffMemberFactory(nursery=other_nursery)
    response = login(manager).post(
        reverse("nursery:absences"),
        {"staff": stranger.pk, "kind": "holiday", "starts_on": "2099-03-02", "ends_on": "2099-03-02"},
    )
    assert response.status_code == 200
    assert not StaffAbsence.objects.exists()
