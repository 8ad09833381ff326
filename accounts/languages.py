"""Which language a person's pages and e-mails are in.

Empty ``User.language`` follows the browser (Accept-Language, read by Django's ``LocaleMiddleware``, or the
language picked on the log-in page, kept in a cookie); a signed-in person's own choice wins
(``UserLanguage``). Families may choose any of ``settings.LANGUAGES``; staff pages are written in English and
Welsh only, so staff choose between those two, and a member of staff whose browser asks for another
language sees English.

Whether someone is staff is known to apps above this one: they register a check (``register_staff_check``),
as ``nursery`` does in its ``AppConfig.ready``.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from .models import User

STAFF_LANGUAGES = ("en-gb", "cy")

# Each language named in itself, so a parent finds theirs without reading English.
NAMES_IN_THEMSELVES = {
    "en-gb": "English",
    "pl": "Polski",
    "ro": "Română",
    "ur": "اردو",
    "pa": "ਪੰਜਾਬੀ",
    "bn": "বাংলা",
    "ar": "العربية",
    "pt": "Português",
    "es": "Español",
    "cy": "Cymraeg",
}

_staff_checks: list[Callable[[User], bool]] = []


def register_staff_check(check: Callable[[User], bool]) -> None:
    """Add a check saying whether the user works at a nursery (registering twice changes nothing)."""
    if check not in _staff_checks:
        _staff_checks.append(check)


def is_staff_member(user: User) -> bool:
    return user.is_authenticated and any(check(user) for check in _staff_checks)


def allowed_languages(user: User | None) -> tuple[str, ...]:
    """The language codes ``user`` may choose: every one for families and visitors, English or Welsh for staff."""
    if user is not None and is_staff_member(user):
        return STAFF_LANGUAGES
    return tuple(code for code, _name in settings.LANGUAGES)


def choices(user: User | None) -> list[tuple[str, str]]:
    """(code, name in itself) for the languages ``user`` may choose."""
    return [(code, NAMES_IN_THEMSELVES[code]) for code in allowed_languages(user)]


def language_of(user: User) -> str:
    """The language to write to ``user`` in (e-mails, PDFs, work done outside a request): their choice, else English."""
    chosen = getattr(user, "language", "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user: User) -> Iterator[None]:
    """Translate what is written inside the block (an e-mail, a PDF) into ``user``'s language."""
    with translation.override(language_of(user)):
        yield


class UserLanguage:
    """Activates a signed-in person's chosen language for the request; keeps staff to English or Welsh."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            allowed = allowed_languages(user)
            chosen = user.language if user.language in allowed else None
            if chosen is None and translation.get_language() not in allowed:
                chosen = settings.LANGUAGE_CODE
            if chosen:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)


def limit_to_staff_languages(request: HttpRequest) -> None:
    """A room's shared tablet is a staff device: its pages are in English or Welsh whatever the browser asks
    for (``nursery.tablets.TabletGate`` calls this on a tablet)."""
    if translation.get_language() not in STAFF_LANGUAGES:
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
