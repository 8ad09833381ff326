"""``manage.py check --deploy`` with the production variables the README gives reports no issues."""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_production_variables() -> dict[str, str]:
    """The variables of the README's production ``export``, with a fresh random key for its placeholder."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(export DEBUG=0 .*?)\n[^\n]*check --deploy\n```", readme, re.DOTALL)
    assert block, "the README shows the production variables before `check --deploy`"
    line = block.group(1).replace("\\\n", " ").replace("<50 or more random characters>", secrets.token_urlsafe(50))
    return dict(word.split("=", 1) for word in shlex.split(line)[1:])


def check_deploy(variables: dict[str, str]) -> str:
    # Only what the README sets: nothing from the test run (DEMO_MODE, a .env file's SECRET_KEY) leaks in.
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **variables}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return result.stdout + result.stderr


def test_check_deploy_is_clean_with_the_readmes_production_variables():
    output = check_deploy(readme_production_variables())
    assert "System check identified no issues" in output, output


def test_hsts_for_subdomains_and_preloading_are_settings():
    variables = readme_production_variables()
    variables |= {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "0", "SECURE_HSTS_PRELOAD": "0"}

    output = check_deploy(variables)

    assert "security.W005" in output
    assert "security.W021" in output
