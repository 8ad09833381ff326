"""The planning loop as judged, in a browser: a next step set from an observation, planned into an activity
on the room's board, the activity evaluated, and a later observation closing the step."""

import pytest
from playwright.sync_api import expect

from demo.data import load_demo
from learning_stories.models import NextStep, Observation
from nursery.models import Nursery
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEP = "Pour water from a small jug"


def observe_zara(page, text: str, *, next_step: str = "", achieved: str = "") -> None:
    page.get_by_role("link", name="Observe").click()
    page.locator("label.chip", has_text="Zara Ahmed").click()
    page.get_by_label("What happened?").fill(text)
    page.locator("label.chip", has_text="Physical Development").click()
    if next_step:
        page.get_by_label("Next step for Zara").fill(next_step)
    if achieved:
        page.get_by_label(f"This shows “{achieved}” achieved").check()
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_text("Shared with the family.")).to_be_visible()


def test_a_next_step_is_planned_evaluated_and_closed_by_a_later_observation(live_server, tablet):
    load_demo()
    Nursery.objects.update(observations_need_review=False)
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")

    observe_zara(page, "Zara filled the cups at the water tray, spilling a little.", next_step=STEP)
    step = NextStep.objects.get(text=STEP)
    assert step.status == NextStep.Status.OPEN

    page.get_by_role("button", name="Planning").click()
    page.get_by_role("link", name="Weekly planning board").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Butterflies: planning for the week of")
    page.get_by_role("link", name=f"plan an activity for “{STEP}”").click()
    expect(page.get_by_label(f"Zara: {STEP}")).to_be_checked()
    page.get_by_label("Title").fill("Pouring at the water tray")
    page.get_by_label("Wednesday").check()
    page.get_by_role("button", name="Save").click()
    activity = page.locator("article", has_text="Pouring at the water tray")
    expect(activity).to_contain_text(f"Zara: {STEP}")
    expect(activity).to_contain_text("Wednesday")

    activity.get_by_role("link", name="Evaluate Pouring at the water tray").click()
    page.get_by_label("How did it go?").fill("Zara poured for her friends and concentrated for ten minutes.")
    page.get_by_label("Zara").check()
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.locator("article", has_text="Pouring at the water tray")).to_contain_text("Joined in: Zara")

    observe_zara(page, "Zara poured her own water at lunch without spilling.", achieved=STEP)
    closing = Observation.objects.get(text__startswith="Zara poured her own water")
    step.refresh_from_db()
    assert (step.status, step.achieved_by) == (NextStep.Status.ACHIEVED, closing)

    page.get_by_role("button", name="Planning").click()
    page.get_by_role("link", name="Weekly planning board").click()
    activity = page.locator("article", has_text="Pouring at the water tray")
    expect(activity).to_contain_text("Achieved")
    activity.get_by_role("link", name="see observation").click()
    expect(page.get_by_text("Zara poured her own water at lunch without spilling.")).to_be_visible()
