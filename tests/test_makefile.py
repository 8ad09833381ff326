"""`make run` and `make dev` serve the address asked for, and e-mail links point at it (SITE_URL)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import require

ROOT = Path(__file__).resolve().parent.parent


def dry_run(*args: str, env: dict[str, str] | None = None) -> str:
    """What make would run, without running it (``make -n``)."""
    require(shutil.which("make") is not None, "needs make")
    clean = {"PATH": "/usr/bin:/bin", **(env or {})}  # no SITE_URL from the caller's environment
    return subprocess.run(["make", "-n", *args], cwd=ROOT, env=clean, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(
    ("host", "served", "links"),
    [
        ("127.0.0.1", "127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("::1", "[::1]:8000", "http://[::1]:8000"),
        ("[::1]", "[::1]:8000", "http://[::1]:8000"),
        ("0.0.0.0", "0.0.0.0:8000", "http://127.0.0.1:8000"),
        ("::", "[::]:8000", "http://[::1]:8000"),
    ],
)
def test_make_run_brackets_an_ipv6_host_in_the_address_and_the_links(host, served, links):
    out = dry_run("run", f"HOST={host}")
    assert f"--bind {served} " in out
    assert f"e-mail links use {links})" in out


def test_make_dev_serves_the_port_asked_for_and_links_to_it():
    out = dry_run("dev", "HOST=::1", "PORT=8080")
    assert "runserver [::1]:8080" in out
    assert "E-mail links use http://[::1]:8080" in out


def test_a_site_url_that_is_set_wins():
    out = dry_run("run", "HOST=::1", env={"SITE_URL": "https://keystory.example.org"})
    assert "e-mail links use https://keystory.example.org)" in out


def test_make_serve_leaves_site_url_to_the_environment_or_env_file():
    """A real install sets SITE_URL, often in .env, which the settings read; make must not override it."""
    out = dry_run("serve", "HOST=::1")
    assert "--bind [::1]:8000 " in out
    assert "e-mail links use SITE_URL from the environment or .env" in out


def test_make_backup_writes_to_the_bucket_backup_dir_names():
    assert 'manage.py backup --output "s3://keystory-backups/nightly"' in dry_run(
        "backup", "BACKUP_DIR=s3://keystory-backups/nightly"
    )
    assert 'manage.py backup --output "var/backups"' in dry_run("backup")
