"""What the end-to-end journeys tripped over, seen in Chromium on the demo nursery: the capture page offers the
children on roll today (the practitioner's room first) with one box per open next step; staff read the key
person history on a child's page; a leaver's family reads who the key person was and is offered nothing to add.
"""

from datetime import time

import pytest
import time_machine
from django.db.models import Count
from django.utils import timezone
from playwright.sync_api import expect

from children.day.selectors import moment
from children.models import Child
from children.selectors import not_left_by
from demo.data import load_demo
from keyworker.models import KeyPersonAssignment
from learning_stories.models import NextStep
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    """The demo nursery at half past ten today (the clock ticks on), whatever the real hour."""
    with time_machine.travel(moment(timezone.localdate(), time(10, 30)), tick=True):
        load_demo()
        yield live_server.url


def test_capture_offers_the_children_on_roll_today_priyas_room_first_and_each_open_step_once(demo, tablet):
    today = timezone.localdate()
    on_roll = Child.objects.filter(not_left_by(today), start_date__lte=today)
    butterflies = set(on_roll.filter(room__name="Butterflies").values_list("pk", flat=True))
    log_in(tablet, demo, "priya@rainbow.example")
    tablet.goto(f"{demo}/stories/observations/new/")

    chips = tablet.locator("input[data-child-chip]")

    def offered() -> list[int]:
        return [int(value) for value in chips.evaluate_all("inputs => inputs.map(input => input.value)")]

    assert set(offered()) == butterflies  # her room's children first; the others when asked for
    tablet.get_by_text("Children in other rooms").click()
    expect(chips).to_have_count(on_roll.count())
    assert sorted(offered()) == sorted(on_roll.values_list("pk", flat=True))  # not Ruby (left), not Nell (starts)
    assert set(offered()[: len(butterflies)]) == butterflies
    for name in ("Ruby Fox", "Nell Harper"):
        expect(tablet.locator("label.chip", has_text=name)).to_have_count(0)

    # The child with the most open steps: one "achieved" box per step, however often it was planned.
    child = (
        Child.objects.filter(pk__in=butterflies, planned_steps__status=NextStep.Status.OPEN)
        .annotate(steps=Count("planned_steps"))
        .order_by("-steps")
        .first()
    )
    assert child is not None, "the demo has open next steps in Butterflies"
    tablet.locator("label.chip", has_text=child.display_name).click()
    boxes = tablet.locator(f"[data-next-steps='{child.pk}'] input[name='achieved_step']")
    expect(boxes.first).to_be_visible()
    labels = tablet.locator(f"[data-next-steps='{child.pk}'] label.form-check-label").all_inner_texts()
    wordings = {
        " ".join(step.split()).casefold().rstrip(".")
        for step in child.planned_steps.filter(status=NextStep.Status.OPEN).values_list("text", flat=True)
    }
    assert len(labels) == len(set(labels)) == len(wordings)


def test_a_key_person_reads_who_held_the_role_when_and_why_on_a_childs_page(demo, tablet):
    changed = (
        KeyPersonAssignment.objects.values("child")
        .annotate(spells=Count("pk"))
        .filter(spells__gt=1)
        .order_by("child")
        .first()
    )
    assert changed is not None, "the demo has a child whose key person changed"
    child = Child.objects.get(pk=changed["child"])
    reasons = list(KeyPersonAssignment.objects.filter(child=child).values_list("reason", flat=True))
    log_in(tablet, demo, "priya@rainbow.example")
    tablet.goto(f"{demo}/children/{child.pk}/")

    history = tablet.get_by_role("heading", name="Key person history")
    expect(history).to_be_visible()
    for reason in filter(None, reasons):
        expect(tablet.get_by_text(f"Why: {reason}")).to_be_visible()


def test_a_leavers_family_on_a_phone_reads_who_the_key_person_was_and_is_offered_nothing_to_add(demo, phone):
    ruby = Child.objects.get(first_name="Ruby", last_name="Fox")
    log_in(phone, demo, "jo.fox@families.example")
    phone.goto(f"{demo}/my-children/")

    card = phone.locator("section", has_text="Ruby Fox")
    expect(card.get_by_text(f"Ruby left on {ruby.leave_date:%-d %B %Y}.")).to_be_visible()
    expect(card.get_by_text("key person was")).to_be_visible()
    expect(card.get_by_role("link", name="Add something from home")).to_have_count(0)

    phone.goto(f"{demo}/children/{ruby.pk}/")
    expect(phone.get_by_text("key person was")).to_be_visible()
    expect(phone.get_by_text("Not chosen yet")).to_have_count(0)
    expect(phone.get_by_role("link", name="Tell us about changes at home")).to_have_count(0)
    expect(phone.get_by_role("link", name="A private note for the key person")).to_have_count(0)
