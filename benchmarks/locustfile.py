"""The load of a nursery group's working day, for ``make bench`` (benchmarks/bench.py runs it headless).

Three kinds of user, each logged in with their own generated account (``manage.py generate_group``) and
waiting 1 to 3 s between pages: practitioners (60 %) capture, upload photos and read their key children's
stories; parents (35 %) read their child's story; managers (5 %) check the review queue, the overview and
the tracker. Every request is named after its page, so locust's statistics are per page.

``BENCH_ACCOUNTS`` is the JSON file of accounts bench.py writes (see ``accounts_json`` there);
``BENCH_PHOTO`` a JPEG to upload (without it, a 12-megapixel one of about 4 MB is made at import, before
any user starts, so making it is never timed).
"""

import io
import itertools
import json
import os
import random
import time
import uuid
from functools import cache

import gevent
from locust import HttpUser, between, task
from locust.clients import HttpSession

# Must match demo.data.DEMO_PASSWORD, generate_group's default (not imported: locust runs without Django;
# tests/test_bench.py checks they agree).
PASSWORD = os.environ.get("BENCH_PASSWORD", "rainbow-demo-2026")

# Page names: the rows of bench.py's table (tests/test_bench.py checks every one is requested).
LOGIN_PAGE = "login page"
LOG_IN = "log in (POST, once per user)"
STATIC_FILE = "static file"
TRACKER = "tracker"
DUE_LIST = "due list"
STORY_STAFF = "story (staff)"
STORY_PARENT = "story (parent)"
REVIEW_QUEUE = "review queue"
MY_KEY_CHILDREN = "my key children"
MY_CHILDREN = "my children (parent)"
CAPTURE = "capture"
CHILDREN_LIST = "children list"
OVERVIEW = "overview"
NEW_DRAFT = "new draft (autosave, once per user)"
PHOTO_UPLOAD = "photo upload"


def make_photo(width: int = 4000, height: int = 3000, quality: int = 86) -> bytes:
    """A 12-megapixel JPEG of about 4 MB: noise over a gradient compresses about as badly as a real photo."""
    from PIL import Image

    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    out = io.BytesIO()
    Image.blend(base, noise, 0.5).save(out, "JPEG", quality=quality)
    return out.getvalue()


def _photo() -> bytes:
    path = os.environ.get("BENCH_PHOTO")
    if path:
        with open(path, "rb") as file:
            return file.read()
    return make_photo()


PHOTO = _photo()


@cache
def accounts() -> dict:
    """{"static_url": ..., "practitioner": [...], "parent": [...], "manager": [...]}, each account
    ``{"email": ..., "children": [child ids it may see]}``."""
    with open(os.environ["BENCH_ACCOUNTS"]) as file:
        return json.load(file)


_started = itertools.count(1)


def warmed_up(environment) -> None:
    """Called as each user has logged in. When the last has, what they did so far (the once-per-user requests:
    logging in is slow by design, and 50 at once would swamp the first seconds) is written aside to
    ``BENCH_WARMUP`` and the statistics start again: the figures are those of the working day that follows,
    for ``BENCH_MEASURE_SECONDS``."""
    runner = environment.runner
    if runner is None or next(_started) != runner.target_user_count:
        return
    path = os.environ.get("BENCH_WARMUP")
    if path:
        done = [
            {
                "page": entry.name,
                "method": entry.method,
                "requests": entry.num_requests,
                "errors": entry.num_failures,
                **{f"p{n}": entry.get_response_time_percentile(n / 100) for n in (50, 95, 99)},
            }
            for entry in environment.stats.entries.values()
            if entry.num_requests
        ]
        with open(path, "w") as file:
            json.dump({"at": time.time(), "requests": done}, file)
    environment.stats.reset_all()
    if seconds := float(os.environ.get("BENCH_MEASURE_SECONDS", 0)):  # else locust's --run-time ends it
        gevent.spawn_later(seconds, runner.quit)


class NurseryUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""
    _next: itertools.count  # each class hands out its accounts in turn: no two users share one

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls._next = itertools.count()

    def on_start(self) -> None:
        try:
            pool = accounts()[self.role]
            self.account = pool[next(type(self)._next) % len(pool)]
            self.static_url = accounts()["static_url"]
            # The login page as someone not signed in sees it: a signed-in user is sent on from it.
            self.anonymous = HttpSession(base_url=self.host, request_event=self.environment.events.request, user=self)
            self.client.get("/accounts/login/", name=LOGIN_PAGE)
            self.client.post(
                "/accounts/login/",
                {"username": self.account["email"], "password": PASSWORD},
                headers=self._csrf(),
                name=LOG_IN,
            )
            self.prepare()
        finally:
            warmed_up(self.environment)

    def prepare(self) -> None:
        """What the user does once, after logging in and before the measurement."""

    def _csrf(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}

    def child(self) -> int:
        return random.choice(self.account["children"])

    @task(1)
    def login_page(self) -> None:
        self.anonymous.get("/accounts/login/", name=LOGIN_PAGE)

    @task(2)
    def static_file(self) -> None:
        """What a browser fetches with every first visit; the yardstick for the pages' times."""
        self.client.get(self.static_url, name=STATIC_FILE)


class Practitioner(NurseryUser):
    weight = 60
    role = "practitioner"

    def prepare(self) -> None:
        # The draft the capture page's autosave makes, which photos are then uploaded into one at a time.
        # A fixed key per account: a run reuses the draft of the last one instead of leaving another behind.
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"keystory-bench:{self.account['email']}")
        answer = self.client.post(
            "/stories/observations/new/autosave/",
            {"client_key": str(key), "observed_at": "2026-01-05T10:00", "text": "Benchmark draft: photos."},
            headers=self._csrf(),
            name=NEW_DRAFT,
        )
        self.photo_url = answer.json().get("photo_url") if answer.ok else None

    @task(4)
    def capture(self) -> None:
        self.client.get("/stories/observations/new/", name=CAPTURE)

    @task(4)
    def my_key_children(self) -> None:
        self.client.get("/my-key-children/", name=MY_KEY_CHILDREN)

    @task(4)
    def story(self) -> None:
        self.client.get(f"/stories/children/{self.child()}/", name=STORY_STAFF)

    @task(2)
    def children_list(self) -> None:
        self.client.get("/children/", name=CHILDREN_LIST)

    @task(1)
    def tracker(self) -> None:
        self.client.get("/trackers/", name=TRACKER)

    @task(1)
    def due_list(self) -> None:
        self.client.get("/progress-checks/", name=DUE_LIST)

    @task(1)
    def photo_upload(self) -> None:
        if self.photo_url is None:  # the draft was refused: counted as that request's error already
            return
        self.client.post(
            self.photo_url,
            files={"photo": ("IMG_0001.jpg", PHOTO, "image/jpeg")},
            headers=self._csrf() | {"X-Requested-With": "fetch"},
            name=PHOTO_UPLOAD,
        )


class Parent(NurseryUser):
    weight = 35
    role = "parent"

    @task(6)
    def story(self) -> None:
        self.client.get(f"/stories/children/{self.child()}/", name=STORY_PARENT)

    @task(2)
    def my_children(self) -> None:
        self.client.get("/my-children/", name=MY_CHILDREN)


class Manager(NurseryUser):
    weight = 5
    role = "manager"

    @task(3)
    def overview(self) -> None:
        self.client.get("/overview/", name=OVERVIEW)

    @task(3)
    def review_queue(self) -> None:
        self.client.get("/stories/review/", name=REVIEW_QUEUE)

    @task(2)
    def children_list(self) -> None:
        self.client.get("/children/", name=CHILDREN_LIST)

    @task(1)
    def tracker(self) -> None:
        self.client.get("/trackers/", name=TRACKER)

    @task(1)
    def due_list(self) -> None:
        self.client.get("/progress-checks/", name=DUE_LIST)

    @task(2)
    def story(self) -> None:
        self.client.get(f"/stories/children/{self.child()}/", name=STORY_STAFF)
