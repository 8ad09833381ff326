"""Support plans and the key person system: the buddy and the SENCO work on plans, the key person is
reminded of reviews once per due date, and the SENCO sees every plan."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from children.day.selectors import moment
from children.models import SendStatus
from children.support_plans.models import SupportPlan, SupportTarget
from children.tests.factories import ChildFactory, SupportPlanFactory
from core.models import OutgoingMail
from keyworker.tasks import sweep_support_reviews
from keyworker.tests.factories import KeyGroupFactory
from keyworker.tests.outbox import sweep_outbox
from nursery.tests.factories import StaffMemberFactory

# Dates here are counted from TODAY, so the clock is pinned to the middle of that day: a run that crosses
# midnight, or a night the clocks change, does not make "today" two different days.
TODAY = date(2026, 12, 9)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(TODAY, time(10, 30)))]


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the daily sweep as beat would (enqueued tasks are sent when the sweep's work commits)."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return sweep_support_reviews.apply().result

    return run


def test_the_sweep_reminds_the_key_person_once_per_due_date(sweep, child, practitioner):
    plan = SupportPlanFactory(child=child, next_review_on=TODAY + timedelta(days=7))

    assert sweep() == 1
    assert sweep() == 0

    assert [m.to for m in mail.outbox] == [[practitioner.email]]
    assert "Ava's support plan review is due" in mail.outbox[0].subject
    assert reverse("children:support_plan", args=[plan.pk]) in mail.outbox[0].body
    plan.refresh_from_db()
    assert plan.reminded_for == plan.next_review_on


def test_a_new_review_date_gets_its_own_reminder(sweep, child, practitioner):
    plan = SupportPlanFactory(child=child, next_review_on=TODAY - timedelta(days=3))
    sweep()
    plan.next_review_on = TODAY + timedelta(days=2)
    plan.save()
    sweep()
    assert len(mail.outbox) == 2


def test_reviews_further_off_closed_plans_and_leavers_get_no_reminder(sweep, child, nursery):
    SupportPlanFactory(child=child, next_review_on=TODAY + timedelta(days=8))
    SupportPlanFactory(child=child, next_review_on=TODAY, status=SupportPlan.Status.CLOSED)
    SupportPlanFactory(child=ChildFactory(nursery=nursery, leave_date=TODAY - timedelta(days=1)), next_review_on=TODAY)
    assert sweep() == 0
    assert mail.outbox == []


def test_without_a_key_person_the_senco_is_reminded(sweep, nursery):
    senco = StaffMemberFactory(nursery=nursery, is_senco=True)
    SupportPlanFactory(child=ChildFactory(nursery=nursery), next_review_on=TODAY)
    sweep()
    assert [m.to for m in mail.outbox] == [[senco.user.email]]


def test_a_broker_outage_loses_no_reminder(sweep, child, practitioner, broker_down):
    plan = SupportPlanFactory(child=child, next_review_on=TODAY)

    assert sweep() == 1  # queued in the outbox; the broker refused to carry it
    assert OutgoingMail.objects.get().key == f"review-due:{plan.pk}:{TODAY.isoformat()}:{practitioner.pk}"
    assert mail.outbox == []

    from conftest import use_broker

    use_broker("memory://", eager=True)
    assert sweep() == 0
    assert sweep_outbox() == 1
    assert [m.to for m in mail.outbox] == [[practitioner.email]]


def test_senco_view_lists_children_with_sen_or_an_active_plan_soonest_review_first(login, nursery, room, child):
    senco = StaffMemberFactory(nursery=nursery, is_senco=True)
    overdue = SupportPlanFactory(child=child, next_review_on=TODAY - timedelta(days=2), title="Talking")
    SupportTarget.objects.create(plan=overdue, what="Two words", strategies="Model")
    ChildFactory(nursery=nursery, room=room, first_name="Ehc", send_status=SendStatus.EHC_PLAN)
    later = SupportPlanFactory(child=ChildFactory(nursery=nursery, first_name="Later"), title="Moving")
    ChildFactory(nursery=nursery, first_name="Nosen")
    SupportPlanFactory(child=ChildFactory(nursery=nursery, first_name="Closed"), status=SupportPlan.Status.CLOSED)
    gone = ChildFactory(nursery=nursery, first_name="Gone", leave_date=TODAY - timedelta(days=1))
    SupportPlanFactory(child=gone)
    SupportPlanFactory(child=ChildFactory(first_name="Elsewhere"))

    response = login(senco.user).get(reverse("keyworker:senco"))

    assert [c.first_name for c in response.context["children"]] == ["Ava", "Later", "Ehc"]
    page = response.content.decode()
    assert "(overdue)" in page
    assert "1 open target" in page
    assert "Priya Practitioner" in page  # Ava's key person
    assert later.title in page


def test_a_practitioner_who_is_not_the_senco_cannot_open_the_senco_view(login, practitioner):
    assert login(practitioner).get(reverse("keyworker:senco")).status_code == 403


def test_the_buddy_and_the_senco_work_on_the_plan(login, nursery, room, practitioner_post, child):
    plan = SupportPlanFactory(child=child)
    buddy = StaffMemberFactory(nursery=nursery, room=room)
    KeyGroupFactory(key_person=practitioner_post, buddy=buddy)
    senco = StaffMemberFactory(nursery=nursery, is_senco=True)
    for person in (buddy, senco):
        assert login(person.user).get(reverse("children:support_plan_edit", args=[plan.pk])).status_code == 200


def test_the_senco_finds_the_support_plans_in_the_menu_and_other_practitioners_do_not(login, practitioner_post):
    senco_link = reverse("keyworker:senco")
    page = login(practitioner_post.user).get(reverse("keyworker:my_key_children"))
    assert senco_link not in page.content.decode()

    practitioner_post.is_senco = True
    practitioner_post.save(update_fields=["is_senco"])
    page = login(practitioner_post.user).get(reverse("keyworker:my_key_children"))
    assert senco_link in page.content.decode()
