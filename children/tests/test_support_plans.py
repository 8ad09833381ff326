"""Support plans: the team assesses, plans, does and reviews; parents read them and add their views."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from children.day.selectors import moment
from children.models import SendStatus
from children.support_plans.models import ParentContribution, SupportPlan, SupportTarget, TargetProgress
from children.tests.factories import ChildFactory, GuardianshipFactory, SupportPlanFactory
from nursery.tests.factories import StaffMemberFactory

# Dates here are counted from TODAY, so the clock is pinned to the middle of that day: a run that crosses
# midnight, or a night the clocks change, does not make "today" two different days.
TODAY = date(2026, 12, 9)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(TODAY, time(10, 30)))]


def plan_data(**changes) -> dict:
    data = {
        "title": "Talking and listening",
        "needs": "Uses a few single words; points to ask for things.",
        "started_on": TODAY.isoformat(),
        "next_review_on": (TODAY + timedelta(weeks=6)).isoformat(),
    }
    return data | changes


@pytest.fixture
def plan(child):
    plan = SupportPlanFactory(child=child)
    SupportTarget.objects.create(plan=plan, what="Ask for help with two words", strategies="Model two-word phrases")
    SupportTarget.objects.create(plan=plan, what="Wait for a turn", strategies="Sand timer games")
    return plan


def test_key_person_starts_a_plan_and_the_child_gets_sen_support(login, practitioner, child):
    response = login(practitioner).post(reverse("children:support_plan_create", args=[child.pk]), plan_data())

    plan = SupportPlan.objects.get(child=child)
    assert response.url == reverse("children:support_target_add", args=[plan.pk])
    child.refresh_from_db()
    assert child.send_status == SendStatus.SEN_SUPPORT
    follow = login(practitioner).get(response.url)
    assert follow.status_code == 200
    assert child.audit_events.filter(action="created", what="Support plan: Talking and listening").exists()
    assert child.audit_events.filter(what__contains="SEN support").exists()


def test_starting_a_plan_says_the_sen_status_changed(login, practitioner, child):
    response = login(practitioner).post(
        reverse("children:support_plan_create", args=[child.pk]), plan_data(), follow=True
    )
    assert "special educational needs status is now SEN support" in response.content.decode()


def test_a_child_with_an_ehc_plan_keeps_that_status(login, manager, child):
    child.send_status = SendStatus.EHC_PLAN
    child.save()
    login(manager).post(reverse("children:support_plan_create", args=[child.pk]), plan_data())
    child.refresh_from_db()
    assert child.send_status == SendStatus.EHC_PLAN


def test_a_review_date_before_the_start_is_refused_and_the_text_kept(login, practitioner, child):
    response = login(practitioner).post(
        reverse("children:support_plan_create", args=[child.pk]),
        plan_data(next_review_on=(TODAY - timedelta(days=1)).isoformat()),
    )
    page = response.content.decode()
    assert "The review must come after the plan starts." in page
    assert "points to ask for things" in page
    assert not SupportPlan.objects.exists()


def test_key_person_adds_a_target_with_who_does_what(login, practitioner, plan):
    login(practitioner).post(
        reverse("children:support_target_add", args=[plan.pk]),
        {
            "what": "Say 'more' at snack",
            "strategies": "Offer a small amount and wait",
            "setting_does": "Snack time, every session",
            "family_does": "At breakfast",
            "others_do": "Speech therapist visits monthly",
            "status": "open",
        },
    )
    target = plan.targets.get(what="Say 'more' at snack")
    assert (target.family_does, target.others_do) == ("At breakfast", "Speech therapist visits monthly")


def test_a_review_records_progress_closes_achieved_targets_and_sets_the_next_date(login, practitioner, plan):
    first, second = plan.targets.all()
    next_date = TODAY + timedelta(weeks=8)
    response = login(practitioner).post(
        reverse("children:support_review", args=[plan.pk]),
        {
            "held_on": TODAY.isoformat(),
            "what_happened": "Lots of two-word requests at snack.",
            "parents_views": "Mum hears it at home too.",
            "next_review_on": next_date.isoformat(),
            f"progress_{first.pk}": "achieved",
            f"progress_{second.pk}": "progressing",
            f"note_{second.pk}": "Waits with the timer",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.next_review_on == next_date
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (SupportTarget.Status.ACHIEVED, SupportTarget.Status.OPEN)
    review = plan.reviews.get()
    assert review.parents_views == "Mum hears it at home too."
    assert TargetProgress.objects.get(review=review, target=second).note == "Waits with the timer"


def test_a_review_must_say_how_each_target_went_and_set_a_later_date(login, practitioner, plan):
    response = login(practitioner).post(
        reverse("children:support_review", args=[plan.pk]),
        {"held_on": TODAY.isoformat(), "what_happened": "Good weeks", "next_review_on": TODAY.isoformat()},
    )
    page = response.content.decode()
    assert "Say how this target went." in page
    assert "The next review must come after this one." in page
    assert "Good weeks" in page
    assert not plan.reviews.exists()


def test_parent_reads_the_plan_and_adds_what_works_at_home(login, parent, plan):
    client = login(parent)
    page = client.get(reverse("children:support_plan", args=[plan.pk])).content.decode()
    assert "Ask for help with two words" in page
    assert "Add your views" in page

    client.post(
        reverse("children:support_plan", args=[plan.pk]),
        {"views": "Going well", "works_at_home": "Singing the tidy-up song"},
    )

    contribution = ParentContribution.objects.get(plan=plan)
    assert (contribution.author, contribution.works_at_home) == (parent, "Singing the tidy-up song")
    assert plan.child.audit_events.filter(actor=parent, what__contains="Family's contribution").exists()
    assert plan.child.audit_events.filter(actor=parent, action="viewed", what__contains="Support plan").exists()


def test_an_empty_contribution_is_refused(login, parent, plan):
    response = login(parent).post(reverse("children:support_plan", args=[plan.pk]), {"views": " "})
    assert "Write something in at least one of the boxes." in response.content.decode()
    assert not ParentContribution.objects.exists()


def test_key_person_sees_the_contribution_which_is_then_read(login, practitioner, parent, plan):
    ParentContribution.objects.create(plan=plan, author=parent, works_at_home="Bath-time songs")
    page = login(practitioner).get(reverse("children:support_plan", args=[plan.pk])).content.decode()
    assert "Bath-time songs" in page
    assert ">New<" in page
    assert ParentContribution.objects.get().read_at is not None


def test_another_family_gets_404_for_the_plan(login, other_parent, plan):
    assert login(other_parent).get(reverse("children:support_plan", args=[plan.pk])).status_code == 404
    response = login(other_parent).post(reverse("children:support_plan", args=[plan.pk]), {"views": "Hello"})
    assert response.status_code == 404
    assert not ParentContribution.objects.exists()


def test_a_grandparent_without_parental_responsibility_gets_404(login, child, plan):
    gran = GuardianshipFactory(child=child, relationship="grandparent", has_parental_responsibility=False).user
    assert login(gran).get(reverse("children:support_plan", args=[plan.pk])).status_code == 404


def test_another_nurserys_manager_gets_404(login, other_manager, plan):
    assert login(other_manager).get(reverse("children:support_plan", args=[plan.pk])).status_code == 404


def test_a_practitioner_outside_the_childs_team_may_not_read_the_plan(login, nursery, room, plan):
    colleague = StaffMemberFactory(nursery=nursery, room=room).user
    assert login(colleague).get(reverse("children:support_plan", args=[plan.pk])).status_code == 403
    page = login(colleague).get(reverse("children:detail", args=[plan.child.pk])).content.decode()
    assert plan.title not in page


def test_a_parent_cannot_edit_the_plan(login, parent, plan):
    assert login(parent).get(reverse("children:support_plan_edit", args=[plan.pk])).status_code == 404
    assert login(parent).get(reverse("children:support_review", args=[plan.pk])).status_code == 404


def test_the_childs_page_lists_the_plan_for_parent_and_key_person(login, parent, practitioner, plan):
    for user in (parent, practitioner):
        page = login(user).get(reverse("children:detail", args=[plan.child.pk])).content.decode()
        assert plan.title in page
    assert (
        "Start a support plan"
        in login(practitioner).get(reverse("children:detail", args=[plan.child.pk])).content.decode()
    )


def test_closing_a_plan_notes_the_day_and_is_logged(login, practitioner, plan):
    login(practitioner).post(
        reverse("children:support_plan_edit", args=[plan.pk]),
        plan_data(title=plan.title, started_on=plan.started_on.isoformat(), status="closed"),
    )
    plan.refresh_from_db()
    assert (plan.status, plan.closed_on) == ("closed", TODAY)
    assert plan.child.audit_events.filter(action="changed", what__contains="Status").exists()


def test_another_nurserys_child_cannot_get_a_plan(login, manager, other_nursery):
    elsewhere = ChildFactory(nursery=other_nursery)
    response = login(manager).post(reverse("children:support_plan_create", args=[elsewhere.pk]), plan_data())
    assert response.status_code == 404
