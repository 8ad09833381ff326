"""The accounts app's configuration."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .pins import unlock_on_full_sign_in
        from .two_factor import administrators_must, register_requirement

        register_requirement(administrators_must)
        user_logged_in.connect(unlock_on_full_sign_in, dispatch_uid="accounts.pins.unlock_on_full_sign_in")
