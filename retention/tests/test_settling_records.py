"""Settling-in plans in subject access and the retention sweep: the family's copy has the sessions and how
they went (the visit's staff notes only counted), and the plan goes with the child's family details."""

from datetime import date

import pytest

from privacy.records import child_record
from retention.tests import test_retention as world
from transitions.models import SettlingSession, StarterPlan
from transitions.tests.factories import SettlingSessionFactory, StarterPlanFactory

pytestmark = pytest.mark.django_db

leaver_world = world.leaver_world  # the retention tests' leaver, with an incident that keeps his name


def test_a_subject_access_copy_has_the_settling_sessions_but_only_counts_the_staff_visit_notes(child):
    plan = StarterPlanFactory(child=child, visit_kind="home_visit", visit_notes="Dog in the house: staff only.")
    SettlingSessionFactory(plan=plan, outcome="settled", note="Played in the sand", what_helped="Bunny")

    record = child_record(child, photos=[], progress=lambda *args: None)

    assert record["settling_in"]["visit_kind"] == "Home visit"
    assert [(s["outcome"], s["note"], s["what_helped"]) for s in record["settling_in"]["sessions"]] == [
        ("Settled", "Played in the sand", "Bunny")
    ]
    assert "Dog in the house" not in str(record)
    assert record["held_not_included"]["settling_in_visit_notes_for_staff"] == 1


def test_the_settling_in_plan_goes_with_the_family_details_while_the_incident_keeps_the_name(leaver_world, nursery):
    leo = leaver_world["leo"]
    SettlingSessionFactory(plan=StarterPlanFactory(child=leo), starts_at=world.at(2024, 9, 2))
    world.sweep_on(date(2029, 7, 10), nursery)  # less than three years after he left
    assert StarterPlan.objects.filter(child=leo).exists()
    world.sweep_on(date(2029, 8, 1), nursery)
    assert world.exists(leo)
    assert not StarterPlan.objects.exists()
    assert not SettlingSession.objects.exists()
