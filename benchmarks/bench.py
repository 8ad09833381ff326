"""``make bench``: KeyStory under the load of a nursery group, served as in production, measured per page.

It runs against PostgreSQL (``BENCH_DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/keystory_bench;
created if missing) and Redis (``BENCH_REDIS_URL``, default redis://127.0.0.1:6379/1, its cache keys under
their own prefix). ``REDIS_URL`` and an instance's other settings are ignored: the servers it starts keep their
files and mail to themselves (local media, console e-mail, no HTTPS redirect or secure cookies):

1. migrates the database, and fills it with ``manage.py generate_group`` if it holds no generated group
   (``BENCH_CHILDREN``, default 1200, and ``BENCH_OBSERVATIONS``, default 120000: about two minutes);
2. collects the static files into a temporary ``STATIC_ROOT``;
3. starts gunicorn with deploy/gunicorn.conf.py (two workers per core plus one, of four threads;
   ``GUNICORN_WORKERS``/``GUNICORN_THREADS`` override them) on a free port, and a Celery worker;
4. runs benchmarks/locustfile.py headless: ``BENCH_USERS`` (50) users started ``BENCH_SPAWN_RATE`` (10) a
   second log in, then the statistics start again and the load is measured for ``BENCH_TIME`` (2m);
5. prints, per page, the requests, errors and p50/p95/p99 response times, each page's p95 as a multiple of
   the static file's (the same server, the same run: how much slower than doing nothing a page is), the
   requests per second and how long logging in took; then stops everything it started, also on Ctrl+C
   or a failure.

Two-step sign-in is off for the run (``TWO_FACTOR_REQUIRED=0``): the generated managers have no
authenticator app. Photos uploaded go to a temporary ``MEDIA_ROOT`` unless ``BENCH_MEDIA_ROOT`` is set.
Logs, the accounts used and locust's CSV files stay in var/bench/.
"""

import contextlib
import csv
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "bench"
STATIC_FILE = "static file"  # the locustfile's name for it
STATIC_PATH = "vendor/bootstrap/bootstrap.min.css"
ONCE = "once per user"  # in the name of a request each user makes once at the start (logging in, say)
GOAL_MS = 300
GENERATED = "@generated.example"
WARM_UP_LIMIT = 600  # seconds the users may take to log in before the measurement (a few on a quiet machine)


# --- The summary (no Django, no locust: tests/test_bench.py reads sample CSV files with it) -----------------


@dataclass(frozen=True)
class Row:
    page: str
    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    ratio: float | None  # p95 over the static file's p95


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:  # locust writes "N/A" for a page with no requests
        return math.nan


def read_stats(path: Path) -> tuple[list[Row], float]:
    """The pages of locust's ``*_stats.csv`` and the requests per second of the whole run."""
    with open(path, newline="") as file:
        lines = list(csv.DictReader(file))
    total = next((line for line in lines if line["Name"] == "Aggregated"), None)
    pages = [line for line in lines if line["Name"] != "Aggregated"]
    static = next((_number(line["95%"]) for line in pages if line["Name"] == STATIC_FILE), math.nan)
    rows = []
    for line in pages:
        p95 = _number(line["95%"])
        rows.append(
            Row(
                page=line["Name"],
                requests=int(line["Request Count"]),
                errors=int(line["Failure Count"]),
                p50=_number(line["50%"]),
                p95=p95,
                p99=_number(line["99%"]),
                ratio=p95 / static if static > 0 and not math.isnan(p95) else None,
            )
        )
    return sorted(rows, key=lambda row: row.page), _number(total["Requests/s"]) if total else math.nan


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


