"""Choosing the language of one's pages: from the log-in page (kept in a cookie) or the account page (saved)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from . import languages


class LanguageForm(forms.Form):
    """The language choice on a family's account page; empty follows the browser."""

    language = forms.ChoiceField(label=gettext_lazy("Language of your pages and e-mails"), required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        field.choices = [("", gettext_lazy("The language of my browser")), *languages.choices(user)]
        if user is not None and user.is_authenticated and "language" not in self.initial:
            self.initial["language"] = user.language


def _next_page(request: HttpRequest) -> str:
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return settings.LOGIN_URL if not request.user.is_authenticated else "home"


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Save the language chosen (signed in) and remember it in a cookie (also before signing in)."""
    user = request.user if request.user.is_authenticated else None
    form = LanguageForm(request.POST, user=user)
    response = redirect(_next_page(request))
    if not form.is_valid():  # a language this person may not choose: nothing changes
        messages.error(request, gettext("Please choose one of the languages in the list."))
        return response
    code = form.cleaned_data["language"]
    if user is not None:
        user.language = code
        user.save(update_fields=["language"])
        with translation.override(code or translation.get_language_from_request(request)):
            messages.success(request, gettext("Your language is saved."))
    if code:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response
