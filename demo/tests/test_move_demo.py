"""The transitions demo: a room move under way, a school leaver getting ready, and a leaver for the pack."""

import pytest
from django.utils import timezone

from accounts.models import User
from children.models import Child
from children.selectors import children_of_guardian
from demo.data import load_demo
from learning_stories.models import Observation
from learning_stories.story.selectors import viewer_of
from transitions.models import HandoverNote, TransitionPlan, TransitionReport
from transitions.plans.selectors import is_confident, visits_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_demo()


def test_loading_the_transitions_demo_again_changes_nothing(demo):
    counts = (TransitionPlan.objects.count(), Observation.objects.count(), Child.objects.count())

    load_demo()

    assert (TransitionPlan.objects.count(), Observation.objects.count(), Child.objects.count()) == counts


def test_mohammeds_room_move_has_one_visit_done_and_a_handover(demo):
    plan = TransitionPlan.objects.get(child__first_name="Mohammed", kind="room_move")

    visits = visits_of(plan)
    assert (len(visits), sum(1 for v in visits if v.outcome)) == (2, 1)
    assert not is_confident(visits)
    assert plan.to_room.name == "Rainbows"
    assert HandoverNote.objects.filter(plan=plan).count() == 1


def test_reuben_leaves_for_school_with_the_meeting_booked_and_a_draft_report(demo):
    plan = TransitionPlan.objects.get(child__first_name="Reuben", kind="school")

    assert plan.status == TransitionPlan.Status.PLANNED
    assert plan.parents_meeting_at is not None
    assert plan.report.status == TransitionReport.Status.DRAFT


def test_ruby_has_left_with_a_rich_story_and_her_family_can_still_read_it(demo):
    ruby = Child.objects.get(first_name="Ruby", last_name="Fox")
    jo = User.objects.get(email="jo.fox@families.example")

    assert ruby.leave_date < timezone.localdate()
    assert ruby in children_of_guardian(jo)
    assert viewer_of(jo, ruby).can_contribute is False
    entries = Observation.objects.filter(child_links__child=ruby, status=Observation.Status.PUBLISHED)
    assert entries.count() == 8
    assert entries.filter(photos__isnull=False).distinct().count() == 7
    assert ruby.transition_plans.get().report.status == TransitionReport.Status.SHARED
