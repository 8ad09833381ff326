"""What subject access and the retention schedule do with personal plans: every version and the family's
responses are in the family's copy, and the plans go with the family details three years after the child leaves."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from children.models import Child
from children.tests.factories import ChildFactory, GuardianshipFactory, IncidentFactory
from keyworker.personal_plans import services as plans
from keyworker.personal_plans.models import PersonalPlan, PlanResponse
from privacy.records import child_record
from retention import services as retention

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PLAN = {
    "wellbeing": "Settles with a cuddle.",
    "care": "Naps after lunch.",
    "focuses": "Taking turns",
    "together": "Chat at pick-up.",
    "next_review_on": date(2026, 7, 10),
}


@pytest.fixture
def leo(nursery, room, practitioner):
    """Leo left on 17 July 2026; his family agreed one plan and the key person started the next."""
    with time_machine.travel(datetime(2026, 5, 1, 10, tzinfo=LONDON), tick=False):
        leo = ChildFactory(nursery=nursery, room=room, first_name="Leo", leave_date=date(2026, 7, 17))
        parent = GuardianshipFactory(child=leo, user__full_name="Kim Marsh").user
        first = plans.save_personal_plan(child=leo, by=practitioner, data=PLAN, next_steps=[])
        plans.respond_to_plan(plan=first, by=parent, comment="Yes, that is Leo", agrees=True)
        plans.save_personal_plan(child=leo, by=practitioner, data=PLAN | {"care": "No nap now."}, next_steps=[])
        IncidentFactory(child=leo)  # kept until he is 21: his record stays, the family details go
    return leo


def test_a_subject_access_copy_has_every_version_and_the_familys_responses(leo):
    record = child_record(leo, photos=[], progress=lambda *args: None)
    versions = record["personal_plans"]
    assert [plan["version"] for plan in versions] == [1, 2]
    assert versions[1]["care"] == "No nap now."
    assert versions[0]["family_responses"][0]["comment"] == "Yes, that is Leo"
    assert versions[0]["family_responses"][0]["by"] == "Kim Marsh"


def test_personal_plans_go_with_the_family_details_three_years_after_the_child_leaves(leo, nursery):
    with time_machine.travel(datetime(2029, 7, 1, 2, tzinfo=LONDON), tick=False):
        retention.sweep(nursery_id=nursery.pk)
    assert PersonalPlan.objects.count() == 2
    with time_machine.travel(datetime(2029, 8, 1, 2, tzinfo=LONDON), tick=False):
        retention.sweep(nursery_id=nursery.pk)
    assert Child.objects.filter(pk=leo.pk).exists()
    assert not PersonalPlan.objects.exists()
    assert not PlanResponse.objects.exists()
