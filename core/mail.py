"""How an outbox row becomes the e-mail a family's phone shows: the nursery's name as sender, the headers
fixed when it was queued, and an HTML part made from the plain text by one shared template.

Core sits below every app, so the nursery's name and address come from a resolver the nursery app
registers (``register_sender``); without one, or for a group-wide e-mail, the sender is KeyStory itself.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .models import OutgoingMail

# Every e-mail KeyStory sends is written by the machine, not a person (RFC 3834): invitations and
# password resets too, as they are made by the software on someone's request, not replies to a message.
# Out-of-office replies to these would only go to an address nobody reads.
AUTOMATIC = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


@dataclass(frozen=True)
class Sender:
    """Who a nursery's e-mails come from: its name, and where a family's reply should go."""

    name: str
    reply_to: str = ""


_sender_of: list[Callable[[int], Sender | None]] = []


def register_sender(resolver: Callable[[int], Sender | None]) -> None:
    """Called by the nursery app: how to find a nursery's name (and reply address) by its id."""
    if resolver not in _sender_of:
        _sender_of.append(resolver)


def sender_of(nursery_id: int | None) -> Sender | None:
    if nursery_id is None:
        return None
    for resolver in _sender_of:
        found = resolver(nursery_id)
        if found is not None:
            return found
    return None


def _one_line(text: str, limit: int = 100) -> str:
    """A display name safe for a header: no line breaks or other control characters, one space between
    words, not overlong."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:limit]


def from_address(sender: Sender | None) -> str:
    """``"Sunbeams Nursery" <keystory@…>``: the nursery's name, as families know it, with KeyStory's own
    address (the mail server is allowed to send for it, not for the nursery's)."""
    brand, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    brand = _one_line(brand) or "KeyStory"
    if sender is None or not _one_line(sender.name):
        return formataddr((brand, address))
    return formataddr((_one_line(sender.name), address))


def site_domain() -> str:
    """The host of SITE_URL, which names this KeyStory in Message-IDs (not the machine's ``localhost``); an IPv6
    address is written in brackets, as RFC 5322 asks of an address literal."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"[{host}]" if ":" in host else host


def fixed_headers(*, unsubscribe_url: str = "") -> dict[str, str]:
    """The headers an e-mail keeps from queuing to every retry: its Message-ID, that it is automatic, and
    for a notice a family may turn off, the one-click way to do so (RFC 2369 and RFC 8058)."""
    headers = {"Message-ID": make_msgid(domain=site_domain()), **AUTOMATIC}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def unsubscribe_url_of(headers: dict[str, str]) -> str:
    return headers.get("List-Unsubscribe", "").strip().removeprefix("<").removesuffix(">")


# A link in the plain text: up to the next space, without the full stop or bracket closing a sentence.
URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


@dataclass
class Block:
    """One piece of the HTML part: a paragraph (lines kept), a list, or a link standing on its own line."""

    kind: str  # "paragraph", "list" or "button"
    lines: list[SafeString] = field(default_factory=list)
    url: str = ""
    label: str = ""


def _linkify(text: str, unsubscribe_url: str) -> SafeString:
    parts, last = [], 0
    for match in URL.finditer(text):
        url = match.group(0)
        label = "stop these e-mails" if url == unsubscribe_url else url
        parts.append(
            format_html(
                '{}<a href="{}" style="color:#0b5cad;word-break:break-all">{}</a>',
                text[last : match.start()],
                url,
                label,
            )
        )
        last = match.end()
    parts.append(format_html("{}", text[last:]))
    return mark_safe("".join(parts))  # each part was escaped by format_html


def blocks_of(body: str, *, unsubscribe_url: str = "") -> list[Block]:
    """The plain text's paragraphs as HTML blocks: lines starting "- " become a list, a line that is only
    a link becomes a button (the opt-out link a small link), and every other link is made clickable."""
    blocks: list[Block] = []
    for paragraph in re.split(r"\n[ \t]*\n", body.strip()):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            blocks.append(Block("list", [_linkify(line[2:], unsubscribe_url) for line in lines]))
            continue
        text: list[SafeString] = []
        for line in lines:
            if URL.fullmatch(line) and line != unsubscribe_url:
                if text:
                    blocks.append(Block("paragraph", text))
                    text = []
                on_site = line.startswith(settings.SITE_URL)
                blocks.append(Block("button", url=line, label="Open in KeyStory" if on_site else "Open the link"))
            else:
                text.append(_linkify(line, unsubscribe_url))
        if text:
            blocks.append(Block("paragraph", text))
    return blocks


def language_of(recipient: Any) -> str:
    """The language an e-mail to ``recipient`` is written in: the one they chose (accounts' ``User.language``),
    else the site's (British English). A browser's language is unknown outside a request."""
    chosen = getattr(recipient, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def html_of(*, subject: str, body: str, sender: Sender | None, headers: dict[str, str]) -> str:
    """The HTML alternative of a plain-text e-mail, from the one shared template ``email/base.html``."""
    unsubscribe_url = unsubscribe_url_of(headers)
    context: dict[str, Any] = {
        "subject": subject,
        "blocks": blocks_of(body, unsubscribe_url=unsubscribe_url),
        "nursery": sender.name if sender else "",
        "unsubscribe_url": unsubscribe_url,
    }
    return render_to_string("email/base.html", context)


def message_of(mail: OutgoingMail) -> EmailMultiAlternatives:
    """The e-mail of an outbox row, the same at every try: plain text first, HTML as the alternative."""
    sender = sender_of(mail.nursery_id)
    headers = {**fixed_headers(), **(mail.headers or {})}  # rows queued before headers were kept get new ones
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=from_address(sender),
        to=[mail.to],
        reply_to=[sender.reply_to] if sender and sender.reply_to else None,
        headers=headers,
    )
    with translation.override(language_of(mail.recipient)):
        html = html_of(subject=mail.subject, body=mail.body, sender=sender, headers=headers)
    message.attach_alternative(html, "text/html")
    return message
