"""The installable app on a tablet: pages open with no connection, and what is saved offline is sent once."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, Route, expect

from children.day import selectors as day_selectors
from children.day import services as day_services
from children.day.models import Attendance, CareEntry
from children.models import Child
from demo.data import load_demo
from learning_stories.models import Observation
from nursery.models import StaffMember
from tests.browser import log_in
from tests.images import camera_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


KEPT_PAGES = "caches.open('keystory-pages').then(cache => cache.keys()).then(keys => keys.length)"


def forgive(page: Page, *expected: str) -> None:
    """Errors the browser logs on purpose here: htmx reports a request that found no connection, and a refusal
    answers 422."""
    page.problems[:] = [problem for problem in page.problems if not any(text in problem for text in expected)]


HTMX_OFFLINE = ("htmx:sendError", "htmx:afterRequest")


SENDING = re.compile(r"/(stories/observations/queued|children/rooms/\d+/care-log|children/\d+/sign-in)/$")


def refuse_to_send(route: Route) -> None:
    if route.request.method == "POST":
        route.abort("internetdisconnected")
    else:
        route.fallback()


def go_offline(context: BrowserContext) -> None:
    """No connection. Chromium's offline mode does not reach what the service worker sends by itself
    (Background Sync), so sending is refused here as well, as it would be with no connection."""
    context.set_offline(True)
    context.route(SENDING, refuse_to_send)


def come_back_online(context: BrowserContext) -> None:
    context.unroute(SENDING, refuse_to_send)
    context.set_offline(False)


def wait_until_sent(page: Page) -> None:
    """Until nothing is waiting on the tablet (the menu bar's count is hidden before it is first drawn too)."""
    page.wait_for_function("() => KeyStoryOutbox.all().then(items => items.length === 0)", timeout=20_000)
    expect(page.locator("#outbox-toggle")).to_be_hidden()


def wait_for_service_worker(page: Page) -> None:
    """Until the service worker looks after this page (it claims the page once installed)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def open_as_practitioner(page: Page, base_url: str, *paths: str) -> None:
    log_in(page, base_url, "priya@rainbow.example")
    page.goto(f"{base_url}{paths[0]}")
    wait_for_service_worker(page)
    for path in paths:
        page.goto(f"{base_url}{path}")  # opened under the worker: now kept on the tablet


def priyas_room_with_zara_here():
    """Priya's room, with Zara signed in (the demo's day may have sent everyone home by now)."""
    priya = StaffMember.objects.get(user__email="priya@rainbow.example")
    zara = Child.objects.get(first_name="Zara")
    if day_selectors.open_attendance(zara) is None:
        day_services.sign_in(child=zara, by=priya.user, at=timezone.now() - timedelta(minutes=5))
    return priya.room


def test_the_capture_page_opens_again_with_no_connection(live_server, tablet):
    load_demo()
    page = tablet
    open_as_practitioner(page, live_server.url, "/stories/observations/new/")
    go_offline(page.context)

    page.reload()

    expect(page.get_by_role("button", name="Save draft")).to_be_visible()
    expect(page.locator("label.chip", has_text="Zara Ahmed")).to_be_visible()


def test_a_page_never_opened_shows_the_offline_page(live_server, tablet):
    load_demo()
    page = tablet
    open_as_practitioner(page, live_server.url, "/stories/observations/new/")
    go_offline(page.context)

    page.goto(f"{live_server.url}/children/")

    expect(page.get_by_role("heading", name="No connection to KeyStory")).to_be_visible()


def test_signing_out_forgets_the_pages_kept_on_the_tablet(live_server, tablet):
    load_demo()
    page = tablet
    open_as_practitioner(page, live_server.url, "/stories/observations/new/")
    assert page.evaluate(KEPT_PAGES) == 1

    page.evaluate("document.querySelector('form[action$=\"/accounts/logout/\"]').requestSubmit()")
    page.wait_for_url("**/accounts/login/**")
    go_offline(page.context)
    page.goto(f"{live_server.url}/stories/observations/new/")

    expect(page.get_by_role("heading", name="No connection to KeyStory")).to_be_visible()
    assert page.evaluate(KEPT_PAGES) == 0


def photos(prefix: str) -> list[dict]:
    return [
        {"name": f"{prefix}_{n}.JPG", "mimeType": "image/jpeg", "buffer": camera_jpeg(width=640, height=480)}
        for n in (1, 2)
    ]


def observe_offline(page: Page, child: str, text: str, prefix: str) -> None:
    page.locator("label.chip", has_text=child).click()
    page.get_by_label("What happened").fill(text)
    page.locator("#choose-photos").set_input_files(photos(prefix))
    with page.expect_navigation(url="**/stories/observations/new/?fresh=1&queued=1"):
        page.get_by_role("button", name="Send for review").click()
    expect(page.locator("#offline-notice")).to_contain_text("kept on this tablet")


def test_observations_made_offline_reach_the_server_once_each_with_their_photos(live_server, tablet):
    load_demo()
    room = priyas_room_with_zara_here()
    page = tablet
    care_log = f"/children/rooms/{room.pk}/care-log/"
    open_as_practitioner(page, live_server.url, care_log, "/stories/observations/new/")
    nappies = CareEntry.objects.filter(kind="nappy", child__first_name="Zara").count()
    go_offline(page.context)

    observe_offline(page, "Zara Ahmed", "Zara poured water from jug to cup.", "ZARA")
    observe_offline(page, "Jack Green", "Jack counted five ducks.", "JACK")
    page.goto(f"{live_server.url}{care_log}")
    page.locator("label.chip", has_text="Zara").click()
    page.locator('button[value="nappy:wet"]').click()
    expect(page.locator("#care-status")).to_contain_text("kept on this tablet")

    expect(page.locator("#outbox-toggle")).to_have_text("Waiting to send: 3")
    page.locator("#outbox-toggle").click()
    expect(page.locator("[data-outbox-item]").first).to_contain_text("Zara poured water")
    assert not Observation.objects.filter(text__contains="poured").exists()

    # The page is closed; later the connection comes back and someone opens KeyStory.
    context = page.context
    page.close()
    come_back_online(context)
    again = context.new_page()
    again.goto(f"{live_server.url}/children/")
    wait_until_sent(again)
    again.reload()  # a second page load sends nothing more
    again.wait_for_load_state("networkidle")

    zara = Observation.objects.get(text="Zara poured water from jug to cup.")
    jack = Observation.objects.get(text="Jack counted five ducks.")
    assert zara.status == jack.status == Observation.Status.AWAITING_REVIEW
    assert [c.known_as for c in zara.children.all()] == ["Zara"]
    assert zara.photos.count() == jack.photos.count() == 2
    assert Observation.objects.filter(text__contains="poured").count() == 1
    assert again.evaluate("KeyStoryOutbox.all().then(items => items.length)") == 0
    assert CareEntry.objects.filter(kind="nappy", child__first_name="Zara").count() == nappies + 1
    forgive(page, *HTMX_OFFLINE)


def test_a_child_signed_in_offline_is_signed_in_once_when_the_connection_returns(live_server, tablet):
    load_demo()
    room = priyas_room_with_zara_here()
    child = Child.objects.filter(room=room).exclude(first_name="Zara").order_by("pk").first()
    Attendance.objects.filter(child=child).delete()
    page = tablet
    register = f"/children/rooms/{room.pk}/register/"
    open_as_practitioner(page, live_server.url, register)
    go_offline(page.context)
    page.reload()

    row = page.locator(f"#register-{child.pk}")
    row.get_by_role("button", name=f"Sign in {child.known_as}").click()
    expect(row).to_contain_text("kept on this tablet")
    expect(page.locator("#outbox-toggle")).to_have_text("Waiting to send: 1")
    assert not Attendance.objects.filter(child=child).exists()

    come_back_online(page.context)
    page.reload()

    wait_until_sent(page)
    page.reload()
    expect(page.locator(f"#register-{child.pk}")).to_contain_text("In ")
    assert Attendance.objects.filter(child=child).count() == 1
    forgive(page, *HTMX_OFFLINE)


def test_a_refused_observation_is_shown_with_what_was_written_never_dropped(live_server, tablet):
    load_demo()
    page = tablet
    open_as_practitioner(page, live_server.url, "/stories/observations/new/")
    go_offline(page.context)
    observe_offline(page, "Zara Ahmed", "Zara climbed the frame.", "ZARA")
    # Meanwhile, in the office, Zara's leaving date is put in the past.
    Child.objects.filter(first_name="Zara").update(leave_date=timezone.localdate() - timedelta(days=40))

    come_back_online(page.context)
    page.evaluate("window.dispatchEvent(new Event('online'))")

    refused = page.locator("[data-outbox-item]")
    expect(refused).to_contain_text("may have left the nursery")
    expect(refused).to_contain_text("Zara climbed the frame.")
    expect(page.locator("#outbox-toggle")).to_have_text("Waiting to send: 1 (not sent: 1)")
    page.reload()
    expect(page.locator("[data-outbox-item]")).to_contain_text("Zara climbed the frame.")
    assert not Observation.objects.filter(text="Zara climbed the frame.").exists()

    page.once("dialog", lambda dialog: dialog.accept())
    refused.get_by_role("button", name="Remove from this tablet").click()
    expect(page.locator("#outbox-toggle")).to_be_hidden()
    forgive(page, "status of 422")


def sign_out(page: Page) -> None:
    page.evaluate("document.querySelector('form[action$=\"/accounts/logout/\"]').requestSubmit()")
    page.wait_for_url("**/accounts/login/**")


def test_what_one_person_left_unsent_waits_for_them_when_someone_else_signs_in(live_server, tablet):
    load_demo()
    page = tablet
    open_as_practitioner(page, live_server.url, "/stories/observations/new/")
    go_offline(page.context)
    observe_offline(page, "Zara Ahmed", "Zara sang the whole song.", "ZARA")
    # The connection comes back, but drops in the middle of sending the photos.
    page.context.route("**/stories/observations/queued/", lambda route: route.abort("connectionreset"))
    come_back_online(page.context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(1000)
    assert page.evaluate("KeyStoryOutbox.all().then(items => items.map(item => item.files.length))") == [2]
    sign_out(page)
    page.context.unroute("**/stories/observations/queued/")

    log_in(page, live_server.url, "tom@rainbow.example")

    expect(page.locator("#outbox-toggle")).to_have_text("Kept for someone else: 1")
    page.locator("#outbox-toggle").click()
    expect(page.locator("#outbox-panel")).not_to_contain_text("Zara sang")
    page.wait_for_load_state("networkidle")
    assert not Observation.objects.filter(text="Zara sang the whole song.").exists()

    sign_out(page)
    log_in(page, live_server.url, "priya@rainbow.example")

    wait_until_sent(page)
    observation = Observation.objects.get(text="Zara sang the whole song.")
    assert observation.author.email == "priya@rainbow.example"
    assert observation.photos.count() == 2
    forgive(page, "net::ERR_CONNECTION_RESET")


def test_a_full_tablet_says_so_and_keeps_the_observation_on_the_page(live_server, tablet):
    load_demo()
    page = tablet
    open_as_practitioner(page, live_server.url, "/stories/observations/new/")
    page.evaluate("navigator.storage.estimate = () => Promise.resolve({usage: 999_999_000, quota: 1_000_000_000})")
    go_offline(page.context)

    page.locator("label.chip", has_text="Zara Ahmed").click()
    page.get_by_label("What happened").fill("Zara made a den.")
    page.locator("#choose-photos").set_input_files(photos("ZARA"))
    page.get_by_role("button", name="Send for review").click()

    expect(page.locator("#offline-notice")).to_contain_text("storage is full, so this was NOT kept on the tablet")
    expect(page.get_by_label("What happened")).to_have_value("Zara made a den.")
    assert page.evaluate("KeyStoryOutbox.all().then(items => items.length)") == 0


def test_what_one_person_typed_is_never_shown_to_the_next_person_on_the_tablet(live_server, tablet):
    load_demo()
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    page.context.route("**/autosave/", lambda route: route.abort("internetdisconnected"))
    page.locator("label.chip", has_text="Zara Ahmed").click()
    page.get_by_label("What happened").fill("Zara hid behind the curtain.")
    page.wait_for_function("localStorage.getItem('keystory:observation:current') !== null")
    sign_out(page)
    page.context.unroute("**/autosave/")

    log_in(page, live_server.url, "tom@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")

    expect(page.locator("#outbox-toggle")).to_have_text("Kept for someone else: 1")
    expect(page.get_by_label("What happened")).to_have_value("")
    expect(page.locator("#restored-notice")).to_be_hidden()
    page.wait_for_timeout(500)
    assert not Observation.objects.filter(text="Zara hid behind the curtain.").exists()

    sign_out(page)
    log_in(page, live_server.url, "priya@rainbow.example")

    wait_until_sent(page)
    observation = Observation.objects.get(text="Zara hid behind the curtain.")
    assert observation.author.email == "priya@rainbow.example"
    assert observation.status == Observation.Status.DRAFT
    forgive(page, "net::ERR_INTERNET_DISCONNECTED")


KEPT_PHOTOS = (
    "KeyStoryWaitingPhotos.of(document.querySelector('[name=client_key]').value,"
    " document.querySelector('meta[name=keystory-user]').content).then(files => files.length)"
)


def test_photos_chosen_offline_come_back_with_the_text_after_the_page_is_closed(live_server, tablet):
    load_demo()
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    go_offline(page.context)
    page.locator("label.chip", has_text="Zara Ahmed").click()
    page.get_by_label("What happened").fill("Zara painted a sun.")
    page.locator("#choose-photos").set_input_files(photos("ZARA"))
    expect(page.locator("#photo-status")).to_contain_text("2 photo(s)")
    assert page.evaluate(KEPT_PHOTOS) == 2

    context = page.context
    page.close()  # the tablet locks itself; the page is gone
    come_back_online(context)
    again = context.new_page()
    again.goto(f"{live_server.url}/stories/observations/new/")

    expect(again.get_by_label("What happened")).to_have_value("Zara painted a sun.")
    expect(again.locator("[data-photo-card]")).to_have_count(2, timeout=20_000)
    observation = Observation.objects.get(text="Zara painted a sun.")
    assert observation.photos.count() == 2
    again.wait_for_function(f"{KEPT_PHOTOS}.then(n => n === 0)")


def test_an_observation_with_a_clip_is_not_queued_without_it_and_nothing_typed_is_lost(live_server, tablet):
    load_demo()
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    go_offline(page.context)
    page.locator("label.chip", has_text="Zara Ahmed").click()
    page.get_by_label("What happened").fill("Zara sang to the fish.")
    page.locator("#choose-clips").set_input_files(
        {"name": "song.m4a", "mimeType": "audio/mp4", "buffer": b"\x00\x00\x00\x18ftypM4A "}
    )

    page.get_by_role("button", name="Send for review").click()

    notice = page.locator("#offline-notice")
    expect(notice).to_contain_text("Videos and sound recordings need a connection")
    expect(page.get_by_label("What happened")).to_have_value("Zara sang to the fish.")
    assert page.evaluate("KeyStoryOutbox.all().then(items => items.length)") == 0

    notice.get_by_role("button", name="Remove the clip").click()
    with page.expect_navigation(url="**/stories/observations/new/?fresh=1&queued=1"):
        page.get_by_role("button", name="Send for review").click()
    assert page.evaluate("KeyStoryOutbox.all().then(items => items.map(item => item.summary.text))") == [
        "Zara sang to the fish."
    ]


STORED_TOKENS = "KeyStoryOutbox.all().then(items => items.map(item => item.csrf))"
PAGE_TOKEN = "JSON.parse(document.body.dataset.hxHeaders)['X-CSRFToken']"


def test_after_a_new_sign_in_what_waits_is_sent_with_the_new_token(live_server, tablet):
    load_demo()
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    go_offline(page.context)
    observe_offline(page, "Zara Ahmed", "Zara fed the rabbit.", "ZARA")
    queued_with = page.evaluate(STORED_TOKENS)
    page.context.set_offline(False)  # the connection is back, but sending still fails for now
    sign_out(page)
    log_in(page, live_server.url, "priya@rainbow.example")  # a new sign-in: a new CSRF token

    # Opening a page puts its token on what waits, so Background Sync (which has no page) sends a valid one.
    page.wait_for_function(f"{STORED_TOKENS}.then(tokens => tokens.length === 1 && tokens[0] === {PAGE_TOKEN})")
    assert page.evaluate(STORED_TOKENS) != queued_with
    come_back_online(page.context)
    assert page.evaluate("KeyStoryOutbox.sendAll()") == "sent"  # as the service worker sends: no page token
    assert Observation.objects.get(text="Zara fed the rabbit.").photos.count() == 2
    forgive(page, "net::ERR_INTERNET_DISCONNECTED")


def test_a_short_sleep_queued_offline_can_be_sent_anyway_from_the_outbox(live_server, tablet):
    load_demo()
    room = priyas_room_with_zara_here()
    zara = Child.objects.get(first_name="Zara")
    priya = StaffMember.objects.get(user__email="priya@rainbow.example").user
    day_services.start_sleep(children=[zara], by=priya, at=timezone.now() - timedelta(minutes=1))
    page = tablet
    care_log = f"/children/rooms/{room.pk}/care-log/"
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}{care_log}")
    go_offline(page.context)
    page.locator("label.chip", has_text="Zara").click()
    page.get_by_role("button", name="Woke up", exact=True).click()
    expect(page.locator("#care-status")).to_contain_text("kept on this tablet")

    come_back_online(page.context)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    refused = page.locator("[data-outbox-item]")
    expect(refused).to_contain_text("Not sent yet: please check.")

    refused.get_by_role("button", name="Send anyway").click()
    wait_until_sent(page)
    assert CareEntry.objects.filter(kind="sleep", child=zara).latest("at").ends_at is not None
    forgive(page, *HTMX_OFFLINE, "status of 422")
