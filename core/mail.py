"""E-mails written as a pair of templates: ``<name>_subject.txt`` (one line) and ``<name>.txt`` (the body).

Sent from ``DEFAULT_FROM_EMAIL``. A mail server fault raises (an ``OSError``), so the caller's transaction
rolls back whatever it would have marked as sent, and its task or sweep tries again.
"""

from typing import Any

from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def templated_email(name: str, context: dict[str, Any], to: list[str]) -> EmailMessage:
    return EmailMessage(
        subject=render_to_string(f"{name}_subject.txt", context).strip(),
        body=render_to_string(f"{name}.txt", context),
        to=to,
    )


def send_templated(name: str, context: dict[str, Any], to: list[str]) -> None:
    templated_email(name, context, to).send()
