"""The demo's support plan (Zara's, with a review due and her mum's view) and Priya's dashboard gaps."""

import pytest
from django.utils import timezone

from accounts.models import User
from children.support_plans.models import ParentContribution, SupportPlan, SupportTarget
from demo.data import load_demo
from keyworker.dashboard import story_gaps
from keyworker.selectors import key_children_of

pytestmark = pytest.mark.django_db


def test_demo_has_a_support_plan_for_a_child_of_priyas_with_a_review_due_soon_and_the_mums_view():
    load_demo()
    priya = User.objects.get(email="priya@rainbow.example")
    plan = SupportPlan.objects.get(child__first_name="Zara")
    assert plan.child in key_children_of(priya)
    assert plan.targets.count() == 2
    assert 0 < (plan.next_review_on - timezone.localdate()).days <= 7  # the reminder sweep picks it up
    assert plan.contributions.get().author.email == "jess.ahmed@families.example"


def test_priyas_dashboard_shows_at_least_one_gap():
    load_demo()
    children = list(key_children_of(User.objects.get(email="priya@rainbow.example")))
    gaps = story_gaps(children, timezone.localdate())
    assert any(g.unseen for g in gaps.values())
    assert any(g.reviews_due for g in gaps.values())


def test_loading_the_support_plan_demo_twice_adds_nothing():
    load_demo()
    counts = (SupportPlan.objects.count(), SupportTarget.objects.count(), ParentContribution.objects.count())
    load_demo()
    assert (SupportPlan.objects.count(), SupportTarget.objects.count(), ParentContribution.objects.count()) == counts
