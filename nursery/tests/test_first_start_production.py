"""First start as a real install does it: production settings (SECRET_KEY set, DEMO_MODE and DEBUG off), an
empty database, ``start_nursery`` and the printed link. Run in child processes, since the test suite itself
runs in demo mode on its own database."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

FOLLOW_LINK = """
from urllib.parse import urlparse
from django.test import Client
path = urlparse({link!r}).path
client = Client(HTTP_HOST="127.0.0.1")
assert "Choose a password" in client.get(path).content.decode()
response = client.post(
    path, {{"full_name": "Maya Patel", "password1": "bluebells-in-spring", "password2": "bluebells-in-spring"}},
    follow=True,
)
print("first:", response.redirect_chain[-1][0])
# Production requires two-step sign-in of a manager: set up the app, then go on to the checklist.
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
device = TOTPDevice.objects.get(user__email="maya@example.org", confirmed=False)
response = client.post(response.redirect_chain[-1][0], {{"code": f"{{totp(device.bin_key):06d}}"}}, follow=True)
response = client.get(response.redirect_chain[-1][0].split("next=")[-1].replace("%2F", "/"), follow=True)
print("landed:", response.request["PATH_INFO"], "Set up your nursery" in response.content.decode())
"""


def manage(*args: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_start_nursery_on_an_empty_production_database_prints_a_link_that_leads_to_the_checklist(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEMO_MODE", "DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SITE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="a-production-secret-key-for-this-test-only-0123456789",
        DATABASE_URL=f"sqlite:///{tmp_path / 'keystory.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        SITE_URL="https://keystory.example.org",
        EMAIL_URL="dummymail://",
    )
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("collectstatic", "--noinput", "-v", "0", env=env)  # as `make serve` does

    output = manage("start_nursery", "--name", "Little Acorns", "--manager-email", "maya@example.org", env=env)

    link = next(line for line in output.splitlines() if line.startswith("https://keystory.example.org/"))
    followed = manage("shell", "-c", FOLLOW_LINK.format(link=link), env=env)
    assert "first: /accounts/two-step/set-up/" in followed, followed
    assert "landed: /nursery/set-up/ True" in followed, followed
