"""Personal plans: a plan per child made with the family, one version a term, kept up by the key person."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from children.tests.factories import ChildFactory, GuardianshipFactory
from keyworker.personal_plans import services
from keyworker.personal_plans.models import PersonalPlan
from keyworker.tests.factories import KeyPersonAssignmentFactory
from learning_stories.tests.factories import AssessmentPointFactory, NextStepFactory
from nursery.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()
PLAN = {
    "wellbeing": "Settles with a cuddle and her blue blanket.",
    "care": "Naps after lunch for an hour. No nuts (allergy).",
    "interests": "Water play, trains",
    "focuses": "Taking turns\nPutting on her coat",
    "together": "We chat at pick-up on Fridays; the family read a book about turns at home.",
    "next_review_on": date(2026, 12, 18),
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def write(child, by, **changes) -> PersonalPlan:
    return services.save_personal_plan(child=child, by=by, data=PLAN | changes, next_steps=[])


def form_data(**changes) -> dict:
    data = PLAN | changes
    return {key: (value.isoformat() if isinstance(value, date) else value) for key, value in data.items()}


# --- Services --------------------------------------------------------------------------------------------------


def test_editing_a_plan_not_yet_agreed_changes_it_in_place(child, practitioner):
    plan = write(child, practitioner)
    again = write(child, practitioner, care="Naps at 12.")
    assert again.pk == plan.pk
    assert again.version == 1
    assert PersonalPlan.objects.get().care == "Naps at 12."


def test_editing_an_agreed_plan_starts_the_next_version_and_keeps_the_agreed_one(child, practitioner, parent):
    plan = write(child, practitioner)
    services.respond_to_plan(plan=plan, by=parent, comment="", agrees=True)
    plan.refresh_from_db()
    assert plan.agreed_on == TODAY

    new = write(child, practitioner, care="Naps at 12.", agreed_on=None, next_review_on=date(2027, 4, 1))

    assert new.pk != plan.pk
    assert new.version == 2
    assert new.agreed_on is None
    plan.refresh_from_db()
    assert plan.care == PLAN["care"]
    assert plan.agreed_on == TODAY  # history untouched


def test_a_family_agreement_records_who_and_when(child, practitioner, parent):
    plan = write(child, practitioner)
    response = services.respond_to_plan(plan=plan, by=parent, comment="Looks right", agrees=True)
    assert response.author == parent
    assert response.created_at == NOW
    assert response.agrees


def test_a_comment_alone_does_not_mark_the_plan_agreed(child, practitioner, parent):
    plan = write(child, practitioner)
    services.respond_to_plan(plan=plan, by=parent, comment="She naps less now", agrees=False)
    plan.refresh_from_db()
    assert plan.agreed_on is None


def test_the_review_defaults_to_the_end_of_the_current_term(nursery):
    AssessmentPointFactory(nursery=nursery, name="Autumn", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 18))
    AssessmentPointFactory(nursery=nursery, name="Spring", starts_on=date(2027, 3, 20), ends_on=date(2027, 4, 1))
    assert services.default_review_date(nursery.pk) == date(2026, 12, 18)


def test_without_term_dates_the_review_defaults_to_three_months_ahead(nursery):
    assert services.default_review_date(nursery.pk) == date(2027, 2, 10)


def test_three_months_after_the_end_of_november_is_the_end_of_february():
    assert services.months_after(date(2026, 11, 30), 3) == date(2027, 2, 28)


# --- Pages and who may see them ----------------------------------------------------------------------------


def test_key_person_writes_the_first_plan_with_the_review_date_offered(login, child, practitioner):
    client = login(practitioner)
    page = client.get(reverse("keyworker:personal_plan_edit", args=[child.pk]))
    assert page.context["form"].initial["next_review_on"] == date(2027, 2, 10)
    response = client.post(reverse("keyworker:personal_plan_edit", args=[child.pk]), form_data())
    assert response.status_code == 302
    assert PersonalPlan.objects.get(child=child).created_by == practitioner


def test_key_person_links_the_childs_open_next_steps(login, child, practitioner):
    step = NextStepFactory(child=child, text="Take turns at the water tray.")
    NextStepFactory(child=ChildFactory(nursery=child.nursery), text="Someone else's step")
    client = login(practitioner)
    page = client.get(reverse("keyworker:personal_plan_edit", args=[child.pk]))
    assert list(page.context["form"].fields["next_steps"].queryset) == [step]
    client.post(reverse("keyworker:personal_plan_edit", args=[child.pk]), form_data(next_steps=[step.pk]))
    assert list(PersonalPlan.objects.get().next_steps.all()) == [step]
    assert "Take turns at the water tray." in client.get(reverse("keyworker:personal_plan", args=[child.pk])).text


def test_a_past_review_date_is_refused_and_what_was_typed_is_kept(login, child, practitioner):
    client = login(practitioner)
    response = client.post(
        reverse("keyworker:personal_plan_edit", args=[child.pk]), form_data(next_review_on=date(2026, 11, 1))
    )
    assert response.status_code == 200
    assert "The next review must be after today." in response.text
    assert PLAN["wellbeing"] in response.text
    assert not PersonalPlan.objects.exists()


def test_editing_an_agreed_plan_on_the_page_says_a_new_version_starts(login, child, practitioner):
    write(child, practitioner, agreed_on=date(2026, 11, 2))
    client = login(practitioner)
    page = client.get(reverse("keyworker:personal_plan_edit", args=[child.pk]))
    assert "Saving starts version 2" in page.text
    assert page.context["form"].initial["care"] == PLAN["care"]
    client.post(reverse("keyworker:personal_plan_edit", args=[child.pk]), form_data(agreed_on=""))
    assert list(PersonalPlan.objects.values_list("version", flat=True)) == [2, 1]


def test_an_earlier_version_is_read_only(login, child, practitioner):
    old = write(child, practitioner, agreed_on=date(2026, 11, 2))
    write(child, practitioner, care="Naps at 12.")
    page = login(practitioner).get(reverse("keyworker:personal_plan_version", args=[old.pk]))
    assert "This is an earlier version" in page.text
    assert reverse("keyworker:personal_plan_edit", args=[child.pk]) not in page.text


def test_parent_agrees_the_plan_from_their_phone(login, child, practitioner, parent):
    write(child, practitioner)
    client = login(parent)
    url = reverse("keyworker:personal_plan", args=[child.pk])
    assert client.post(url, {"comment": "", "agrees": "on"}).status_code == 302
    page = client.get(url)
    assert "We agreed this plan." in page.text
    assert "Sam Taylor" in page.text
    assert PersonalPlan.objects.get().agreed_on == TODAY


def test_parent_must_write_something_or_agree(login, child, practitioner, parent):
    write(child, practitioner)
    response = login(parent).post(reverse("keyworker:personal_plan", args=[child.pk]), {"comment": " "})
    assert response.status_code == 200
    assert "Write a comment, or tick that you agreed the plan." in response.text


def test_parent_cannot_open_another_childs_plan(login, child, practitioner, other_parent):
    write(child, practitioner)
    assert login(other_parent).get(reverse("keyworker:personal_plan", args=[child.pk])).status_code == 404


def test_a_grandparent_without_parental_responsibility_does_not_see_the_plan(login, child, practitioner):
    write(child, practitioner)
    gran = GuardianshipFactory(child=child, has_parental_responsibility=False).user
    assert login(gran).get(reverse("keyworker:personal_plan", args=[child.pk])).status_code == 404


def test_another_nurserys_manager_cannot_see_the_plan(login, child, practitioner, other_manager):
    plan = write(child, practitioner)
    client = login(other_manager)
    assert client.get(reverse("keyworker:personal_plan", args=[child.pk])).status_code == 404
    assert client.get(reverse("keyworker:personal_plan_version", args=[plan.pk])).status_code == 404


def test_a_room_practitioner_who_is_not_the_key_person_reads_but_does_not_edit(login, child, practitioner, room):
    """They care for the child every day, so they need the routines and comforts, but the key person keeps it."""
    write(child, practitioner)
    colleague = login(StaffMemberFactory(nursery=child.nursery, room=room).user)
    page = colleague.get(reverse("keyworker:personal_plan", args=[child.pk]))
    assert page.status_code == 200
    assert PLAN["care"] in page.text
    assert reverse("keyworker:personal_plan_edit", args=[child.pk]) not in page.text
    assert colleague.get(reverse("keyworker:personal_plan_edit", args=[child.pk])).status_code == 403
    assert colleague.post(reverse("keyworker:personal_plan", args=[child.pk]), {"agrees": "on"}).status_code == 403


def test_manager_may_edit_any_childs_plan(login, child, manager):
    response = login(manager).post(reverse("keyworker:personal_plan_edit", args=[child.pk]), form_data())
    assert response.status_code == 302


# --- Flags on the key person's and the manager's pages -------------------------------------------------------


def test_my_key_children_flags_a_child_with_no_plan_or_an_overdue_review(login, child, practitioner, practitioner_post):
    other = ChildFactory(nursery=child.nursery, room=child.room, first_name="Ben")
    KeyPersonAssignmentFactory(child=other, key_person=practitioner_post)
    write(other, practitioner)
    PersonalPlan.objects.filter(child=other).update(next_review_on=date(2026, 11, 1))
    page = login(practitioner).get(reverse("keyworker:my_key_children"))
    due = {c.first_name: c.due for c in page.context["children"]}
    assert "No personal plan yet: write one with the family." in due["Ava"]
    assert "Personal plan review was due on Sunday 1 November: review it with the family." in due["Ben"]


def test_a_plan_up_to_date_is_not_flagged(login, child, practitioner):
    write(child, practitioner)
    page = login(practitioner).get(reverse("keyworker:my_key_children"))
    assert not any("ersonal plan" in item for item in page.context["children"][0].due)


def test_manager_overview_lists_children_needing_a_plan(login, child, practitioner, manager):
    other = ChildFactory(nursery=child.nursery, room=child.room, first_name="Ben")
    write(other, practitioner)
    page = login(manager).get(reverse("keyworker:overview"))
    assert [c.first_name for c in page.context["plans_due"]] == ["Ava"]


def test_the_child_page_shows_an_overdue_review(login, child, practitioner):
    write(child, practitioner)
    PersonalPlan.objects.update(next_review_on=date(2026, 11, 1))
    page = login(practitioner).get(reverse("children:detail", args=[child.pk]))
    assert "1 November 2026 (overdue)" in page.text