def format_table(rows: list[Row], requests_per_second: float) -> str:
    """The pages measured (the requests each user makes once, before the measurement, are left out)."""
    rows = [row for row in rows if ONCE not in row.page]
    width = max([len("page"), *(len(row.page) for row in rows)])
    head = f"{'page':<{width}}  {'requests':>8}  {'errors':>6}  {'p50 ms':>6}  {'p95 ms':>6}  {'p99 ms':>6}  p95/static"
    lines = [head, "-" * len(head)]
    for row in rows:
        ratio = "-" if row.ratio is None else f"{row.ratio:.1f}x"
        lines.append(
            f"{row.page:<{width}}  {row.requests:>8}  {row.errors:>6}  {_ms(row.p50):>6}  {_ms(row.p95):>6}  "
            f"{_ms(row.p99):>6}  {ratio:>10}"
        )
    lines.append("")
    lines.append(f"Requests per second (every page): {requests_per_second:.1f}")
    over = [row.page for row in rows if row.page != STATIC_FILE and not row.p95 < GOAL_MS]
    lines.append(f"Pages over {GOAL_MS} ms at p95: {', '.join(over) if over else 'none'}")
    return "\n".join(lines)


def format_warm_up(warm_up: dict | None, started: float, ended: float) -> str:
    """How long the users took to log in, and how long the measurement that followed lasted."""
    if warm_up is None:
        return "The users had not all logged in by the end: the figures include logging in."
    lines = [
        f"Measured for {ended - warm_up['at']:.0f} s, after all users had logged in "
        f"({warm_up['at'] - started:.0f} s after the start). Before that, each user once:"
    ]
    for request in warm_up["requests"]:
        if ONCE in request["page"]:
            lines.append(
                f"  {request['page']}: {request['requests']} requests, {request['errors']} errors, "
                f"p50 {request['p50']:.0f} ms, p95 {request['p95']:.0f} ms, p99 {request['p99']:.0f} ms"
            )
    return "\n".join(lines)


def read_failures(path: Path) -> list[str]:
    if not path.exists():
        return []
    with open(path, newline="") as file:
        lines = list(csv.DictReader(file))
    return [f"{line['Occurrences']:>6} x {line['Method']} {line['Name']}: {line['Error']}" for line in lines]


# --- The accounts the load uses (run with Django, in a subprocess) -----------------------------------------


def _round_robin(by_nursery: dict[int, list]) -> list:
    """One from each nursery in turn, so that any number of users spreads over the whole group."""
    queues = [by_nursery[key] for key in sorted(by_nursery)]
    return [item for batch in _zip_longest(queues) for item in batch]


def _zip_longest(queues: list[list]) -> Iterable[list]:
    for n in range(max((len(queue) for queue in queues), default=0)):
        yield [queue[n] for queue in queues if n < len(queue)]


