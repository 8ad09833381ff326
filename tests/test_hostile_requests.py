# ruff: noqa: F811 - tests take the imported "world" fixture as an argument
"""Hostile requests to every address: methods no page takes, a GET to what only takes a POST, ids that do not
exist or do not fit in a database integer, and paths that try to climb out to other files. Each answers
405 or 404, never a 500."""

import re

import pytest
from django.urls import reverse

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


def huge_id_requests(world) -> dict[str, tuple[str, str, dict]]:
    """Forms and query strings that name records by id, each given an id no database key can be."""
    child = world["kwargs"]["children:"]["pk"]
    room = world["kwargs"]["children:room_"]["pk"]
    capture = {"observed_at": "2026-03-04T10:00", "text": "Built a tower.", "action": "draft", "client_key": HUGE}
    return {
        "capture, children": ("post", reverse("stories:new"), capture | {"children": [HUGE, child]}),
        "capture, areas": ("post", reverse("stories:new"), capture | {"children": [child], "areas": [HUGE]}),
        "capture, from a child's page": ("get", reverse("stories:new"), {"child": HUGE}),
        "plan an activity, steps": ("get", reverse("keyworker:plan_add", args=[room]), {"step": HUGE}),
        "a new child's room": ("post", reverse("children:add"), {"first_name": "Omar", "room": HUGE}),
        "subject access, child": ("get", reverse("privacy:requests"), {"child": HUGE}),
        "record history, before": ("get", reverse("privacy:record_history"), {"before": HUGE}),
        "record history, child": ("get", reverse("privacy:record_history"), {"child": HUGE, "person": HUGE}),
        "my key children, key person": ("get", reverse("keyworker:my_key_children"), {"key_person": HUGE}),
        "the register, sign in": ("post", reverse("children:sign_in", args=[room]), {"child": HUGE}),
    }


CASES = [
    "capture, children",
    "capture, areas",
    "capture, from a child's page",
    "plan an activity, steps",
    "a new child's room",
    "subject access, child",
    "record history, before",
    "record history, child",
    "my key children, key person",
    "the register, sign in",
]


@pytest.mark.parametrize("case", CASES)
def test_an_id_too_large_for_the_database_in_a_form_or_query_is_never_a_server_error(client, world, case):
    from children.models import Child
    from learning_stories.models import Observation

    client.force_login(world["users"]["manager"])
    method, url, data = huge_id_requests(world)[case]
    before = (Child.objects.count(), Observation.objects.count())

    response = getattr(client, method)(url, data)

    assert response.status_code < 500
    assert (Child.objects.count(), Observation.objects.count()) == before
