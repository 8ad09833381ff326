"""Hostile dates: in a page's address (?day=, ?week=, filters) and in every kind of form that takes one. Year 1,
year 9999, days that do not exist and words answer 400 or a form error that says why, never a 500, and
nothing refused is stored."""

import uuid
from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from children.day.selectors import moment
from children.models import Child
from keyworker.models import ConsultationSlot
from learning_stories.models import Observation

# A Wednesday morning in winter; the child (born 14 March 2024) started on 1 September 2025.
TODAY = date(2026, 12, 9)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(TODAY, time(10, 30)))]

BAD_DAYS = {
    "year one": "0001-01-01",
    "year 9999": "9999-12-31",
    "just before 1900": "1899-12-31",
    "just after 2100": "2101-01-01",
    "words": "next tuesday",
    "30 February": "2026-02-30",
    "month 13": "2026-13-01",
    "very long": "9" * 5000,
}


def day_pages(room) -> dict[str, tuple[str, str]]:
    """Each page that reads a date from its address: (address, name of the parameter)."""
    return {
        "register": (reverse("keyworker:register"), "day"),
        "ratios": (reverse("keyworker:ratios"), "day"),
        "planning board": (reverse("keyworker:plan_board", args=[room.pk]), "week"),
        "plan an activity": (reverse("keyworker:plan_add", args=[room.pk]), "week"),
    }


@pytest.mark.parametrize("page", ["register", "ratios", "planning board", "plan an activity"])
@pytest.mark.parametrize("bad", BAD_DAYS)
def test_a_bad_date_in_the_address_answers_400_with_a_plain_reason(login, manager, room, page, bad):
    url, name = day_pages(room)[page]

    response = login(manager).get(url, {name: BAD_DAYS[bad]})

    assert response.status_code == 400
    body = response.content.decode()
    assert f"The {name} in this address" in body
    assert BAD_DAYS[bad][:100] not in body or bad == "year one"  # the reason, not the value echoed back


@pytest.mark.parametrize("page", ["register", "ratios", "planning board"])
@pytest.mark.parametrize("edge", ["1900-01-01", "2100-12-31"])
def test_the_first_and_last_days_kept_are_shown(login, manager, room, page, edge):
    url, name = day_pages(room)[page]
    assert login(manager).get(url, {name: edge}).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("privacy:record_history", {"since": "0001-01-01", "until": "9999-12-31"}),
        ("stories:story", {"since": "9999-12-31", "until": "9999-12-31"}),
        ("stories:story", {"since": "0001-01-01"}),
    ],
)
def test_date_filters_out_of_range_are_a_form_error_not_a_crash(login, manager, child, url_name, params):
    url = reverse(url_name, args=[child.pk]) if url_name == "stories:story" else reverse(url_name)

    response = login(manager).get(url, params)

    assert response.status_code == 200
    assert "Enter a date between 1900 and 2100." in response.content.decode()


# --- Forms: a child's dates ------------------------------------------------------------------------------------


def child_form(room, **dates) -> dict:
    return {
        "first_name": "Omar",
        "last_name": "Hussain",
        "preferred_name": "",
        "date_of_birth": "2024-05-01",
        "start_date": TODAY.isoformat(),
        "leave_date": "",
        "room": room.pk,
        **dates,
    }


CHILD_DATES = {
    "born in year one": ({"date_of_birth": "0001-01-01"}, "Enter a date between 1900 and 2100."),
    "born in 9999": ({"date_of_birth": "9999-12-31"}, "Enter a date between 1900 and 2100."),
    "born tomorrow": ({"date_of_birth": "2026-12-10"}, "The date of birth cannot be in the future."),
    "born nine years before starting": ({"date_of_birth": "2017-12-01"}, "older than 8 when they start"),
    "starting in 9999": ({"start_date": "9999-12-31"}, "Enter a date between 1900 and 2100."),
    "starting in three years": ({"start_date": "2029-12-09"}, "Choose a start date within the next 2 years."),
    "starting before birth": ({"start_date": "2024-04-01"}, "The start date cannot be before the child was born."),
    "leaving in year one": ({"leave_date": "0001-01-01"}, "Enter a date between 1900 and 2100."),
}


