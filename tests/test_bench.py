"""`make bench`: the load asks for every page the scale issue measures, and the summary reads locust's figures right.

No load is run and nothing is timed here. The locustfile is imported in a child process because importing
locust monkey-patches the standard library with gevent, which this test process must not inherit.
"""

import csv
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import bench
from conftest import require

ROOT = Path(__file__).resolve().parent.parent

PAGES = {
    "tracker",
    "due list",
    "story (staff)",
    "story (parent)",
    "review queue",
    "my key children",
    "capture",
    "children list",
    "overview",
    "login page",
    "photo upload",
    "static file",
}

# Runs every task of every user class once against a recording stand-in for the HTTP client.
DRIVE_THE_USERS = """
import json, sys
sys.path.insert(0, "benchmarks")
import locustfile
from locust.env import Environment

class Answer:
    ok = True
    def json(self):
        return {"photo_url": "/stories/observations/7/photos/"}

class Recorder:
    def __init__(self, seen, **kwargs):
        self.seen, self.cookies = seen, {"csrftoken": "token"}
    def get(self, url, name, **kwargs):
        self.seen.append(["GET", url, name, sorted(kwargs.get("files") or {})])
        return Answer()
    def post(self, url, data=None, name=None, **kwargs):
        self.seen.append(["POST", url, name, sorted(kwargs.get("files") or {})])
        return Answer()

out = {}
for cls in (locustfile.Practitioner, locustfile.Parent, locustfile.Manager):
    seen = []
    locustfile.HttpSession = lambda **kwargs: Recorder(seen)
    cls.host = "http://bench.invalid"
    user = cls(Environment(user_classes=[cls]))
    user.client = Recorder(seen)
    user.on_start()
    for job in dict.fromkeys(cls.tasks):
        job(user)
    wait = [user.wait_time() for _ in range(200)]
    out[cls.__name__] = {"weight": cls.weight, "seen": seen, "wait": [min(wait), max(wait)]}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def load(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("bench")
    accounts = {
        "static_url": "/static/vendor/bootstrap/bootstrap.min.0123abcd.css",
        "practitioner": [{"email": "staff1-g1n1@generated.example", "children": [11, 12]}],
        "parent": [{"email": "parent0-g1n1@generated.example", "children": [11]}],
        "manager": [{"email": "manager-g1n1@generated.example", "children": [11, 12, 13]}],
    }
    (folder / "accounts.json").write_text(json.dumps(accounts))
    (folder / "photo.jpg").write_bytes(b"\xff\xd8 a stand-in photo")
    env = {"BENCH_ACCOUNTS": str(folder / "accounts.json"), "BENCH_PHOTO": str(folder / "photo.jpg"), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", DRIVE_THE_USERS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def names(load: dict, *users: str) -> set[str]:
    return {name for user in users for _, _, name, _ in load[user]["seen"]}


def test_the_load_asks_for_every_page_the_scale_issue_measures(load):
    assert names(load, "Practitioner", "Parent", "Manager") >= PAGES


def test_every_request_is_named_so_the_figures_are_per_page(load):
    assert all(name for user in load.values() for _, _, name, _ in user["seen"])


def test_practitioners_parents_and_managers_are_mixed_60_35_5_and_wait_one_to_three_seconds(load):
    assert {user: load[user]["weight"] for user in load} == {"Practitioner": 60, "Parent": 35, "Manager": 5}
    for user in load.values():
        low, high = user["wait"]
        assert 1 <= low <= high <= 3


def test_each_kind_of_user_asks_for_its_own_pages(load):
    assert {"capture", "my key children", "story (staff)", "photo upload"} <= names(load, "Practitioner")
    assert {"story (parent)", "login page", "static file"} <= names(load, "Parent")
    assert not {"capture", "children list", "review queue"} & names(load, "Parent")
    assert {"overview", "review queue", "tracker", "due list"} <= names(load, "Manager")


def test_a_parent_reads_their_own_childs_story_and_staff_the_children_they_may_see(load):
    stories = {(user, url) for user in load for _, url, name, _ in load[user]["seen"] if name.startswith("story")}
    assert ("Parent", "/stories/children/11/") in stories
    assert {url for user, url in stories if user == "Parent"} == {"/stories/children/11/"}
    assert {url for user, url in stories if user == "Practitioner"} <= {
        "/stories/children/11/",
        "/stories/children/12/",
    }


def test_the_photo_is_posted_as_a_file_to_the_drafts_upload_address(load):
    uploads = [seen for seen in load["Practitioner"]["seen"] if seen[2] == "photo upload"]
    assert uploads == [["POST", "/stories/observations/7/photos/", "photo upload", ["photo"]]]


def test_the_static_file_is_the_collected_bootstrap_stylesheet(load):
    urls = {url for _, url, name, _ in load["Parent"]["seen"] if name == "static file"}
    assert urls == {"/static/vendor/bootstrap/bootstrap.min.0123abcd.css"}


def test_every_user_logs_in_once_before_the_measurement(load):
    for user in load.values():
        logins = [seen for seen in user["seen"] if seen[0] == "POST" and seen[1] == "/accounts/login/"]
        assert len(logins) == 1
        assert bench.ONCE in logins[0][2]


STATS_HEADER = [
    *["Type", "Name", "Request Count", "Failure Count", "Median Response Time", "Average Response Time"],
    *["Min Response Time", "Max Response Time", "Average Content Size", "Requests/s", "Failures/s"],
    *["50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"],
]


def stats_line(kind: str, name: str, count: int, failures: int, p50, p95, p99, per_second: float = 0.0) -> list:
    """A line of locust's ``*_stats.csv`` (the columns not read hold 1)."""
    return [kind, name, count, failures, p50, 1, 1, 1, 1, per_second, 0, p50, 1, 1, 1, 1, p95, 1, p99, 1, 1, 1]


