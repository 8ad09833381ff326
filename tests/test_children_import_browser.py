"""A manager imports children and their families from a spreadsheet on a tablet: upload, preview, confirm."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Invitation
from children.models import Child
from demo.data import load_demo

from .browser import log_in
from .test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_imports_children_from_a_spreadsheet_on_a_tablet(live_server, tablet, tmp_path):
    load_demo()
    before = Child.objects.count()
    log_in(tablet, live_server.url, "manager@rainbow.example")

    tablet.goto(f"{live_server.url}/children/")
    tablet.get_by_role("link", name="Import children from a spreadsheet").click()
    expect(tablet.get_by_role("heading", name="Import children and their families")).to_be_visible()
    assert violations(tablet) == []
    with tablet.expect_download() as download:
        tablet.get_by_role("link", name="Download the template").click()
    template = tmp_path / "children.csv"
    download.value.save_as(template)
    # The manager fills in a second child below the example: a sibling with the same parents.
    with template.open("a", encoding="utf-8", newline="") as file:
        row = template.read_text(encoding="utf-8-sig").splitlines()[1].replace("Ada,Example,Addie", "Bea,Example,")
        file.write(row + "\r\n")

    tablet.get_by_label("Your CSV file").set_input_files(str(template))
    tablet.get_by_role("button", name="Check the file").click()

    expect(tablet.get_by_role("heading", name="Children to add (2)")).to_be_visible()
    expect(
        tablet.get_by_text("Sam Example (sam.example@example.com) for Addie Example and Bea Example")
    ).to_be_visible()
    assert violations(tablet) == []
    assert Child.objects.count() == before  # nothing saved before confirming
    tablet.get_by_role("button", name="Import 2 children and send 2 invitations").click()

    expect(tablet.get_by_text("2 children added. 2 invitations are on the way by e-mail.")).to_be_visible()
    expect(tablet.get_by_text("Addie Example")).to_be_visible()
    assert Child.objects.count() == before + 2
    assert Invitation.objects.filter(email="sam.example@example.com").get().guardian_grants.count() == 2
    assert len([message for message in mail.outbox if "example.com" in message.to[0]]) == 2
