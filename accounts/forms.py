"""Forms for logging in, resetting a password and accepting an invitation."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.outbox import queue_mail

from . import standing


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email", "autocapitalize": "none"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail address and password do not match. Check both and try again."),
        "inactive": _("This account has been switched off. Please speak to the nursery manager."),
    }

    def confirm_login_allowed(self, user) -> None:
        """After the password is right: refuse someone whose standing has ended (a leaver), saying why."""
        super().confirm_login_allowed(user)
        reason = standing.refusal(user)
        if reason:
            raise forms.ValidationError(reason, code="no_standing")


class SetPasswordOnInviteForm(forms.Form):
    """For someone new: their name as the nursery should show it, and a password twice."""

    full_name = forms.CharField(label="Your full name", max_length=150)
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords are different. Please type them again.")
        return cleaned


class ConfirmExistingAccountForm(forms.Form):
    """For someone who already has an account with this e-mail (e.g. staff whose child starts).

    The password is checked through ``authenticate`` so that login throttling applies here too.
    """

    password = forms.CharField(
        label="Your current KeyStory password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request: HttpRequest, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.email = email
        self.user = None

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        self.user = authenticate(self.request, username=self.email, password=password)
        if self.user is None:
            raise forms.ValidationError("That is not the password for this account.")
        return password


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its e-mail sent through the outbox like every other (retried if the mail
    server is down). Each link is its own e-mail; asking twice in the same second sends one. The link is
    built from SITE_URL, like every other e-mail's, never from the address the request came in on."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        queue_mail(
            key=f"password-reset:{context['uid']}:{context['token']}",
            kind="Password reset",
            to=context["user"],
            template="accounts/email/password_reset",
            context={"user": context["user"], "reset_url": f"{settings.SITE_URL}{path}"},
        )


def _compact(code: str) -> str:
    """A code as typed on a phone: spaces and dashes dropped, capitals as small letters."""
    return "".join(code.split()).replace("-", "").lower()


class AuthenticatorCodeForm(forms.Form):
    """The six-digit code the authenticator app shows, typed to confirm it is set up."""

    code = forms.CharField(
        label="Code from the app",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text="Six digits. A new one appears every 30 seconds.",
    )

    def clean_code(self) -> str:
        code = _compact(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Type the six digits the app shows, e.g. 123 456.")
        return code


class SecondStepForm(forms.Form):
    """The second step of signing in: a code from the app, or one of the recovery codes."""

    code = forms.CharField(
        label="Code from your app, or a recovery code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}
        ),
        help_text="Open the authenticator app on your phone and type the six digits it shows for KeyStory.",
    )
    trust = forms.BooleanField(
        label="Trust this device for 12 hours",
        required=False,
        help_text="For the nursery's own tablet: no code is asked here again for 12 hours. "
        "Do not tick this on a shared home computer.",
    )

    def clean_code(self) -> str:
        code = _compact(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError("Type the code from your app, or one of your recovery codes.")
        return code

    @property
    def is_app_code(self) -> bool:
        code = self.cleaned_data["code"]
        return code.isdigit() and len(code) == 6


class ConfirmPasswordForm(forms.Form):
    """Your password again, before turning two-step sign-in off. Checked through ``authenticate`` so login
    throttling applies here too."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.email, password=password) != user:
            raise forms.ValidationError("That is not your password.")
        return password
