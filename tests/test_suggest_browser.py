"""The capture page on a tablet: areas suggested while typing are ticked with the keyboard; the Leuven ratings
are chosen and saved with the draft."""

import pytest
from playwright.sync_api import expect

from demo.data import load_demo
from learning_stories.models import Observation
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_suggested_area_is_announced_and_ticked_from_the_keyboard(live_server, tablet):
    load_demo()
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    page.locator("label.chip", has_text="Zara Ahmed").click()

    page.get_by_label("What happened?").press_sequentially("Cut along the line with the scissors.", delay=10)

    status = page.locator("#suggest-status")
    expect(status).to_contain_text("Suggested from what you wrote: Physical Development")
    suggestion = page.locator("#suggest-results").get_by_role("button", name="Physical Development", exact=True)
    suggestion.focus()
    page.keyboard.press("Enter")
    expect(suggestion).to_have_attribute("aria-pressed", "true")
    expect(page.locator('input[name="areas"]:checked')).to_have_count(1)
    expect(status).to_have_text("Ticked: Physical Development")

    page.locator("summary", has_text="Wellbeing and involvement").click()  # opens the Leuven scales
    page.get_by_label("4: High").first.check()  # wellbeing
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    observation = Observation.objects.get(text="Cut along the line with the scissors.")
    assert observation.wellbeing == 4
    assert list(observation.areas.values_list("code", flat=True)) == ["PD"]
