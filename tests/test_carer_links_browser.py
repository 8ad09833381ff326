"""Sharing with another carer as judged: the key person (tablet) adds a speech and language therapist, the
parent agrees on their phone, the key person makes a link; the therapist, without an account, sees the
summary, and after the key person revokes it the link answers 410. Another family never sees any of it."""

import pytest
from playwright.sync_api import expect

from children.models import Child
from demo.data import load_demo
from keyworker.selectors import key_person_on
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as_stranger(browser, url: str):
    """The address opened in a fresh browser, with no account and no cookies; returns (status, text)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        status = page.goto(url).status
        return status, page.locator("main").inner_text()
    finally:
        context.close()


def test_a_therapists_link_shows_the_summary_then_answers_410_after_revocation(live_server, browser, tablet, phone):
    load_demo()
    base = live_server.url
    evie = Child.objects.get(first_name="Evie", last_name="Adams")
    key_person = key_person_on(evie)
    assert key_person is not None
    carers_url = f"{base}/transitions/children/{evie.pk}/carers/"

    # The key person adds the therapist on the tablet; the family is asked first.
    log_in(tablet, base, key_person.user.email)
    tablet.goto(f"{base}/children/{evie.pk}/")
    tablet.get_by_role("link", name="Share with other carers").click()
    tablet.get_by_label("Their name").fill("Tess Hughes")
    tablet.get_by_label("Who they are").select_option(label="Speech and language therapist")
    tablet.get_by_role("button", name="Add and ask the family").click()
    expect(tablet.get_by_text("Waiting for the family")).to_be_visible()
    expect(tablet.get_by_role("button", name="Make a link for Tess Hughes")).to_have_count(0)

    # Evie's mother agrees on her phone.
    log_in(phone, base, "kate.adams@families.example")
    phone.goto(f"{base}/children/{evie.pk}/")
    expect(phone.get_by_text("would like to share a summary with Tess Hughes")).to_be_visible()
    phone.get_by_role("link", name="Sharing with other carers").click()
    phone.get_by_role("button", name="I agree to sharing with Tess Hughes").click()
    expect(phone.get_by_text("The family agreed")).to_be_visible()

    # The key person makes the link and copies it.
    tablet.reload()
    tablet.get_by_role("button", name="Make a link for Tess Hughes").click()
    expect(tablet.get_by_text("Link made for Tess Hughes")).to_be_visible()
    link = tablet.get_by_label("Tess Hughes's link").input_value()
    assert "/transitions/carer/" in link

    # The therapist opens it without an account and sees Evie's summary.
    status, text = open_as_stranger(browser, link)
    assert status == 200
    assert "a summary from" in text
    assert "Next steps the nursery is working on" in text
    assert "Photos are not included" in text

    # Another family sees none of it.
    stranger = browser.new_context()
    try:
        other = stranger.new_page()
        log_in(other, base, "jess.ahmed@families.example")
        assert other.goto(carers_url).status == 404
        assert other.goto(f"{base}/children/{evie.pk}/").status == 404
        other.goto(f"{base}/")
        expect(other.get_by_text("Tess Hughes")).to_have_count(0)
    finally:
        stranger.close()

    # The key person revokes it: the address now answers 410 and says whom to ask.
    tablet.get_by_role("button", name="Revoke the link for Tess Hughes").click()
    expect(tablet.get_by_text("The link for Tess Hughes no longer works.")).to_be_visible()
    status, text = open_as_stranger(browser, link)
    assert status == 410
    assert "This link has ended" in text
    assert key_person.user.full_name in text
