"""URLs for logging in and out, passwords, invitations and two-step sign-in."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import language_views, two_factor_views, views
from .forms import PasswordResetForm
from .tablet import full_sign_in_required

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", language_views.choose_language, name="language"),
    path(
        "password/change/",
        full_sign_in_required(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
            )
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=PasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("two-step/", two_factor_views.overview, name="two_factor"),
    path("two-step/code/", two_factor_views.verify, name="two_factor_verify"),
    path("two-step/set-up/", two_factor_views.setup, name="two_factor_setup"),
    path("two-step/recovery-codes/", two_factor_views.recovery_codes, name="two_factor_recovery_codes"),
    path("two-step/turn-off/", two_factor_views.turn_off, name="two_factor_off"),
    path("tablet/lock/", views.lock_tablet, name="tablet_lock"),
]