def write_stats(path: Path, *lines: list) -> Path:
    with open(path, "w", newline="") as file:
        csv.writer(file).writerows([STATS_HEADER, *lines])
    return path


@pytest.fixture
def sample(tmp_path) -> Path:
    return write_stats(
        tmp_path / "locust_stats.csv",
        stats_line("GET", "story (parent)", 400, 2, 120, 250, 410),
        stats_line("GET", "static file", 100, 0, 3, 5, 9),
        stats_line("GET", "tracker", 50, 0, 200, 320, 600),
        stats_line("POST", "log in (POST, once per user)", 0, 0, 0, "N/A", "N/A"),
        stats_line("GET", "overview", 0, 0, "N/A", "N/A", "N/A"),
        stats_line("", "Aggregated", 550, 2, 100, 300, 500, per_second=18.25),
    )


def test_the_summary_reads_each_pages_percentiles_and_errors(sample):
    rows, _ = bench.read_stats(sample)
    story = next(row for row in rows if row.page == "story (parent)")
    assert (story.requests, story.errors, story.p50, story.p95, story.p99) == (400, 2, 120, 250, 410)
    assert "Aggregated" not in {row.page for row in rows}


def test_each_pages_p95_is_given_as_a_multiple_of_the_static_files(sample):
    rows, _ = bench.read_stats(sample)
    ratios = {row.page: row.ratio for row in rows}
    assert ratios["story (parent)"] == pytest.approx(50.0)
    assert ratios["tracker"] == pytest.approx(64.0)
    assert ratios["static file"] == pytest.approx(1.0)
    assert ratios["overview"] is None  # no requests: no figure rather than a made-up one


def test_the_requests_per_second_are_the_whole_runs(sample):
    _, per_second = bench.read_stats(sample)
    assert per_second == pytest.approx(18.25)


