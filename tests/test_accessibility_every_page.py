"""Every page each role reaches meets WCAG 2.2 AA as far as a machine can tell, at tablet and phone size.

The pages come from the ACCESS table of tests/test_url_access.py (each GET a role may open, answering with a web
page), with the objects its ``world`` fixture makes, so a new page is checked here as soon as its access row is
written. On each page: axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules; targets of at least 24x24 CSS px
(or spaced as WCAG allows); a visible focus indicator on each element Tab reaches. The menus are opened from the
keyboard and left again with Tab, Shift+Tab and Escape.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests import test_url_access
from tests.browser import PHONE, TABLET
from tests.test_accessibility import AXE, AXE_TAGS
from tests.test_url_access import ACCESS, ROLES, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECKS = (Path(__file__).parent / "a11y_checks.js").read_text()
world = test_url_access.world  # the objects each URL points at (a fixture)

# The roles the accessibility statement speaks of; the others in ROLES (a parent of another child, another
# nursery's manager, a leaver) reach a subset of the same pages.
CHECKED_ROLES = ["anonymous", "manager", "practitioner", "parent", "group_owner"]
# Tab at most this far through a page (a long list repeats the same few kinds of element).
MAX_TABS = 60


def pages_for(role: str) -> list[str]:
    """The URL names a role may open with a GET (answer 200), from ACCESS."""
    column = ROLES.index(role)
    return [name for name, expected in ACCESS.items() if expected[0] != "POST" and expected[column] == 200]


def web_pages(client: Client, role: str, world: dict) -> dict[str, str]:
    """Of the role's pages, those that are web pages (not a photo, PDF or download), by name: their address."""
    found = {}
    for name in pages_for(role):
        address = url_for(name, world)
        response = client.get(address)
        # Not a part of a page that htmx loads into another (that page is checked with it).
        if response.headers.get("Content-Type", "").startswith("text/html") and b"<html" in response.content[:500]:
            found[name] = address
    return found


def sign_in(page: Page, client: Client, base_url: str, user) -> None:
    """Share the test client's session with the browser: one sign-in per role, no form to fill in each time."""
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def check(page: Page, *, from_main: bool) -> dict[str, list[str]]:
    """axe-core, target size and visible focus on the page that is open, in two trips to the page (and the Tab
    presses). With ``from_main``, Tab starts at the main content: the navigation has been checked already."""
    page.evaluate(AXE)
    page.evaluate(CHECKS)
    tabbable, small, axe = page.evaluate(
        """async ([tags, fromMain]) => {
            const tabbable = ksA11y.prepare(fromMain);
            const small = ksA11y.smallTargets();
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            const axe_ = result.violations.map(
                v => `${v.id}: ${v.help} (${v.nodes.length} places, e.g. ${v.nodes[0].target})`
            );
            return [tabbable, small, axe_];
        }""",
        [AXE_TAGS, from_main],
    )
    for _ in range(min(tabbable, MAX_TABS)):
        page.keyboard.press("Tab")
    problems = {"axe": axe, "small targets": small, "no visible focus": page.evaluate("ksA11y.unseenFocus()")}
    return {kind: found for kind, found in problems.items() if found}


@pytest.mark.parametrize("role", CHECKED_ROLES)
def test_every_page_a_role_reaches_meets_wcag_2_2_aa_at_tablet_and_phone_size(live_server, world, tablet, role):
    page = tablet  # one browser page for the role, made phone-sized for the second round
    page.emulate_media(reduced_motion="reduce")  # focus styles drawn at once, not mid-transition
    client = Client()
    if role != "anonymous":
        sign_in(page, client, live_server.url, world["users"][role])
    pages = web_pages(client, role, world)
    assert len(pages) > 5, f"{role} reaches too few pages to be a real check: {pages}"
    print(f"{role}: {len(pages)} pages")  # the figures of the accessibility statement (pytest -rP shows them)
    found = []
    for size, viewport in (("tablet", TABLET), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        for index, (name, address) in enumerate(pages.items()):
            page.goto(live_server.url + address)
            problems = check(page, from_main=index > 0).items()
            found += [f"{size} {name} {kind}: {problem}" for kind, seen in problems for problem in seen]
    page.problems.clear()  # what the pages' own scripts log is tested elsewhere
    assert not found, "\n".join(found)


def _menus(page: Page):
    return page.locator("[data-bs-toggle=dropdown]:visible")


def test_keyboard_users_can_open_and_leave_every_menu_without_being_trapped(live_server, world, tablet):
    page = tablet
    for role in ["manager", "practitioner", "parent", "group_owner"]:
        page.context.clear_cookies()
        sign_in(page, Client(), live_server.url, world["users"][role])
        for size, viewport in (("tablet", TABLET), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(live_server.url + reverse("accounts:password_change"))
            if size == "phone":  # the menus are behind the menu button, which Tab leaves as it would a menu
                toggler = page.get_by_role("button", name="Show menu")
                toggler.focus()
                page.keyboard.press("Enter")
                expect(page.locator("#main-nav")).to_be_visible()
            assert _menus(page).count() > 0, f"{role} at {size} size has no menu"
            for index in range(_menus(page).count()):
                leave_menu_by_keyboard(page, _menus(page).nth(index))
    page.problems.clear()


def leave_menu_by_keyboard(page: Page, trigger) -> None:
    menu = trigger.locator("xpath=following-sibling::*[contains(@class, 'dropdown-menu')]")
    # Escape closes the menu and gives focus back to its button.
    trigger.focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(menu.locator(":focus")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(trigger).to_be_focused()
    # Shift+Tab from the first item goes back to the button.
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+Tab")
    expect(trigger).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    # Tab goes through the items and out of the menu, which closes.
    page.keyboard.press("Enter")
    for _ in range(menu.locator("a, button").count() + 1):
        page.keyboard.press("Tab")
    expect(menu.locator(":focus")).to_have_count(0)
    expect(menu).to_be_hidden()
