"""Every page the demo's people reach is valid HTML, by the Nu HTML Checker (vnu.jar).

The demo nursery is loaded, then each demo account (and a visitor who is not signed in) follows every
link it is shown, as a person clicking through would, taking up to PER_URL_NAME pages of each named URL.
The pages (and the fragments htmx fetches into them) are written to files and checked by one run of the
checker, which takes seconds to start. The test fails listing every error with its page, line and message.

vnu.jar comes from the `vnu-jar` npm package, pinned in the Makefile: `make vnu` installs it into
.tools/ (`make test` does so when java and npm are there). Without java or the jar the test skips, except
in CI (KEYSTORY_STRICT_TESTS=1), where it fails. VNU_JAR points at another copy of the jar.
"""

import json
import os
import shutil
import subprocess
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import LONDON, require

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / ".tools/node_modules/vnu-jar/build/dist/vnu.jar")

# A Wednesday in term, mid-morning: children signed in, care logged, the day's feedback not sent yet.
NOW = datetime(2026, 3, 11, 10, 30, tzinfo=LONDON)

# The demo's people, by the e-mail they sign in with (demo/data.py DEMO_ACCOUNTS).
ACCOUNTS = {
    "manager": "manager@rainbow.example",
    "practitioner": "priya@rainbow.example",
    "parent": "sam.taylor@families.example",
    "parent of a leaver": "jo.fox@families.example",
}

# Pages of one named URL look alike; more than this many of each would only slow the test down.
PER_URL_NAME = 2

# Not pages: files to download (PDF, CSV, ZIP, photos) are never fetched.
NOT_PAGES = ("/static/", "/media/", "/admin/")
DOWNLOAD_SUFFIXES = ("pdf", "csv", "photo", "thumbnail", "download", "download_pack")

# Pages every role must reach, so that a broken crawl cannot make the test pass by checking less.
MUST_REACH = {
    "anonymous": {
        "accounts:login",
        "accounts:password_reset",
        "accounts:password_reset_confirm",
        "accounts:accept_invitation",
        "transitions:school_page",
    },
    "manager": {
        "keyworker:overview",
        "children:list",
        "children:detail",
        "stories:review_queue",
        "stories:observation",
        "stories:story",
        "nursery:staff",
        "nursery:rooms",
        "nursery:sessions",
        "keyworker:tracker",
        "keyworker:register",
        "transitions:plans",
        "checks:due",
        "keyworker:meetings",
        "transitions:pack",
        "transitions:school_links",
    },
    "practitioner": {
        "stories:edit",
        "keyworker:my_key_children",
        "stories:new",
        "children:room_care",
        "children:room_register",
        "keyworker:plan_board",
        "keyworker:room_feedback",
        "children:detail",
        "stories:story",
        "stories:observation",
        "keyworker:tracker",
    },
    "parent": {
        "keyworker:my_children",
        "stories:story",
        "keyworker:family_meetings",
        "keyworker:feedback_history",
    },
    "parent of a leaver": {"keyworker:my_children", "stories:story"},
}

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Page:
    role: str
    url: str
    name: str
    html: str


# What htmx swaps into a page is checked inside this minimal document.
FRAGMENT_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fragment</title></head>'
    "<body><main><h1>Fragment</h1>{}</main></body></html>"
)


