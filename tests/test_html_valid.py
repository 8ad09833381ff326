"""Every page the demo's people reach is valid HTML, by the Nu HTML Checker (vnu.jar).

The demo nursery is loaded, then each demo account (and a visitor who is not signed in) follows every
link it is shown, as a person clicking through would, taking up to PER_URL_NAME pages of each named URL.
A group owner without a post (the demo's owner, Maya, is also its manager) starts at the group's pages.
Pages reached by a POST (a CSV import's preview, an e-mail opt-out done), the two-step sign-in pages once
it is on, and the error pages (400, 403, 404, 500) are added. The pages (and the fragments htmx fetches
into them) are written to files and checked by one run of the checker, which takes
seconds to start. The test fails listing every error with its page, line and message, and fails too when
a page answers 404 (unless it is an error page on purpose) or a server error.

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
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import timezone
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
    "group owner": "owner@rainbow.example",  # added by start_pages() to the demo's group, without a post
}

# Pages of one named URL look alike; more than this many of each would only slow the test down.
PER_URL_NAME = 2

# Not pages: files to download (PDF, CSV, ZIP, photos) are never fetched.
NOT_PAGES = ("/static/", "/media/", "/admin/")
DOWNLOAD_SUFFIXES = ("pdf", "csv", "thumbnail", "download", "download_pack")
PHOTO_FILES = {"children:photo", "stories:photo", "nursery:staff_photo"}  # the pages to change one are crawled

# Pages every role must reach, so that a broken crawl cannot make the test pass by checking less.
MUST_REACH = {
    "anonymous": {
        "accounts:login",
        "accounts:password_reset",
        "accounts:password_reset_confirm",
        "accounts:accept_invitation",
        "transitions:school_page",
        "transitions:carer_page",
        "children:news_email_off",
        "keyworker:feedback_email_off",
        "stories:email_off",
        "error 404",
        "error 400",
        "error 403 (CSRF)",
        "error 500",
        "e-mails stopped",
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
        "transitions:carers",
        "nursery:setup",
        "nursery:details",
        "nursery:add_room",
        "nursery:edit_staff",
        "nursery:invite_staff",
        "children:import_children",
        "children:import_children (preview)",
        "children:import_children (preview with problems)",
        "error 404",
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
        "children:report_absence",
        "transitions:settling",
        "error 403",
    },
    "parent": {
        "keyworker:my_children",
        "stories:story",
        "keyworker:family_meetings",
        "keyworker:feedback_history",
        "children:report_absence",
        "transitions:settling",
    },
    "parent of a leaver": {"keyworker:my_children", "stories:story"},
    "group owner": {"keyworker:group_overview", "nursery:group", "nursery:group_add_nursery"},
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


def answered(role: str, url: str, response, expected: int = 200) -> str:
    """Why a page fetched for the check is broken: "" when it answered as expected (or with a 403, a page
    that says why), else the role, the page and its status (a 404 or a server error)."""
    status = response.status_code
    if status == expected or not (status == 404 or status >= 500):
        return ""
    return f"{role} {url} answered {status}" + (f" (expected {expected})" if expected != 200 else "")


def crawl(role: str, client: Client, start: list[str], broken: list[str], expected: dict[str, int]) -> list[Page]:
    """Every page reachable from ``start`` by GET links, up to PER_URL_NAME of each named URL. A page that
    answers 404 or a server error, except a start page ``expected`` to (a link made wrong on purpose), is
    added to ``broken``; every other HTML answer (a 403 or 410 page that says why too) is checked."""
    pages: list[Page] = []
    taken: dict[tuple[str, bool], int] = {}
    seen: set[tuple[str, bool]] = set()
    queue = deque((url, False) for url in start)
    while queue:
        url, htmx = queue.popleft()
        name = url_name(url)
        if name is None or name.endswith(DOWNLOAD_SUFFIXES) or name in PHOTO_FILES or (url, htmx) in seen:
            continue
        if taken.get((name, htmx), 0) >= PER_URL_NAME:
            continue
        seen.add((url, htmx))
        response = client.get(url, follow=not htmx, headers={"HX-Request": "true"} if htmx else {})
        if problem := answered(role, f"{url}{' (htmx)' if htmx else ''} ({name})", response, expected.get(url, 200)):
            broken.append(problem)
            continue
        if not response["Content-Type"].startswith("text/html"):
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


def start_pages() -> tuple[dict[str, list[str]], dict[str, int]]:
    """Where each person starts: home, plus pages the demo has no link to yet (a draft, a pack, an invitation,
    the set-up pages, the group's pages, e-mail opt-outs); and the links made wrong on purpose, which answer
    404 (or another error page) and are checked all the same."""
    from accounts.models import User
    from accounts.services import invitation_token
    from accounts.tests.factories import UserFactory
    from children.models import Child, ConsentPurpose, Relationship
    from children.notices import NEWS_EMAILS
    from children.services import invite_guardian
    from children.tests.factories import ChildFactory, consent
    from core.mail_unsubscribe import unsubscribe_token
    from keyworker.feedback.services import FEEDBACK_EMAILS
    from learning_stories.models import Observation
    from learning_stories.notices import STORY_EMAILS
    from learning_stories.tests.factories import ObservationFactory
    from nursery.models import StaffMember
    from transitions.carer_links import services as carer_services
    from transitions.models import PackImport
    from transitions.school_links.services import create_school_link
    from transitions.tests.factories import SettlingSessionFactory
    from transitions.tests.packs import ready_pack

    manager, priya, sam = (User.objects.get(email=ACCOUNTS[role]) for role in ("manager", "practitioner", "parent"))
    zara, reuben, leo = (Child.objects.get(first_name=name) for name in ("Zara", "Reuben", "Leo"))
    nursery = zara.nursery
    draft = ObservationFactory(nursery=nursery, author=priya, children=[zara], status=Observation.Status.DRAFT)
    consent(reuben, ConsentPurpose.SHARE_WITH_SCHOOL)
    pack = ready_pack(reuben)
    link, _ = create_school_link(pack=pack, school="Meadow Lane Primary", email="", by=manager)
    carer = carer_services.add_carer(
        child=leo, name="Tess Hughes", role="speech_therapist", organisation="", email="", by=manager
    )
    carer_services.decide(carer=carer, agreed=True, by=sam)
    carer_link = carer_services.create_carer_link(carer=carer, by=manager)
    ended = carer_services.create_carer_link(carer=carer, by=manager)
    carer_services.revoke_carer_link(link=ended, by=manager)
    ended_url = reverse("transitions:carer_page", args=[ended.token])
    joining = ChildFactory(nursery=nursery, start_date=None)
    yesterday = timezone.now() - timedelta(days=1)
    SettlingSessionFactory(plan__child=leo, starts_at=yesterday, outcome="unsettled", note="Missed mum at first.")
    settling = reverse("transitions:settling", args=[leo.pk])
    imported = PackImport.objects.create(nursery=nursery, child=joining, from_setting="Meadow", format_version=1)
    invited = invite_guardian(
        children=[leo],
        email="gran.taylor@families.example",
        full_name="Pat Taylor",
        relationship=Relationship.GRANDPARENT,
        has_parental_responsibility=False,
        invited_by=manager,
    )
    nursery.group.owners.add(UserFactory(email=ACCOUNTS["group owner"], full_name="Gill Owner"))
    uid = urlsafe_base64_encode(force_bytes(sam.pk))
    home = reverse("home")
    wrong_on_purpose = [
        reverse("accounts:password_reset_confirm", args=[uid, "expired-link"]),
        reverse("accounts:accept_invitation", args=["not-a-real-invitation"]),
        reverse("transitions:school_page", args=["not-a-real-link"]),
        reverse("children:news_email_off", args=["not-a-real-token"]),
    ]
    opt_outs = [
        reverse(setting.url_name, args=[unsubscribe_token(setting, sam, target)])
        for setting, target in ((NEWS_EMAILS, leo.pk), (FEEDBACK_EMAILS, leo.pk), (STORY_EMAILS, None))
    ]
    start = {
        "anonymous": [
            reverse("accounts:login"),
            reverse("accounts:password_reset"),
            reverse("accounts:password_reset_done"),
            reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(sam)]),
            reverse("accounts:password_reset_complete"),
            reverse("accounts:accept_invitation", args=[invitation_token(invited.invitation)]),
            reverse("transitions:school_page", args=[link.token]),
            reverse("transitions:carer_page", args=[carer_link.token]),
            *opt_outs,
            *wrong_on_purpose,
        ],
        "manager": [
            home,
            reverse("accounts:password_change_done"),
            reverse("keyworker:assign", args=[zara.pk]),  # with a key person: the buddy form shows too
            reverse("children:change_photo", args=[zara.pk]),
            reverse("nursery:change_staff_photo", args=[StaffMember.objects.get(user=priya).pk]),
            reverse("transitions:school_links", args=[reuben.pk]),
            reverse("transitions:carers", args=[leo.pk]),
            reverse("transitions:pack", args=[pack.pk]),
            reverse("transitions:import_result", args=[imported.pk]),
            reverse("nursery:setup"),
            reverse("nursery:details"),
            reverse("nursery:rooms"),
            reverse("nursery:add_room"),
            reverse("nursery:staff"),
            reverse("nursery:edit_staff", args=[StaffMember.objects.get(user=priya).pk]),
            reverse("nursery:invite_staff"),
            reverse("children:import_children"),
        ],
        "practitioner": [home, reverse("stories:edit", args=[draft.pk]), settling],
        "parent": [home, settling],
        "parent of a leaver": [home],
        "group owner": [home, reverse("keyworker:group_overview", args=[nursery.group.pk])],
    }
    return start, {**dict.fromkeys(wrong_on_purpose, 404), ended_url: 410}


def page_of(role: str, name: str, response, broken: list[str], expected: int = 200) -> list[Page]:
    """A page fetched outside the crawl (a POST's answer, an error page), or nothing and why in ``broken``."""
    if problem := answered(role, name, response, expected):
        broken.append(problem)
        return []
    if response.status_code != expected:
        broken.append(f"{role} {name} answered {response.status_code} (expected {expected})")
        return []
    return [Page(role, name, name, response.content.decode())]


def posted_pages(clients: dict[str, Client], broken: list[str]) -> list[Page]:
    """Pages only a POST leads to: the CSV import's preview (with and without problems), and an e-mail
    opt-out done (the mail provider's one-click POST, no log-in)."""
    from accounts.models import User
    from children.models import Child
    from children.notices import NEWS_EMAILS
    from core.mail_unsubscribe import unsubscribe_url

    manager = clients["manager"]
    pages: list[Page] = []
    template = manager.get(reverse("children:import_children_template")).content
    wrong = template.decode("utf-8-sig").replace("\r\n", "\r\nNo,Surname,,31/02/2020,,Nowhere room\r\n", 1)
    for label, content in (("preview", template), ("preview with problems", wrong.encode())):
        upload = SimpleUploadedFile("children.csv", content, content_type="text/csv")
        response = manager.post(reverse("children:import_children"), {"file": upload})
        pages += page_of("manager", f"children:import_children ({label})", response, broken)
    sam = User.objects.get(email=ACCOUNTS["parent"])
    off = unsubscribe_url(NEWS_EMAILS, sam, Child.objects.get(first_name="Leo").pk).removeprefix(settings.SITE_URL)
    pages += page_of("anonymous", "e-mails stopped", Client().post(off), broken)
    return pages


def error_pages(clients: dict[str, Client], broken: list[str]) -> list[Page]:
    """Each error page as the people who may meet it see it (signed in or not)."""
    from children.models import Child

    zara = Child.objects.get(first_name="Zara")
    pages: list[Page] = []
    for role in ("anonymous", "manager", "parent"):
        pages += page_of(role, "error 404", clients[role].get("/no-such-page/"), broken, 404)
    # A practitioner may see Zara but not edit her record: the manager's page says why.
    edit = clients["practitioner"].get(reverse("children:edit", args=[zara.pk]))
    pages += page_of("practitioner", "error 403", edit, broken, 403)
    csrf = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "x", "password": "y"})
    pages += page_of("anonymous", "error 403 (CSRF)", csrf, broken, 403)
    pages += page_of("anonymous", "error 400", Client().get("/", headers={"host": "not a host name"}), broken, 400)
    server_error = get_resolver().resolve_error_handler(500)
    pages += page_of("anonymous", "error 500", server_error(RequestFactory().get("/")), broken, 500)
    return pages


