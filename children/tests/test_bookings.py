"""A child's booking pattern: the sessions they come to on each weekday."""

import pytest
from django.urls import reverse

from children.models import ChildAuditEvent
from nursery.tests.factories import NurserySessionFactory

pytestmark = pytest.mark.django_db


def test_manager_sets_a_childs_sessions_and_the_change_is_logged(login, manager, nursery, child):
    morning = NurserySessionFactory(nursery=nursery, name="Morning")
    response = login(manager).post(
        reverse("children:bookings", args=[child.pk]), {"slots": [f"0:{morning.pk}", f"3:{morning.pk}"]}
    )
    assert response.url == reverse("children:detail", args=[child.pk])
    assert set(child.bookings.values_list("weekday", "session")) == {(0, morning.pk), (3, morning.pk)}
    assert child.audit_events.filter(action=ChildAuditEvent.Action.CHANGED, what="Booking pattern").exists()


def test_the_child_page_shows_the_usual_sessions(login, manager, nursery, child):
    morning = NurserySessionFactory(nursery=nursery, name="Morning")
    login(manager).post(reverse("children:bookings", args=[child.pk]), {"slots": [f"1:{morning.pk}"]})
    page = login(manager).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Tuesday morning" in page
    assert reverse("children:bookings", args=[child.pk]) in page


def test_a_session_of_another_nursery_cannot_be_booked(login, manager, child, other_nursery):
    foreign = NurserySessionFactory(nursery=other_nursery)
    response = login(manager).post(reverse("children:bookings", args=[child.pk]), {"slots": [f"0:{foreign.pk}"]})
    assert response.status_code == 200
    assert not child.bookings.exists()
