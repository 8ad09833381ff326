"""Pages for logging in, accepting an invitation, and telling a manager where their e-mail stands."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from core.queue import Dispatch

from . import services
from .forms import ConfirmExistingAccountForm, LoginForm, SetPasswordOnInviteForm
from .models import Invitation
from .tablet import is_pin_session


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


@never_cache
@sensitive_post_parameters("password", "password1", "password2")
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410)

    existing = services.existing_user_for(invitation)
    if existing:
        form = ConfirmExistingAccountForm(request.POST or None, request=request, email=invitation.email)
    else:
        form = SetPasswordOnInviteForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.accept_invitation(
                invitation=invitation,
                account=form.user if existing else None,
                new_password=data.get("password1", ""),
                full_name=data.get("full_name", ""),
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
        except services.InvitationInvalid as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to KeyStory. You are now logged in.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/accept_invitation.html",
        {"invitation": invitation, "form": form, "existing_account": existing is not None},
    )


def report_dispatch(request: HttpRequest, dispatch: Dispatch, queued: str) -> None:
    """Tell the user whether their e-mail is on its way or saved to go out shortly."""
    if dispatch.queued is False:
        messages.warning(request, "Saved. The e-mail could not be queued just now; it will be sent automatically soon.")
    else:
        messages.success(request, queued)


def invitation_action(request: HttpRequest, invitation: Invitation, action: str, *, nursery_id: int | None) -> None:
    """Resend or cancel a pending invitation from a manager's page (of the nursery ``nursery_id``, if any)."""
    if action == "resend":
        report_dispatch(
            request,
            services.resend_invitation(invitation=invitation, nursery_id=nursery_id),
            f"A new link is on its way to {invitation.email}.",
        )
    else:
        services.revoke_invitation(invitation=invitation)
        messages.success(request, f"The invitation for {invitation.email} was cancelled.")


@require_POST
def lock_tablet(request: HttpRequest) -> HttpResponse:
    """The "Lock" button of a room's tablet (and its idle timer): switch out, back to the room's tablet page."""
    if is_pin_session(request) or getattr(request, "tablet", None) is not None:  # a full sign-in on it too
        logout(request)
        messages.info(request, "The tablet is locked. Choose your name to carry on.")
    return redirect("home")
