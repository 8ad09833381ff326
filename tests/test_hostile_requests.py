# ruff: noqa: F811 - tests take the imported "world" fixture as an argument
"""Hostile requests to every address: methods no page takes, a GET to what only takes a POST, ids that do not
exist or do not fit in a database integer, and paths that try to climb out to other files. Each answers
405 or 404, never a 500."""

import re
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

# "world" is test_url_access's fixture (one object of each kind an address can point at), used by its name.
from tests.test_url_access import ACCESS, URL_NAMES, url_for, world  # noqa: F401

pytestmark = pytest.mark.django_db

POST_ONLY = [name for name in URL_NAMES if ACCESS[name][0] == "POST"]
PAGES = [name for name in URL_NAMES if name not in POST_ONLY and not name.startswith("accounts:password_reset")]


def answers(client, method: str, names: list[str], world) -> dict[str, int]:
    return {name: client.generic(method, url_for(name, world)).status_code for name in names}


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "BREW"])
def test_a_method_no_page_takes_answers_405_everywhere(client, world, method):
    client.force_login(world["users"]["manager"])

    got = answers(client, method, URL_NAMES, world)

    assert {name: code for name, code in got.items() if code != 405} == {}


def test_405_names_the_methods_that_are_taken(client, world):
    client.force_login(world["users"]["manager"])
    response = client.generic("DELETE", reverse("children:list"))
    assert response["Allow"] == "GET, HEAD, POST"


@pytest.mark.parametrize("role", ["manager", "practitioner", "parent"])
def test_a_get_to_an_address_that_only_takes_a_post_answers_405(client, world, role):
    client.force_login(world["users"][role])

    got = answers(client, "GET", POST_ONLY, world)

    # A page the person may not use at all may say so first (403), whatever the method.
    assert {name: code for name, code in got.items() if code not in (403, 405)} == {}
    assert list(got.values()).count(405) > len(POST_ONLY) // 2


def test_head_of_every_page_is_never_a_server_error(client, world):
    client.force_login(world["users"]["manager"])
    got = answers(client, "HEAD", PAGES, world)
    assert {name: code for name, code in got.items() if code >= 500} == {}


def with_id(name: str, world, value: int) -> str | None:
    """The address of ``name`` with every id in it replaced by ``value``; None when it has no id."""
    url = url_for(name, world)
    replaced = re.sub(r"/\d+/", f"/{value}/", url)
    return replaced if replaced != url else None


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(2**31, id="past a 32-bit integer"),
        pytest.param(2**63, id="past a 64-bit integer"),
        pytest.param(10**40, id="forty digits"),
        pytest.param(987654, id="an id nobody has"),
    ],
)
@pytest.mark.parametrize("role", ["manager", "parent"])
def test_an_id_that_does_not_exist_or_fit_answers_404(client, world, value, role):
    client.force_login(world["users"][role])
    urls = {name: url for name in URL_NAMES if (url := with_id(name, world, value))}
    assert len(urls) > 50

    got = {name: client.get(url).status_code for name, url in urls.items() if name not in POST_ONLY}
    got |= {name: client.post(url).status_code for name, url in urls.items() if name in POST_ONLY}

    assert {name: code for name, code in got.items() if code not in (403, 404)} == {}


@pytest.mark.parametrize(
    "path",
    [
        "/media/children/photos/photo.jpg",
        "/static/../config/settings.py",
        "/static/%2e%2e/%2e%2e/config/settings.py",
        "/static/..%2f..%2fconfig%2fsettings.py",
        "/children/1/photo/../../../../etc/passwd",
        "/stories/photos/..%2f..%2f..%2fetc%2fpasswd/",
        "/private-media/children/photos/photo.jpg",
        "/var/keystory.sqlite3",
        "/.env",
        "/static/%00.jpg",
    ],
)
def test_a_path_that_tries_to_reach_other_files_answers_404(client, world, path):
    client.force_login(world["users"]["manager"])

    response = client.get(path)

    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.content


HUGE = str(10**30)


