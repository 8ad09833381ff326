"""The key person's dashboard: each key child's learning story gaps, against hand-built data."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.day.selectors import moment
from children.support_plans.models import ParentContribution
from children.tests.factories import ChildFactory, HomeChangeFactory, SupportPlanFactory
from keyworker.dashboard import AREA_GAP_DAYS, gap_items, story_gaps
from keyworker.tests.factories import KeyPersonAssignmentFactory
from learning_stories.models import Comment, NextStep, Observation, ProgressCheck
from learning_stories.observations import services as story_services
from learning_stories.tests.factories import NextStepFactory, ObservationFactory, ProgressCheckFactory, area
from nursery.tests.factories import StaffMemberFactory
from tests.helpers import queries_for

# Gaps are counted in calendar days from TODAY, and observe() steps back whole 24 hours from now: at night,
# within weeks of the clocks changing, that lands a day off, and a run crossing midnight would have two
# todays. So the clock is pinned to the middle of TODAY.
TODAY = date(2026, 12, 9)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(TODAY, time(10, 30)))]

ALL_AREAS = {"CL", "PD", "PSED", "L", "M", "UW", "EAD"}


def observe(child, days_ago: int, *codes: str, **fields) -> Observation:
    entry = ObservationFactory(
        nursery=child.nursery, children=[child], observed_at=timezone.now() - timedelta(days=days_ago), **fields
    )
    entry.areas.set([area(code) for code in codes])
    return entry


def gaps_of(child):
    return story_gaps([child], TODAY)[child.pk]


def test_an_area_unseen_for_exactly_six_weeks_is_a_gap_and_a_day_less_is_not(child):
    observe(child, AREA_GAP_DAYS, "CL")
    observe(child, AREA_GAP_DAYS - 1, "PD", "PSED", "L", "M", "UW", "EAD")

    assert [a.code for a in gaps_of(child).quiet_areas] == ["CL"]


def test_every_area_counts_from_the_start_for_a_new_child(child):
    child.start_date = TODAY - timedelta(days=AREA_GAP_DAYS - 1)
    child.save()
    assert gaps_of(child).quiet_areas == []
    child.start_date = TODAY - timedelta(days=AREA_GAP_DAYS)
    child.save()
    assert {a.code for a in gaps_of(child).quiet_areas} == ALL_AREAS


def test_days_since_the_last_observation_count_submitted_nursery_entries_only(child, parent):
    observe(child, 15, "CL")
    observe(child, 2, "CL", status=Observation.Status.DRAFT)  # may never be finished
    story_services.add_home_contribution(child=child, author=parent, text="Park", observed_at=timezone.now(), photos=[])

    gaps = gaps_of(child)
    assert (gaps.days_since, gaps.unseen) == (15, True)

    observe(child, 13, "PD", status=Observation.Status.AWAITING_REVIEW)
    gaps = gaps_of(child)
    assert (gaps.days_since, gaps.unseen) == (13, False)


def test_a_child_never_observed_counts_from_their_start(child):
    child.start_date = TODAY - timedelta(days=20)
    child.save()
    gaps = gaps_of(child)
    assert (gaps.last_observed, gaps.days_since, gaps.unseen) == (None, 20, True)


def test_open_next_steps_reviews_due_and_unread_family_contributions(child, parent):
    NextStepFactory(child=child)
    NextStepFactory(child=child)
    NextStepFactory(child=child, status=NextStep.Status.ACHIEVED)
    soon = SupportPlanFactory(child=child, next_review_on=TODAY + timedelta(days=14))
    SupportPlanFactory(child=child, next_review_on=TODAY + timedelta(days=15))
    entry = observe(child, 1, "CL")
    Comment.objects.create(observation=entry, child=child, author=parent, text="Lovely")
    Comment.objects.create(observation=entry, child=child, author=parent, text="Read", read_at=timezone.now())
    story_services.add_home_contribution(child=child, author=parent, text="Park", observed_at=timezone.now(), photos=[])
    ParentContribution.objects.create(plan=soon, author=parent, views="Going well")

    gaps = gaps_of(child)

    assert gaps.open_next_steps == 2
    assert gaps.reviews_due == [soon]
    assert (gaps.unread, gaps.unread_on_plans) == (3, 1)
    assert "The family added to the support plan: read it on the plan's page." in gap_items(gaps)


def test_the_dashboard_says_due_or_overdue_as_the_checks_at_two_page_does(child):
    child.start_date = TODAY - timedelta(days=400)
    child.date_of_birth = date(TODAY.year - 2, TODAY.month, 1)  # 24 or 25 months: due
    child.save()
    assert story_gaps([child], TODAY)[child.pk].progress_check == "due"
    child.date_of_birth = TODAY - timedelta(days=34 * 30)  # about 33 months: fewer than 3 left
    child.save()
    assert story_gaps([child], TODAY)[child.pk].progress_check == "overdue"


def test_a_shared_progress_check_is_no_longer_due_but_a_draft_one_is(child):
    child.date_of_birth = TODAY - timedelta(days=900)  # about two and a half
    child.save()
    ProgressCheckFactory(child=child, status=ProgressCheck.Status.DRAFT)
    assert gaps_of(child).progress_check == "due"
    ProgressCheckFactory(child=child, status=ProgressCheck.Status.SHARED)
    assert gaps_of(child).progress_check == ""


def test_the_dashboard_puts_a_child_unseen_for_two_weeks_first_in_a_warning_style(
    login, practitioner, practitioner_post, child, nursery, room
):
    observe(child, 1, *ALL_AREAS)
    zed = ChildFactory(nursery=nursery, room=room, first_name="Zed", last_name="Quiet")
    KeyPersonAssignmentFactory(child=zed, key_person=practitioner_post)
    observe(zed, 16, *ALL_AREAS)

    response = login(practitioner).get(reverse("keyworker:my_key_children"))

    assert [c.first_name for c in response.context["children"]] == ["Zed", "Ava"]
    page = response.content.decode()
    assert "list-group-item-warning" in page.split("Zed Quiet")[0].rsplit("<li", 1)[1]
    assert "No observation for 16 days." in page
    assert "Last observed: 1 day ago" in page


def test_the_dashboard_lists_gaps_and_what_is_due(login, practitioner, child, parent):
    observe(child, 50, "CL")
    observe(child, 3, "PD", "PSED", "L", "M", "UW")
    SupportPlanFactory(child=child, next_review_on=TODAY - timedelta(days=1))
    HomeChangeFactory(child=child, proposed_by=parent)

    page = login(practitioner).get(reverse("keyworker:my_key_children")).content.decode()

    assert "Nothing for 6 weeks or more in: Communication and Language, Expressive Arts and Design." in page
    assert f"Support plan review was due on {TODAY - timedelta(days=1):%A %-d %B}." in page
    assert "Unread from the family: 1" in page
    assert "1 change at home from the family to read." in page


def test_a_manager_chooses_a_key_person_and_sees_their_dashboard(login, manager, practitioner_post, child):
    observe(child, 20, "CL")
    response = login(manager).get(reverse("keyworker:my_key_children"), {"key_person": practitioner_post.pk})
    assert response.context["chosen"] == practitioner_post
    assert [c.pk for c in response.context["children"]] == [child.pk]
    assert "Priya Practitioner's key children" in response.content.decode()


def test_a_manager_cannot_choose_another_nurserys_key_person(login, manager, other_nursery):
    elsewhere = StaffMemberFactory(nursery=other_nursery)
    response = login(manager).get(reverse("keyworker:my_key_children"), {"key_person": elsewhere.pk})
    assert response.context["chosen"] is None


def add_key_children(count, *, nursery, room, key_person, parent):
    for _ in range(count):
        kid = ChildFactory(nursery=nursery, room=room)
        KeyPersonAssignmentFactory(child=kid, key_person=key_person)
        entry = observe(kid, 10, "CL", "PD")
        Comment.objects.create(observation=entry, child=kid, author=parent, text="Lovely")
        NextStepFactory(child=kid)
        ProgressCheckFactory(child=kid, status=ProgressCheck.Status.SHARED)
        plan = SupportPlanFactory(child=kid, next_review_on=TODAY)
        ParentContribution.objects.create(plan=plan, author=parent, views="Fine")
        HomeChangeFactory(child=kid, proposed_by=parent)


@pytest.mark.parametrize("role", ["practitioner", "manager"])
def test_the_dashboard_takes_as_many_queries_for_twenty_key_children_as_for_two(
    request, login, role, nursery, room, practitioner_post, parent
):
    url = reverse("keyworker:my_key_children") + f"?key_person={practitioner_post.pk}"
    client = login(request.getfixturevalue(role))
    add = {"nursery": nursery, "room": room, "key_person": practitioner_post, "parent": parent}
    add_key_children(2, **add)
    few = queries_for(client, url)
    add_key_children(18, **add)
    assert queries_for(client, url) == few
