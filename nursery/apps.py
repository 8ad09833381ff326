"""The nursery app's configuration; it applies staff invitations once they are accepted."""

from django.apps import AppConfig


class NurseryConfig(AppConfig):
    name = "nursery"
    verbose_name = "Nursery"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (grants applied when an invitation is accepted)