def test_the_table_shows_the_pages_and_names_those_over_the_goal(sample):
    table = bench.format_table(*bench.read_stats(sample))
    story = next(line for line in table.splitlines() if line.startswith("story (parent)"))
    assert story.split() == ["story", "(parent)", "400", "2", "120", "250", "410", "50.0x"]
    assert "once per user" not in table  # logging in is reported with the warm-up
    assert "Requests per second (every page): 18.2" in table
    # The page with no requests has no p95, so it is not known to be under the goal either.
    assert "Pages over 300 ms at p95: overview, tracker" in table


def test_without_a_static_file_no_ratio_is_made_up(tmp_path):
    path = write_stats(tmp_path / "locust_stats.csv", stats_line("GET", "tracker", 5, 0, 20, 30, 40))
    rows, per_second = bench.read_stats(path)
    assert rows[0].ratio is None
    assert math.isnan(per_second)
    assert bench.format_table(rows, per_second).splitlines()[2].endswith("-")


def test_the_warm_up_reports_logging_in_and_how_long_the_measurement_lasted():
    warm_up = {
        "at": 1012.0,
        "requests": [
            {"page": "log in (POST, once per user)", "method": "POST", "requests": 50, "errors": 0}
            | {"p50": 400, "p95": 900, "p99": 1000},
            {"page": "login page", "method": "GET", "requests": 50, "errors": 0, "p50": 9, "p95": 20, "p99": 30},
        ],
    }
    text = bench.format_warm_up(warm_up, started=1000.0, ended=1132.0)
    assert "Measured for 120 s, after all users had logged in (12 s after the start)" in text
    assert "log in (POST, once per user): 50 requests, 0 errors, p50 400 ms, p95 900 ms, p99 1000 ms" in text
    assert "login page" not in text
    assert "include logging in" in bench.format_warm_up(None, started=0, ended=1)


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("30s", 30), ("2m", 120), ("1h30m", 5400)])
def test_bench_time_is_read_as_locust_writes_durations(text, seconds):
    assert bench.duration(text) == seconds


def test_a_bench_time_that_means_nothing_is_refused():
    with pytest.raises(bench.BenchFailed, match="BENCH_TIME"):
        bench.duration("two minutes")


def test_the_accounts_spread_over_every_nursery_in_turn():
    by_nursery = {2: ["b1", "b2"], 1: ["a1", "a2", "a3"], 3: ["c1"]}
    assert bench._round_robin(by_nursery) == ["a1", "b1", "c1", "a2", "b2", "a3"]


def test_make_bench_runs_the_benchmark_and_make_help_lists_it():
    require(shutil.which("make") is not None, "needs make")
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "bench"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert dry.splitlines()[-1] == ".venv/bin/python benchmarks/bench.py"
    listed = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "make bench" in listed


def test_the_bench_keeps_to_its_own_redis_and_settings_whatever_the_shell_exports(monkeypatch, tmp_path):
    for name, value in {
        "REDIS_URL": "redis://live.example.org:6379/0",
        "MEDIA_STORAGE": "s3",
        "EMAIL_URL": "smtp://mail.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_COOKIES": "1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("BENCH_REDIS_URL", raising=False)

    env = bench.server_environment(bench.Settings.from_environment(), tmp_path, 8123)

    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/1"
    assert env["CACHE_KEY_PREFIX"] == "keystory-bench"
    assert (env["MEDIA_STORAGE"], env["EMAIL_URL"]) == ("local", "consolemail://")
    assert (env["SECURE_SSL_REDIRECT"], env["SECURE_COOKIES"]) == ("0", "0")
    monkeypatch.setenv("BENCH_REDIS_URL", "redis://127.0.0.1:6380/2")
    assert bench.Settings.from_environment().redis_url == "redis://127.0.0.1:6380/2"


def test_the_users_log_in_with_the_password_generate_group_gives_by_default():
    from demo.data import DEMO_PASSWORD

    locustfile = (ROOT / "benchmarks" / "locustfile.py").read_text()
    assert f'PASSWORD = os.environ.get("BENCH_PASSWORD", "{DEMO_PASSWORD}")' in locustfile
