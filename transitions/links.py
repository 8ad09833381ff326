"""What every link KeyStory gives someone without an account has in common (the receiving school's link to
a leaver pack, another carer's link to a child's summary): an unguessable token, an expiry, revocation,
and a record of each time it was used."""

import hmac
import secrets
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def new_token() -> str:
    """An unguessable link token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class ExpiringLink(models.Model):
    """A link that works without an account until it expires or someone revokes it."""

    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def is_open(self, now: datetime | None = None) -> bool:
        """Not revoked and not expired (what else a link needs, e.g. the family's consent, its owner checks)."""
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    @property
    def has_ended(self) -> bool:
        return not self.is_open()


L = TypeVar("L", bound=ExpiringLink)


def link_expiry(days: int | None, *, default: int, maximum: int) -> datetime:
    """When a link made now stops working: ``days`` from now (the default when not given), never past ``maximum``."""
    return timezone.now() + timedelta(days=min(days or default, maximum))


def link_by_token(links: QuerySet[L], token: str) -> L | None:
    """The link an address names, or None. Tokens are 256-bit random, so looking one up leaks nothing; the
    comparison is still constant-time."""
    link = links.filter(token=token).first()
    if link is None or not hmac.compare_digest(link.token.encode(), token.encode()):
        return None
    return link


def visitor(request: HttpRequest) -> tuple[str | None, str]:
    """Who used a link, as the log of its uses records it: the address and the browser (capped)."""
    return request.META.get("REMOTE_ADDR") or None, request.headers.get("User-Agent", "")[:300]


def private_page(response: HttpResponse) -> HttpResponse:
    """A page opened through a link: never cached on the way or kept by the browser, never indexed, and the
    token not passed on to other sites."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