class Links(HTMLParser):
    """What a page leads to with a GET: its links (htmx=False) and what htmx fetches into it (htmx=True)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.found.append((values["href"], False))
        if values.get("data-hx-get"):
            self.found.append((values["data-hx-get"], True))


def links_in(html: str, base: str) -> list[tuple[str, bool]]:
    parser = Links()
    parser.feed(html)
    links = []
    for link, htmx in parser.found:
        parts = urlsplit(urljoin(base, link))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        if not parts.path.startswith(NOT_PAGES):
            links.append((parts.path + (f"?{parts.query}" if parts.query else ""), htmx))
    return links


def url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def crawl(role: str, client: Client, start: list[str]) -> list[Page]:
    """Every page reachable from ``start`` by GET links, up to PER_URL_NAME of each named URL."""
    pages: list[Page] = []
    taken: dict[tuple[str, bool], int] = {}
    seen: set[tuple[str, bool]] = set()
    queue = deque((url, False) for url in start)
    while queue:
        url, htmx = queue.popleft()
        name = url_name(url)
        if name is None or name.endswith(DOWNLOAD_SUFFIXES) or (url, htmx) in seen:
            continue
        if taken.get((name, htmx), 0) >= PER_URL_NAME:
            continue
        seen.add((url, htmx))
        response = client.get(url, follow=not htmx, headers={"HX-Request": "true"} if htmx else {})
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        final = response.request["PATH_INFO"]
        if final != urlsplit(url).path:  # redirected
            name = url_name(final) or name
            if (final, htmx) in seen or taken.get((name, htmx), 0) >= PER_URL_NAME:
                continue
            seen.add((final, htmx))
        taken[name, htmx] = taken.get((name, htmx), 0) + 1
        html = response.content.decode()
        if htmx and not html.lstrip().lower().startswith("<!doctype"):
            pages.append(Page(role, f"{url} (htmx)", name, FRAGMENT_PAGE.format(html)))
        else:
            pages.append(Page(role, url, name, html))
        queue.extend(links_in(html, final))
    return pages


def start_pages() -> dict[str, list[str]]:
    """Where each person starts: home, plus pages the demo has no link to yet (a draft, a pack, an invitation)."""
    from accounts.models import User
    from accounts.services import invitation_token
    from children.models import Child, ConsentPurpose, Relationship
    from children.services import invite_guardian
    from children.tests.factories import ChildFactory, consent
    from learning_stories.models import Observation
    from learning_stories.tests.factories import ObservationFactory
    from nursery.models import StaffMember
    from transitions.models import PackImport
    from transitions.school_links.services import create_school_link
    from transitions.tests.packs import ready_pack

    manager, priya, sam = (User.objects.get(email=ACCOUNTS[role]) for role in ("manager", "practitioner", "parent"))
    zara, reuben, leo = (Child.objects.get(first_name=name) for name in ("Zara", "Reuben", "Leo"))
    nursery = zara.nursery
    draft = ObservationFactory(nursery=nursery, author=priya, children=[zara], status=Observation.Status.DRAFT)
    consent(reuben, ConsentPurpose.SHARE_WITH_SCHOOL)
    pack = ready_pack(reuben)
    link, _ = create_school_link(pack=pack, school="Meadow Lane Primary", email="", by=manager)
    joining = ChildFactory(nursery=nursery, start_date=None)
    imported = PackImport.objects.create(nursery=nursery, child=joining, from_setting="Meadow", format_version=1)
    invited = invite_guardian(
        children=[leo],
        email="gran.taylor@families.example",
        full_name="Pat Taylor",
        relationship=Relationship.GRANDPARENT,
        has_parental_responsibility=False,
        invited_by=manager,
    )
    uid = urlsafe_base64_encode(force_bytes(sam.pk))
    home = reverse("home")
    return {
        "anonymous": [
            reverse("accounts:login"),
            reverse("accounts:password_reset"),
            reverse("accounts:password_reset_done"),
            reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(sam)]),
            reverse("accounts:password_reset_confirm", args=[uid, "expired-link"]),
            reverse("accounts:password_reset_complete"),
            reverse("accounts:accept_invitation", args=[invitation_token(invited.invitation)]),
            reverse("accounts:accept_invitation", args=["not-a-real-invitation"]),
            reverse("transitions:school_page", args=[link.token]),
            reverse("transitions:school_page", args=["not-a-real-link"]),
            "/no-such-page/",
        ],
        "manager": [
            home,
            reverse("accounts:password_change_done"),
            reverse("keyworker:assign", args=[zara.pk]),  # with a key person: the buddy form shows too
            reverse("children:change_photo", args=[zara.pk]),
            reverse("nursery:change_staff_photo", args=[StaffMember.objects.get(user=priya).pk]),
            reverse("transitions:school_links", args=[reuben.pk]),
            reverse("transitions:pack", args=[pack.pk]),
            reverse("transitions:import_result", args=[imported.pk]),
        ],
        "practitioner": [home, reverse("stories:edit", args=[draft.pk])],
        "parent": [home],
        "parent of a leaver": [home],
    }


@pytest.fixture
def vnu() -> list[str]:
    java = shutil.which("java")
    require(java is not None, "needs java to run the Nu HTML Checker")
    require(VNU_JAR.exists(), f"needs the Nu HTML Checker at {VNU_JAR}: run `make vnu`")
    return [java, "-jar", str(VNU_JAR)]


def check(vnu: list[str], pages: list[Page], folder: Path) -> list[str]:
    """Every error the checker finds, as "role url (URL name) line N: message [the HTML around it]"."""
    files = {}
    for number, page in enumerate(pages):
        path = folder / f"page-{number:03d}.html"
        path.write_text(page.html, encoding="utf-8")
        files[path.name] = page
    result = subprocess.run(
        [*vnu, "--format", "json", "--stdout", "--exit-zero-always", *(str(folder / name) for name in files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    errors = []
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] == "info":
            continue  # warnings and notes: the checker's errors are what make a page invalid
        page = files.get(Path(urlsplit(message.get("url", "")).path).name)
        where = f"{page.role} {page.url} ({page.name})" if page else message.get("url", "?")
        extract = " ".join(message.get("extract", "").split())[:100]
        errors.append(f"{where} line {message.get('lastLine', '?')}: {message['message']} [{extract}]")
    return errors


def test_every_page_the_demo_people_reach_is_valid_html(vnu, tmp_path):
    from accounts.models import User
    from demo.data import load_demo

    with time_machine.travel(NOW, tick=True):
        load_demo()
        pages = []
        for role, start in start_pages().items():
            client = Client()
            if role in ACCOUNTS:
                client.force_login(User.objects.get(email=ACCOUNTS[role]))
            pages += crawl(role, client, start)

    for role, names in MUST_REACH.items():
        missed = names - {page.name for page in pages if page.role == role}
        assert not missed, f"the {role} no longer reaches {sorted(missed)}: check the crawl"
    errors = check(vnu, pages, tmp_path)
    assert not errors, f"{len(errors)} HTML errors on {len(pages)} pages:\n" + "\n".join(errors)
