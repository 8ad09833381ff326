"""Limits on free text, in plain English, shared by every form and by the few endpoints that write text without one.

Every free-text model field has a ``max_length`` (a TextField's is checked by its form, not by the database), so
ModelForms refuse longer text and the browser's textarea gets ``maxlength``. ``install_plain_messages()`` (run by
core's AppConfig) makes Django's own length and null-character messages plain for every form in the project:
"Keep this to 2,000 characters (it has 2,345)." A form that wants to name its field passes
``error_messages=text_messages("your comment")``. Code that takes text straight from a request checks it with
``text_problem`` / ``check_text`` first, so nothing reaches the database that a form would have refused.
"""

from django.core import validators
from django.core.exceptions import ValidationError

# The caps, in characters. A page of A4 is about 3,500.
OBSERVATION = 10_000  # what happened, in an observation or a home contribution
LONG = 5_000  # reports, plans, meeting notes, confidential notes, what happened in an accident
SHORT = 2_000  # a comment, a note for the family, a next step, one answer of "All about me"
ADDRESS = 500


class LengthMessage(str):
    """A length message with the numbers written the way people read them (2,000, not 2000).

    Django formats a validator's message with ``message % params``; this string does the formatting itself."""

    def __new__(cls, what: str = "this"):
        message = super().__new__(cls, f"Keep {what} to %(limit_value)s characters (it has %(show_value)s).")
        message.what = what
        return message

    def __mod__(self, params):
        return length_message(params["limit_value"], params["show_value"], self.what)


def length_message(limit: int, length: int, what: str = "this") -> str:
    return f"Keep {what} to {limit:,} characters (it has {length:,})."


def unsaveable_message(what: str = "This") -> str:
    return (
        f"{what} contains a character that can't be saved (an invisible control character, often from copying "
        "and pasting). Please remove it, or type that part again."
    )


def text_messages(what: str) -> dict:
    """``error_messages`` for a form field that names what it is, e.g. ``text_messages("your comment")``."""
    subject = what[:1].upper() + what[1:]
    subject = subject.replace("Your ", "The ", 1) if subject.startswith("Your ") else subject
    return {"max_length": LengthMessage(what), "null_characters_not_allowed": unsaveable_message(subject)}


def _unsaveable(value: str) -> bool:
    """A NUL byte (PostgreSQL refuses it) or half of a surrogate pair (UTF-8 cannot encode it)."""
    return "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value)


def text_problem(value: str, limit: int, what: str = "this") -> str:
    """Why ``value`` cannot be saved in a field of ``limit`` characters, or "" when it can."""
    if _unsaveable(value):
        return unsaveable_message(what[:1].upper() + what[1:])
    if len(value) > limit:
        return length_message(limit, len(value), what)
    return ""


def check_text(value: str, limit: int, what: str = "this") -> str:
    """``value`` if it can be saved; ValidationError with the plain reason otherwise."""
    problem = text_problem(value, limit, what)
    if problem:
        raise ValidationError(problem, code="text")
    return value


def install_plain_messages() -> None:
    """Django's "Ensure this value has at most 2000 characters (it has 2345)." and "Null characters are not
    allowed." become plain English with the numbers readable, for every form and model field."""
    validators.MaxLengthValidator.message = LengthMessage()
    validators.ProhibitNullCharactersValidator.message = unsaveable_message()
