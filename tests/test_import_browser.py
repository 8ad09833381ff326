"""import: the receiving school downloads a pack on a phone; a manager imports a pack on a tablet."""

import pytest
from playwright.sync_api import expect

from children.models import Child, ConsentPurpose
from children.tests.factories import consent
from demo.data import load_demo
from demo.import_demo import sample_pack
from transitions.models import SchoolDownload
from transitions.school_links import services
from transitions.tests.packs import ready_pack

from .browser import log_in
from .test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_school_opens_its_link_on_a_phone_and_downloads_the_pack(live_server, phone):
    load_demo()
    ava = Child.objects.get(first_name="Ava")
    consent(ava, ConsentPurpose.SHARE_WITH_SCHOOL)
    link, _ = services.create_school_link(pack=ready_pack(ava), school="St Mary's", email="", by=None)

    phone.goto(f"{live_server.url}/transitions/school/{link.token}/")
    expect(phone.get_by_role("heading", name="Ava Taylor's leaver pack")).to_be_visible()
    assert violations(phone) == []
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Download the leaver pack").click()

    assert download.value.suggested_filename == "Ava Taylor leaver pack.zip"
    assert SchoolDownload.objects.filter(link=link).count() == 1


def test_a_manager_imports_a_pack_on_a_tablet(live_server, tablet, tmp_path):
    load_demo()
    path = tmp_path / "theo.zip"
    path.write_bytes(sample_pack().getvalue())
    log_in(tablet, live_server.url, "manager@rainbow.example")

    tablet.goto(f"{live_server.url}/children/")
    tablet.get_by_role("link", name="Import a leaver pack").click()
    tablet.get_by_label("Leaver pack ZIP").set_input_files(str(path))
    tablet.get_by_role("button", name="Check the pack").click()
    expect(tablet.get_by_role("heading", name="Theo Baker, from Little Acorns Childminding")).to_be_visible()
    expect(tablet.get_by_text("3 learning story entries, with 2 photos and 1 comment")).to_be_visible()
    assert violations(tablet) == []
    tablet.get_by_role("button", name="Import Theo Baker").click()

    expect(tablet.get_by_role("heading", name="Theo Baker is joining from Little Acorns Childminding")).to_be_visible()
    assert violations(tablet) == []
    tablet.get_by_role("link", name="Open the learning story").click()
    expect(tablet.get_by_text("From Little Acorns Childminding").first).to_be_visible()
    assert violations(tablet) == []