def accounts_json() -> dict:
    """The generated accounts with the children each may see, and the static file's collected URL."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    from children.models import Child, Guardianship
    from keyworker.models import KeyPersonAssignment
    from nursery.models import StaffMember

    keyed = defaultdict(list)
    assignments = KeyPersonAssignment.objects.filter(key_person__user__email__endswith=GENERATED, ends_on=None)
    for post, child in assignments.values_list("key_person_id", "child_id").order_by("child_id"):
        keyed[post].append(child)
    practitioners, managers, parents = defaultdict(list), defaultdict(list), defaultdict(list)
    posts = StaffMember.objects.filter(user__email__endswith=GENERATED).select_related("user").order_by("pk")
    for post in posts:
        if post.role == StaffMember.Role.MANAGER:
            children = list(Child.objects.filter(nursery=post.nursery_id).order_by("pk").values_list("pk", flat=True))
            managers[post.nursery_id].append({"email": post.user.email, "children": children[:200]})
        elif keyed[post.pk]:
            practitioners[post.nursery_id].append({"email": post.user.email, "children": keyed[post.pk]})
    families = Guardianship.objects.filter(user__email__endswith=GENERATED).order_by("child_id")
    for email, child, nursery in families.values_list("user__email", "child_id", "child__nursery_id"):
        parents[nursery].append({"email": email, "children": [child]})
    return {
        "static_url": staticfiles_storage.url(STATIC_PATH),
        "practitioner": _round_robin(practitioners),
        "parent": _round_robin(parents),
        "manager": _round_robin(managers),
    }


# --- The run ------------------------------------------------------------------------------------------------


class BenchFailed(Exception):
    pass


@dataclass
class Settings:
    database_url: str
    redis_url: str
    users: int
    spawn_rate: int
    run_time: str
    children: int
    observations: int
    media_root: str

    @property
    def seconds(self) -> float:
        return duration(self.run_time)

    @classmethod
    def from_environment(cls) -> "Settings":
        env = os.environ
        return cls(
            database_url=env.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/keystory_bench"),
            redis_url=env.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
            users=int(env.get("BENCH_USERS", 50)),
            spawn_rate=int(env.get("BENCH_SPAWN_RATE", 10)),
            run_time=env.get("BENCH_TIME", "2m"),
            children=int(env.get("BENCH_CHILDREN", 1200)),
            observations=int(env.get("BENCH_OBSERVATIONS", 120_000)),
            media_root=env.get("BENCH_MEDIA_ROOT", ""),
        )


def duration(text: str) -> float:
    """Seconds in locust's notation: 90, 90s, 2m, 1h30m."""
    if text.strip().isdigit():
        return float(text)
    parts = re.fullmatch(r"\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*", text)
    if not parts or not any(parts.groups()):
        raise BenchFailed(f"BENCH_TIME is a duration like 90s, 2m or 1h30m, not {text!r}")
    hours, minutes, seconds = (int(part or 0) for part in parts.groups())
    return float(hours * 3600 + minutes * 60 + seconds)


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def ensure_database(url: str) -> None:
    """Create the database if it is missing (PostgreSQL only: the figures mean nothing on SQLite)."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise BenchFailed(f"BENCH_DATABASE_URL must be a PostgreSQL database, not {url}")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone() is None:
                say(f"Creating the database {config['NAME']}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def load_accounts(env: dict) -> dict:
    target = OUT / "accounts.json"
    subprocess.run([str(BIN / "python"), __file__, "--accounts", str(target)], cwd=ROOT, env=env, check=True)
    return json.loads(target.read_text())


def start(name: str, command: list[str], env: dict) -> subprocess.Popen:
    """A server in its own process group (Ctrl+C reaches only this script, which stops it in order)."""
    log = open(OUT / f"{name}.log", "w")  # noqa: SIM115 - stays open as long as the process runs
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop_all(servers: list[tuple[str, subprocess.Popen, int]], timeout: float = 15) -> None:
    """Signal every process group at once, then kill any that has not stopped within ``timeout``."""
    for _, process, signal_number in servers:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal_number)
    deadline = time.monotonic() + timeout
    for name, process, _ in servers:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in {timeout:.0f} s: killing it")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for_web(process: subprocess.Popen, url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchFailed(f"gunicorn stopped (exit {process.returncode}): see {OUT / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise BenchFailed(f"gunicorn did not answer {url} within {timeout:.0f} s: see {OUT / 'gunicorn.log'}")


def wait_for_worker(process: subprocess.Popen, node: str, env: dict, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchFailed(f"the Celery worker stopped (exit {process.returncode}): see {OUT / 'celery.log'}")
        ping = [str(BIN / "celery"), "-A", "config", "inspect", "ping", "--timeout", "2", "-d", node]
        if subprocess.run(ping, cwd=ROOT, env=env, capture_output=True).returncode == 0:
            return
        time.sleep(1)
    raise BenchFailed(f"the Celery worker did not answer within {timeout:.0f} s: see {OUT / 'celery.log'}")


def server_environment(settings: Settings, scratch: Path, port: int) -> dict[str, str]:
    """The environment of every process the bench starts: its own database, Redis and cache keys, and nothing
    of a real instance's (its bucket, mail server or HTTPS settings) even when the shell exports them."""
    return os.environ | {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "CACHE_KEY_PREFIX": "keystory-bench",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-not-for-production-000000000000"),
        "DEMO_MODE": "0",
        "DEBUG": "0",
        "TWO_FACTOR_REQUIRED": "0",  # the generated managers have no authenticator app to sign in with
        "STATIC_ROOT": str(scratch / "static"),
        "MEDIA_STORAGE": "local",
        "MEDIA_ROOT": settings.media_root or str(scratch / "media"),
        "EMAIL_URL": "consolemail://",
        "SECURE_SSL_REDIRECT": "0",  # locust speaks plain HTTP to 127.0.0.1
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def run(settings: Settings) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="keystory-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_environment(settings, scratch, port)
    servers: list[tuple[str, subprocess.Popen, int]] = []
    try:
        settings.seconds  # noqa: B018 - a BENCH_TIME that means nothing stops the run before anything starts
        ensure_database(settings.database_url)
        say("Migrating the database (nothing to do when it is up to date)")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        say("Collecting static files")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        accounts = load_accounts(env)
        if not accounts["practitioner"]:
            say(f"Generating a group of {settings.children} children and {settings.observations} observations")
            manage(
                env,
                "generate_group",
                f"--children={settings.children}",
                f"--observations={settings.observations}",
            )
            accounts = load_accounts(env)
        say(
            f"Accounts: {len(accounts['practitioner'])} practitioners, {len(accounts['parent'])} parents, "
            f"{len(accounts['manager'])} managers"
        )
        node = f"bench-{os.getpid()}@{socket.gethostname()}"
        worker = start("celery", [str(BIN / "celery"), "-A", "config", "worker", "-n", node, "-l", "WARNING"], env)
        servers.append(("the Celery worker", worker, signal.SIGTERM))  # warm shutdown: tasks under way finish
        # The production configuration; no control socket, which would take the one in ~/.gunicorn of any other.
        gunicorn = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--no-control-socket", "config.wsgi"]
        web = start("gunicorn", gunicorn, env)
        servers.append(("gunicorn", web, signal.SIGINT))  # quick shutdown: no load is left to finish
        wait_for_web(web, f"{base}/accounts/login/")
        wait_for_worker(worker, node, env)
        say(f"Serving {base}; {settings.users} users for {settings.run_time} (gunicorn, celery logs in {OUT})")
        stats = OUT / "locust"
        for old in OUT.glob("locust_*.csv"):
            old.unlink()
        warm_up = OUT / "warm-up.json"
        warm_up.unlink(missing_ok=True)
        load_before = os.getloadavg()[0]
        started = time.time()
        locust = start(
            "locust",
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(settings.users),
                "--spawn-rate",
                str(settings.spawn_rate),
                "--run-time",  # a bound in case logging in never ends; the locustfile stops the measurement
                f"{settings.seconds + WARM_UP_LIMIT:.0f}s",
                "--stop-timeout",
                "5",
                "--host",
                base,
                "--csv",
                str(stats),
                "--only-summary",
                "--exit-code-on-error",
                "0",
            ],
            env
            | {
                "BENCH_ACCOUNTS": str(OUT / "accounts.json"),
                "BENCH_WARMUP": str(warm_up),
                "BENCH_MEASURE_SECONDS": str(settings.seconds),
            },
        )
        servers.append(("locust", locust, signal.SIGTERM))
        if locust.wait() != 0:
            raise BenchFailed(f"locust failed (exit {locust.returncode}): see {OUT / 'locust.log'}")
        ended = time.time()
        rows, per_second = read_stats(OUT / "locust_stats.csv")
        print()
        print(format_table(rows, per_second))
        print(format_warm_up(json.loads(warm_up.read_text()) if warm_up.exists() else None, started, ended))
        print(
            f"{os.cpu_count()} CPUs; load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
            "(the figures mean something only when the machine has nothing else to do)."
        )
        failures = read_failures(OUT / "locust_failures.csv")
        if failures:
            print("\nErrors:")
            print("\n".join(failures))
        print(f"\nLogs and locust's CSV files: {OUT}")
        return 0
    except BenchFailed as error:
        say(str(error))
        return 1
    except subprocess.CalledProcessError as error:
        say(f"{' '.join(map(str, error.cmd[1:3]))} failed (exit {error.returncode})")
        return 1
    finally:
        stop_all(servers)
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--accounts":
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        Path(sys.argv[2]).write_text(json.dumps(accounts_json()))
        return 0

    def stopped(signal_number, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stopped)  # stopped from outside: clean up as for Ctrl+C
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl+C, even when started in the background
    try:
        return run(Settings.from_environment())
    except KeyboardInterrupt:
        say("Stopped: servers shut down.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
