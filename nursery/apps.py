"""The nursery app's configuration; it applies staff invitations once they are accepted, and says whose
posts have ended (they may no longer sign in)."""

from django.apps import AppConfig


class NurseryConfig(AppConfig):
    name = "nursery"
    verbose_name = "Nursery"

    def ready(self) -> None:
        from accounts.standing import register_ending, register_standing

        from . import receivers  # noqa: F401  (grants applied when an invitation is accepted)
        from .standing import owns_a_group, staff_post_ended

        register_ending(staff_post_ended)  # a leaver cannot sign in from their leaving date...
        register_standing(owns_a_group)  # ...unless they still run a group (or, says children, are a parent)
