"""Settling in for new starters: the plan's rules, who may see and change it, and starters needing a plan."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from children.day.selectors import moment
from children.models import AllAboutMe
from children.tests.factories import ChildFactory, GuardianshipFactory
from nursery.tests.factories import StaffMemberFactory
from transitions.models import SettlingSession, StarterPlan
from transitions.starters import selectors, services
from transitions.tests.factories import SettlingSessionFactory, StarterPlanFactory

LONDON = ZoneInfo("Europe/London")
WEDNESDAY = date(2026, 12, 9)
FIRST_DAY = date(2027, 1, 4)  # a Monday, 26 days ahead

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(WEDNESDAY, time(10, 30)))]


@pytest.fixture
def starter(child):
    child.start_date = FIRST_DAY
    child.save()
    return child


@pytest.fixture
def plan(starter, practitioner):
    return StarterPlanFactory(child=starter, created_by=practitioner)


@pytest.fixture
def done_session(plan):
    """A session that happened yesterday morning."""
    return SettlingSessionFactory(plan=plan, starts_at=moment(WEDNESDAY - timedelta(days=1), time(9)))


# Services


def test_a_visit_after_the_first_day_is_refused_with_the_day_to_choose(plan, practitioner):
    plan.visit_kind, plan.visit_on = StarterPlan.VisitKind.HOME_VISIT, FIRST_DAY + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.save_details(plan=plan, by=practitioner)
    assert "up to their first day (4 January 2027)" in str(error.value)


def test_a_visit_years_away_is_refused(plan, practitioner):
    plan.child.start_date = None
    plan.visit_kind, plan.visit_on = StarterPlan.VisitKind.STAY_AND_PLAY, date(2031, 1, 1)
    with pytest.raises(ValidationError, match="within a year"):
        services.save_details(plan=plan, by=practitioner)


def test_an_introduction_cannot_be_recorded_ahead(plan, practitioner):
    plan.introduced_on, plan.introduced_how = WEDNESDAY + timedelta(days=1), StarterPlan.IntroducedHow.CALL
    with pytest.raises(ValidationError, match="once it has happened"):
        services.save_details(plan=plan, by=practitioner)


def test_the_checklist_wants_the_key_person_introduced_before_the_first_day(plan, practitioner):
    plan.introduced_on, plan.introduced_how = WEDNESDAY, StarterPlan.IntroducedHow.PHOTO_CARD
    services.save_details(plan=plan, by=practitioner)
    items = {item.label: item for item in selectors.checklist(plan.child, plan, [])}
    assert items["Key person introduced before the first day"].done

    plan.child.start_date = WEDNESDAY  # started today: introduced on the first day is too late
    items = {item.label: item for item in selectors.checklist(plan.child, plan, [])}
    assert not items["Key person introduced before the first day"].done
    assert "before it" in items["Key person introduced before the first day"].hint


def test_all_about_me_is_a_reminder_until_the_family_has_said_something(plan):
    assert selectors.all_about_me_is_empty(plan.child)
    AllAboutMe.objects.create(child=plan.child)
    assert selectors.all_about_me_is_empty(plan.child)
    AllAboutMe.objects.filter(child=plan.child).update(comforters="Blue bunny")
    assert not selectors.all_about_me_is_empty(plan.child)


def test_an_unsettled_session_needs_a_short_note(done_session, practitioner):
    with pytest.raises(ValidationError, match="what unsettled"):
        services.record_session(session=done_session, outcome="unsettled", note=" ", what_helped="", by=practitioner)
    services.record_session(
        session=done_session, outcome="unsettled", note="Cried at drop-off", what_helped="Bunny", by=practitioner
    )
    done_session.refresh_from_db()
    assert (done_session.outcome, done_session.note) == ("unsettled", "Cried at drop-off")


def test_a_session_cannot_be_recorded_before_it_starts(plan, practitioner):
    later = SettlingSessionFactory(plan=plan)
    with pytest.raises(ValidationError, match="has not started yet"):
        services.record_session(session=later, outcome="settled", note="", what_helped="", by=practitioner)


def test_starting_a_plan_twice_keeps_one_plan(starter, practitioner):
    assert services.start_plan(child=starter, by=practitioner) == services.start_plan(child=starter, by=practitioner)
    assert StarterPlan.objects.count() == 1


# Starters needing a plan


def test_starters_four_weeks_either_side_without_a_plan_need_one(nursery, manager):
    today = timezone.localdate()
    due = ChildFactory(nursery=nursery, first_name="Due", start_date=today + timedelta(days=28))
    ChildFactory(nursery=nursery, first_name="Later", start_date=today + timedelta(days=29))
    recent = ChildFactory(nursery=nursery, first_name="Recent", start_date=today - timedelta(days=28))
    ChildFactory(nursery=nursery, first_name="Long ago", start_date=today - timedelta(days=29))
    StarterPlanFactory(child=ChildFactory(nursery=nursery, first_name="Planned", start_date=today))

    assert list(selectors.starters_needing_plan(manager, nursery.pk)) == [recent, due]


def test_near_midnight_in_london_four_weeks_count_from_londons_day(nursery, manager):
    # 00:30 on 1 July in London is still 30 June in UTC: the window counts from 1 July.
    with time_machine.travel(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), tick=False):
        assert timezone.localdate() == date(2026, 7, 1)
        edge = ChildFactory(nursery=nursery, start_date=date(2026, 7, 29))
        ChildFactory(nursery=nursery, start_date=date(2026, 7, 30))
        assert list(selectors.starters_needing_plan(manager, nursery.pk)) == [edge]


def test_the_managers_list_shows_starters_needing_a_plan(login, manager, starter):
    page = login(manager).get(reverse("transitions:plans"))
    assert "Needs a settling-in plan" in page.content.decode()
    assert starter.display_name in page.content.decode()


def test_the_key_person_sees_needs_a_settling_in_plan_on_my_key_children(login, practitioner, starter):
    page = login(practitioner).get(reverse("keyworker:my_key_children"))
    assert "Needs a settling-in plan." in page.content.decode()
    StarterPlanFactory(child=starter)
    page = login(practitioner).get(reverse("keyworker:my_key_children"))
    assert "Needs a settling-in plan." not in page.content.decode()


# Pages and who may use them


def test_key_person_books_and_records_a_session_and_the_family_sees_how_it_went(login, practitioner, parent, plan):
    client = login(practitioner)
    page = client.post(
        reverse("transitions:add_settling_session", args=[plan.child_id]),
        {"starts_at": "2026-12-08T09:00", "minutes": "60"},
    )
    assert page.status_code == 302
    session = SettlingSession.objects.get()
    page = client.post(
        reverse("transitions:record_settling_session", args=[session.pk]),
        {"outcome": "settled", "note": "Played with the sand", "what_helped": "Her bunny"},
    )
    assert page.status_code == 302

    family = login(parent).get(reverse("transitions:settling", args=[plan.child_id]))
    text = family.content.decode()
    assert family.templates[0].name == "transitions/settling_family.html"
    assert "settled well" in text
    assert "Played with the sand" in text
    assert "Her bunny" in text


def test_a_session_with_no_length_keeps_what_was_typed_and_says_why(login, practitioner, plan):
    page = login(practitioner).post(
        reverse("transitions:add_settling_session", args=[plan.child_id]), {"starts_at": "2026-12-10T09:00"}
    )
    assert page.status_code == 200
    assert "2026-12-10T09:00" in page.content.decode()
    assert "This field is required." in page.content.decode()


def test_a_visit_date_after_the_first_day_is_explained_on_the_form(login, manager, plan):
    page = login(manager).post(
        reverse("transitions:settling_details", args=[plan.child_id]),
        {"visit_kind": "home_visit", "visit_on": "2027-02-01", "visit_by": "Priya"},
    )
    assert page.status_code == 200
    assert "up to their first day" in page.content.decode()


def test_another_family_cannot_see_the_plan(login, other_parent, plan):
    assert login(other_parent).get(reverse("transitions:settling", args=[plan.child_id])).status_code == 404


def test_a_family_cannot_change_the_plan(login, parent, plan):
    page = login(parent).post(reverse("transitions:start_settling", args=[plan.child_id]))
    assert page.status_code == 403  # not staff
    assert login(parent).get(reverse("transitions:settling_details", args=[plan.child_id])).status_code == 403


def test_staff_of_another_nursery_cannot_see_the_plan_or_its_sessions(login, other_manager, done_session):
    client = login(other_manager)
    assert client.get(reverse("transitions:settling", args=[done_session.plan.child_id])).status_code == 404
    assert client.get(reverse("transitions:record_settling_session", args=[done_session.pk])).status_code == 404


def test_a_colleague_who_is_not_the_key_person_reads_but_cannot_change_it(login, nursery, room, plan):
    colleague = StaffMemberFactory(nursery=nursery, room=room).user
    assert login(colleague).get(reverse("transitions:settling", args=[plan.child_id])).status_code == 200
    page = login(colleague).get(reverse("transitions:add_settling_session", args=[plan.child_id]))
    assert page.status_code == 403


def test_a_parent_with_two_children_sees_only_that_childs_sessions(login, nursery, parent, plan, done_session):
    sibling = ChildFactory(nursery=nursery, first_name="Leo", start_date=FIRST_DAY)
    GuardianshipFactory(child=sibling, user=parent)
    SettlingSessionFactory(plan=StarterPlanFactory(child=sibling), note="Leo's own note", outcome="settled")
    text = login(parent).get(reverse("transitions:settling", args=[plan.child_id])).content.decode()
    assert "Leo's own note" not in text


def test_booking_a_session_before_the_plan_is_started_sends_you_to_start_it(login, practitioner, starter):
    page = login(practitioner).get(reverse("transitions:add_settling_session", args=[starter.pk]))
    assert page.url == reverse("transitions:settling", args=[starter.pk])
    assert not StarterPlan.objects.exists()