def id_requests(world, value: str) -> dict[str, tuple[str, str, dict]]:
    """Forms and query strings that name records by id, each given ``value`` where an id belongs."""
    child = world["kwargs"]["children:"]["pk"]
    room = world["kwargs"]["children:room_"]["pk"]
    meeting = world["kwargs"]["keyworker:meeting"]["pk"]
    slot = world["kwargs"]["keyworker:meeting_slot_"]["pk"]
    tag = reverse("stories:tag", kwargs=world["kwargs"]["stories:tag"])
    capture = {"observed_at": "2026-03-04T10:00", "text": "Built a tower.", "action": "draft", "client_key": value}
    return {
        "capture, children": ("post", reverse("stories:new"), capture | {"children": [value, child]}),
        "capture, areas": ("post", reverse("stories:new"), capture | {"children": [child], "areas": [value]}),
        "capture, a next step achieved": ("post", reverse("stories:new"), capture | {"achieved_step": value}),
        "capture, a next step typed": ("post", reverse("stories:new"), capture | {f"next_steps_{value}": "Stack"}),
        "capture, from a child's page": ("get", reverse("stories:new"), {"child": value}),
        "capture, children in other rooms": ("get", reverse("stories:capture_other_children"), {"shown": value}),
        "tag an entry, a next step achieved": ("post", tag, {"children": [child], "achieved_step": value}),
        "plan an activity, steps": ("get", reverse("keyworker:plan_add", args=[room]), {"step": value}),
        "a new child's room": ("post", reverse("children:add"), {"first_name": "Omar", "room": value}),
        "subject access, child": ("get", reverse("privacy:requests"), {"child": value}),
        "record history, before": ("get", reverse("privacy:record_history"), {"before": value}),
        "record history, child": ("get", reverse("privacy:record_history"), {"child": value, "person": value}),
        "my key children, key person": ("get", reverse("keyworker:my_key_children"), {"key_person": value}),
        "the register, sign in": ("post", reverse("children:sign_in", args=[room]), {"child": value}),
        "room care, undo": (
            "post",
            reverse("children:room_care_undo", args=[room]),
            {"undo": "entries", "item": value},
        ),
        "what's new, read": ("post", reverse("keyworker:mark_read"), {"comment": value, "entry": value}),
        "a meeting time, book": ("post", reverse("keyworker:meeting_slot_book", args=[slot]), {"child": value}),
        "a meeting, move": ("post", reverse("keyworker:meeting_move", args=[meeting]), {"slot": value}),
        "room feedback, a note": (
            "post",
            reverse("keyworker:room_feedback", args=[room]),
            {f"note-{value}": "Ate well"},
        ),
    }


CASES = list(id_requests({"kwargs": defaultdict(lambda: {"pk": 1})}, HUGE))
# The draft is fine without the id that is not one, so it is saved and the id left out.
SAVED_WITHOUT_THE_ID = {"capture, a next step achieved", "capture, a next step typed"}


NOT_IDS = [
    pytest.param(HUGE, id="too large for the database"),
    pytest.param("\N{SUPERSCRIPT TWO}", id="a digit int() refuses"),
    pytest.param("9" * 5000, id="more digits than int() reads"),
]


def post_form(client, url: str, data: dict):
    """POST ``data`` as a browser sends a form with no file (a 5,000-digit field name fits, unlike multipart)."""
    return client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("case", CASES)
def test_an_id_that_is_no_database_key_in_a_form_or_query_is_never_a_server_error(client, world, case, value):
    from children.models import Child
    from learning_stories.models import Observation

    client.force_login(world["users"]["manager"])
    method, url, data = id_requests(world, value)[case]
    before = (Child.objects.count(), Observation.objects.count())

    response = post_form(client, url, data) if method == "post" else client.get(url, data)

    assert response.status_code < 500
    saved = 1 if case in SAVED_WITHOUT_THE_ID else 0
    assert (Child.objects.count(), Observation.objects.count()) == (before[0], before[1] + saved)


@pytest.mark.parametrize("value", NOT_IDS)
def test_room_feedback_leaves_out_a_note_for_an_id_that_is_no_database_key(client, world, value):
    from children.models import Child
    from keyworker.models import SessionFeedback
    from keyworker.tests.day import all_day_session, attended

    child = Child.objects.get(pk=world["kwargs"]["children:"]["pk"])
    session = all_day_session(child.nursery)
    attended(child, session, timezone.localdate(), start=timezone.now())
    client.force_login(world["users"]["manager"])

    response = post_form(
        client,
        reverse("keyworker:room_feedback", args=[child.room_id]),
        {"session": session.pk, f"note-{value}": "Ate well", f"note-{child.pk}": "Painted"},
    )

    assert response.status_code == 302
    assert list(SessionFeedback.objects.values_list("child_id", "note")) == [(child.pk, "Painted")]