@pytest.mark.parametrize("case", CHILD_DATES)
def test_a_childs_impossible_dates_are_refused_and_the_child_not_added(login, manager, room, case):
    dates, message = CHILD_DATES[case]

    response = login(manager).post(reverse("children:add"), child_form(room, **dates))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Omar" in response.content.decode()  # what was typed stays
    assert not Child.objects.filter(first_name="Omar").exists()


def test_a_child_born_seven_years_before_starting_is_added(login, manager, room):
    login(manager).post(reverse("children:add"), child_form(room, date_of_birth="2019-12-10"))
    assert Child.objects.filter(first_name="Omar").exists()


# --- Forms: entries in the story -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("9999-12-31", "Enter a date between 1900 and 2100."),
        ("0001-01-01", "Enter a date between 1900 and 2100."),
        ("2026-12-10", "Choose a date that is not in the future."),
        ("2024-03-13", "Choose a date after Ava was born (14 March 2024)."),
    ],
)
def test_a_home_contribution_dated_outside_the_childs_life_is_refused(login, parent, child, day, message):
    response = login(parent).post(
        reverse("stories:add_home", args=[child.pk]), {"text": "At the beach.", "observed_on": day}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "At the beach." in response.content.decode()
    assert not Observation.objects.exists()


def test_a_home_contribution_on_the_day_the_child_was_born_is_added(login, parent, child):
    login(parent).post(reverse("stories:add_home", args=[child.pk]), {"text": "Hello!", "observed_on": "2024-03-14"})
    assert Observation.objects.filter(source=Observation.Source.HOME).count() == 1


@pytest.mark.parametrize(
    ("observed_at", "message"),
    [
        ("9999-12-31T23:30", "Enter a date between 1900 and 2100."),
        ("0001-01-01T00:00", "Enter a date between 1900 and 2100."),
        ("2024-01-05T10:00", "Choose a date after Ava was born (14 March 2024)."),
        ("2027-01-05T10:00", "Choose a date that is not in the future."),
    ],
)
def test_an_observation_dated_outside_the_childs_life_is_not_shared(login, practitioner, child, observed_at, message):
    data = {
        "observed_at": observed_at,
        "children": [child.pk],
        "text": "Built a tower.",
        "action": "submit",
        "client_key": str(uuid.uuid4()),
    }

    response = login(practitioner).post(reverse("stories:new"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Observation.objects.exclude(status=Observation.Status.DRAFT).exists()


# --- Forms: meetings and other dated records -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        ("9999-12-31T23:30", "Enter a date between 1900 and 2100."),
        ("2100-12-31T23:30", "Offer a time within the next year."),
        ("0001-01-01T00:00", "Enter a date between 1900 and 2100."),
        ("2028-12-09T10:00", "Offer a time within the next year."),
        ("2026-12-09T10:00", "Choose a time in the future."),
    ],
)
def test_a_meeting_time_out_of_range_is_a_form_error(login, practitioner, child, starts_at, message):
    data = {"starts_at": starts_at, "minutes": 20, "place": "in_person", "where": ""}

    response = login(practitioner).post(reverse("keyworker:meetings"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ConsultationSlot.objects.exists()


def test_a_meeting_next_month_is_offered(login, practitioner, child):
    data = {"starts_at": (TODAY + timedelta(days=30)).isoformat() + "T10:00", "minutes": 20, "place": "in_person"}
    login(practitioner).post(reverse("keyworker:meetings"), data | {"where": ""})
    assert ConsultationSlot.objects.count() == 1


@pytest.mark.parametrize("field", ["started_on", "next_review_on"])
def test_a_support_plan_dated_in_year_9999_is_a_form_error(login, practitioner, child, field):
    from children.support_plans.models import SupportPlan

    data = {"title": "Talking", "needs": "Words", "started_on": TODAY.isoformat(), "next_review_on": "2027-01-20"}

    response = login(practitioner).post(
        reverse("children:support_plan_create", args=[child.pk]), data | {field: "9999-12-31"}
    )

    assert response.status_code == 200
    assert "Enter a date between 1900 and 2100." in response.content.decode()
    assert not SupportPlan.objects.exists()
