"""The record history answers "who saw what": views are recorded (once per person, record and 10 minutes),
and managers read the nursery's history filtered by person, child, date and action, a page at a time."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from children.models import ChildAuditEvent, ConfidentialNote, ConsentPurpose
from children.services import VIEW_AGAIN_AFTER
from children.tests.factories import ChildFactory, GuardianshipFactory, SupportPlanFactory, consent
from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory, ProgressCheckFactory
from privacy.selectors import HISTORY_PAGE

pytestmark = pytest.mark.django_db
Action = ChildAuditEvent.Action
LONDON_NOON = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.get_default_timezone())


def history(client, **params) -> str:
    response = client.get(reverse("privacy:record_history"), params)
    assert response.status_code == 200
    return response.content.decode()


def event(child, actor, what, at, action=Action.VIEWED):
    return ChildAuditEvent.objects.create(child=child, actor=actor, action=action, what=what, at=at)


def test_viewing_a_confidential_note_is_recorded(login, practitioner, child):
    ConfidentialNote.objects.create(child=child, text="Dad works away", source="staff", written_by=practitioner)

    login(practitioner).get(reverse("keyworker:confidential_notes", args=[child.pk]))

    assert child.audit_events.filter(actor=practitioner, action=Action.VIEWED, what="Confidential notes").exists()


def test_downloading_a_story_photo_is_recorded_and_its_thumbnail_is_not(login, parent, child, nursery, practitioner):
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child])
    photo = ObservationPhotoFactory(observation=entry, children=[child])
    client = login(parent)

    client.get(reverse("stories:photo_thumbnail", args=[photo.pk]))
    assert not child.audit_events.filter(actor=parent, what=f"Photo {photo.pk}").exists()
    client.get(reverse("stories:photo", args=[photo.pk]))

    assert child.audit_events.filter(actor=parent, action=Action.VIEWED, what=f"Photo {photo.pk}").count() == 1


def test_opening_a_record_again_within_ten_minutes_is_written_once(login, manager, child):
    client = login(manager)
    with time_machine.travel(LONDON_NOON, tick=False):
        client.get(reverse("children:detail", args=[child.pk]))
        client.get(reverse("children:detail", args=[child.pk]))
    with time_machine.travel(LONDON_NOON + VIEW_AGAIN_AFTER + timedelta(seconds=1), tick=False):
        client = login(manager)
        client.get(reverse("children:detail", args=[child.pk]))

    assert timedelta(minutes=10) == VIEW_AGAIN_AFTER
    assert child.audit_events.filter(actor=manager, what="Child's page").count() == 2


def test_changes_are_never_merged_however_close_together(child, manager):
    from children.services import record_event

    for _ in range(2):
        record_event(child=child, actor=manager, action=Action.CHANGED, what="Details")

    assert child.audit_events.filter(action=Action.CHANGED).count() == 2


def test_the_record_history_filters_by_person_child_and_date(login, manager, practitioner, parent, child, other_child):
    event(child, practitioner, "Learning story", LONDON_NOON)
    event(other_child, practitioner, "Care log", LONDON_NOON + timedelta(days=2))
    event(child, parent, "Assessments", LONDON_NOON + timedelta(days=4))
    client = login(manager)

    by_person = history(client, person=parent.pk)
    by_child = history(client, child=other_child.pk)
    by_dates = history(client, since="2026-03-11", until="2026-03-12")
    by_action = history(client, action="exported")

    assert "Assessments" in by_person
    assert "Learning story" not in by_person
    assert "Care log" not in by_person
    assert "Care log" in by_child
    assert "Learning story" not in by_child
    assert "Assessments" not in by_child
    assert "Care log" in by_dates
    assert "Learning story" not in by_dates
    assert "Assessments" not in by_dates
    assert "Nothing found." in by_action


def test_the_record_history_pages_through_older_events(login, manager, child):
    start = LONDON_NOON
    for n in range(HISTORY_PAGE + 5):
        event(child, manager, f"Page {n:03d}", start + timedelta(minutes=n))
    client = login(manager)

    first = history(client, child=child.pk)
    oldest = ChildAuditEvent.objects.get(what=f"Page {5:03d}")
    second = history(client, child=child.pk, before=oldest.pk)

    assert f"Page {HISTORY_PAGE + 4:03d}" in first
    assert "Page 004" not in first
    assert f"before={oldest.pk}" in first.replace("&amp;", "&")
    assert "Page 004" in second
    assert "Page 000" in second
    assert "Page 005" not in second


def test_the_record_history_shows_only_the_managers_own_nursery(login, other_manager, manager, child):
    event(child, manager, "Learning story", LONDON_NOON)

    page = history(login(other_manager))

    assert "Learning story" not in page
    assert login(other_manager).get(reverse("privacy:record_history"), {"child": child.pk}).status_code == 200


def page_queries(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        history(client, **params)
    return len(queries)


@pytest.mark.parametrize(
    "filters", [{}, {"person": "manager", "child": "child", "since": "2026-03-01", "until": "2026-03-31"}]
)
def test_the_record_history_runs_the_same_queries_however_long_it_and_the_nursery_are(
    login, nursery, room, manager, child, filters
):
    """A ceiling would break with every middleware that reads once per request (django-otp's adds one): the
    page must not grow with the history, the people or the children, whatever is chosen."""
    client = login(manager)
    params = {name: {"manager": manager.pk, "child": child.pk}.get(value, value) for name, value in filters.items()}
    counts = []
    for _ in range(2):
        for n in range(HISTORY_PAGE):
            other = ChildFactory(nursery=nursery, room=room)
            GuardianshipFactory(child=other)
            event(child, manager, f"Entry {n}", LONDON_NOON + timedelta(minutes=n))
            event(other, manager, f"Entry {n}", LONDON_NOON + timedelta(minutes=n))
        history(client, **params)  # the session and the post look-ups are warm
        counts.append(page_queries(client, params))

    assert counts[0] == counts[1]
    assert history(client, **params).count("Viewed: Entry") == HISTORY_PAGE


@pytest.mark.parametrize(
    "params",
    [
        {"until": "9999-12-31"},
        {"since": "0001-01-01"},
        {"since": "0001-01-01", "until": "9999-12-31"},
        {"since": "2026-02-30"},
        {"until": "yesterday"},
        {"since": "2026-03-12", "until": "2026-03-11"},
        {"since": "+275760-09-13"},
    ],
)
def test_a_date_outside_the_years_kept_or_not_a_date_is_left_out_with_a_message_never_a_500(
    login, manager, child, params
):
    event(child, manager, "Learning story", LONDON_NOON)

    response = login(manager).get(reverse("privacy:record_history"), params)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Learning story" in page  # the wrong date is not used
    assert "left out" in page or "neither is used" in page or "Enter a date between 1900 and 2100" in page


def test_the_who_filter_offers_only_this_nurserys_people_and_shows_only_their_events_here(
    login, manager, practitioner, parent, child, other_manager, other_nursery
):
    away = ChildFactory(nursery=other_nursery, first_name="Faraway")
    GuardianshipFactory(child=away, user__full_name="Stranger Danger")
    GuardianshipFactory(child=away, user=parent)  # Sam also has a child at the other nursery
    event(child, parent, "Learning story", LONDON_NOON)
    event(away, parent, "Faraway story", LONDON_NOON)
    event(child, practitioner, "Care log", LONDON_NOON)
    client = login(manager)

    offered = history(client)
    chosen = history(client, person=parent.pk)
    refused = client.get(reverse("privacy:record_history"), {"person": other_manager.pk}).content.decode()

    assert f'value="{parent.pk}"' in offered
    assert f'value="{practitioner.pk}"' in offered
    assert "Stranger Danger" not in offered
    assert f'value="{other_manager.pk}"' not in offered
    assert "Learning story" in chosen
    assert "Care log" not in chosen
    assert "Faraway" not in chosen
    assert "Select a valid choice" in refused
    assert "Faraway" not in refused


def test_a_practitioner_cannot_read_the_nurserys_record_history(login, practitioner):
    assert login(practitioner).get(reverse("privacy:record_history")).status_code == 403


@pytest.mark.parametrize("record", ["assessments", "progress check", "support plan", "child's photo", "child's page"])
def test_a_manager_opening_a_childs_record_is_in_the_record_history(login, manager, child, record):
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    address = {
        "assessments": lambda: reverse("stories:assessments", args=[child.pk]),
        "progress check": lambda: reverse("checks:detail", args=[ProgressCheckFactory(child=child).pk]),
        "support plan": lambda: reverse("children:support_plan", args=[SupportPlanFactory(child=child).pk]),
        "child's photo": lambda: reverse("children:photo", args=[child.pk]),
        "child's page": lambda: reverse("children:detail", args=[child.pk]),
    }[record]()

    login(manager).get(address, follow=True)  # a draft check opens on its form

    assert child.audit_events.filter(actor=manager, action=Action.VIEWED).exists()