def two_step_pages(clients: dict[str, Client], broken: list[str]) -> list[Page]:
    """Two-step sign-in once the manager has turned it on: the code step after the password, the overview
    and the new recovery codes (the crawl sees only the pages to turn it on)."""
    from accounts.models import User
    from accounts.tests.two_factor import set_up_app
    from demo.data import DEMO_PASSWORD

    manager = User.objects.get(email=ACCOUNTS["manager"])
    set_up_app(manager)
    pages: list[Page] = []
    signing_in = Client()
    code_step = signing_in.post(
        reverse("accounts:login"), {"username": manager.email, "password": DEMO_PASSWORD}, follow=True
    )
    pages += page_of("anonymous", "accounts:two_factor_verify", code_step, broken)
    wrong = signing_in.post(code_step.request["PATH_INFO"], {"code": "000000"})
    pages += page_of("anonymous", "accounts:two_factor_verify (wrong code)", wrong, broken)
    pages += page_of(
        "manager", "accounts:two_factor (on)", clients["manager"].get(reverse("accounts:two_factor")), broken
    )
    made = clients["manager"].post(reverse("accounts:two_factor_recovery_codes"), follow=True)
    pages += page_of("manager", "accounts:two_factor_recovery_codes", made, broken)
    return pages


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

    broken: list[str] = []
    with time_machine.travel(NOW, tick=True):
        load_demo()
        start, expected = start_pages()
        clients = {role: Client() for role in start}
        pages = []
        for role, client in clients.items():
            if role in ACCOUNTS:
                client.force_login(User.objects.get(email=ACCOUNTS[role]))
            pages += crawl(role, client, start[role], broken, expected)
        pages += posted_pages(clients, broken) + error_pages(clients, broken) + two_step_pages(clients, broken)

    assert not broken, f"{len(broken)} pages answered 404 or a server error:\n" + "\n".join(broken)
    for role, names in MUST_REACH.items():
        missed = names - {page.name for page in pages if page.role == role}
        assert not missed, f"the {role} no longer reaches {sorted(missed)}: check the crawl"
    errors = check(vnu, pages, tmp_path)
    assert not errors, f"{len(errors)} HTML errors on {len(pages)} pages:\n" + "\n".join(errors)


@pytest.mark.parametrize(
    ("status", "expected", "broken"),
    [
        (200, 200, False),
        (403, 200, False),
        (410, 200, False),
        (404, 200, True),
        (500, 200, True),
        (502, 200, True),
        (404, 404, False),
        (500, 500, False),
        (200, 404, False),
    ],
)
def test_a_page_answering_404_or_a_server_error_fails_the_check_unless_expected(status, expected, broken):
    assert bool(answered("manager", "/some/page/", HttpResponse(status=status), expected)) is broken
