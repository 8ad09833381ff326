"""One-click opt-out of a family's notices (RFC 8058), for any setting an app owns.

An app describes one of its e-mail settings as an ``EmailSetting`` (what to look up, how to turn it off)
and serves ``one_click_view(setting)`` at a URL taking a ``token``; its notices pass
``unsubscribe_url(setting, user, target)`` to ``queue_mail``. The signed token binds the person, the
setting and what it is about (e.g. one child's feedback), so the link needs no log-in: mail providers
POST to it without cookies or a CSRF token ("List-Unsubscribe=One-Click"). It never expires (a family may
use a months-old e-mail) and can only turn e-mails off; a GET only asks, so a link scanner that opens it
changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

SALT = "keystory.mail-unsubscribe"


@dataclass(frozen=True)
class Subscription:
    """One person's setting for one kind of notice, as the opt-out page shows it."""

    what: str  # "Ava's end-of-session feedback by e-mail"
    on: bool
    turn_off: Callable[[], None]
    settings_url: str  # the page (after log-in) where it can be turned back on


@dataclass(frozen=True)
class EmailSetting:
    kind: str  # stored in the token: "story", "feedback"
    url_name: str  # the app's one-click URL, taking ``token``
    find: Callable[[AbstractBaseUser, int | None], Subscription | None]


def unsubscribe_token(setting: EmailSetting, user: AbstractBaseUser, target: int | None = None) -> str:
    return signing.dumps([user.pk, setting.kind, target], salt=SALT)


def unsubscribe_url(setting: EmailSetting, user: AbstractBaseUser, target: int | None = None) -> str:
    path = reverse(setting.url_name, kwargs={"token": unsubscribe_token(setting, user, target)})
    return f"{settings.SITE_URL}{path}"


def subscription_for(setting: EmailSetting, token: str) -> tuple[AbstractBaseUser, Subscription]:
    """The person and setting a token stands for; 404 for a token altered, cut short or for another setting."""
    try:
        user_id, kind, target = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        raise Http404("Not a valid link") from None
    if kind != setting.kind:
        raise Http404("Not a valid link")
    user = get_user_model().objects.filter(pk=user_id).first()
    found = setting.find(user, target) if user is not None else None
    if found is None:
        raise Http404("Not a valid link")
    return user, found


def one_click_view(setting: EmailSetting) -> Callable[[HttpRequest, str], HttpResponse]:
    """GET: the setting and a button to turn it off. POST (the button, or the mail provider's one-click
    request, without log-in or CSRF token): turn it off."""

    @csrf_exempt  # the token is the authority, and it can only switch e-mails off
    @require_http_methods(["GET", "HEAD", "POST"])
    def view(request: HttpRequest, token: str) -> HttpResponse:
        _, subscription = subscription_for(setting, token)
        done = False
        if request.method == "POST":
            if subscription.on:
                subscription.turn_off()
            done = True
        response = render(request, "core/email_off.html", {"subscription": subscription, "done": done})
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"  # the token must not leak to the next site
        return response

    return view
