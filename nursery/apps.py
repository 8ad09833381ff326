"""The nursery app's configuration; it applies staff invitations once they are accepted, and says whose
posts have ended (they may no longer sign in) and who must use two-step sign-in."""

from django.apps import AppConfig


def mail_sender(nursery_id: int):
    """The name and reply address a nursery's e-mails carry (``core.mail``)."""
    from core.mail import Sender

    from .models import Nursery

    found = Nursery.objects.filter(pk=nursery_id).values_list("name", "email").first()
    return Sender(name=found[0], reply_to=found[1]) if found else None


def holds_a_post(user) -> bool:
    """Whether the user works at a nursery today: they choose English or Welsh only (``accounts.languages``)."""
    from .selectors import posts_held

    return bool(posts_held(user))


class NurseryConfig(AppConfig):
    name = "nursery"
    verbose_name = "Nursery"

    def ready(self) -> None:
        from accounts.languages import register_staff_check
        from accounts.standing import register_ending, register_standing
        from accounts.two_factor import register_requirement
        from core.mail import register_sender

        from . import receivers  # noqa: F401  (grants applied when an invitation is accepted)
        from .standing import owns_a_group, staff_post_ended, two_factor_required_because

        register_sender(mail_sender)  # e-mails come from "<the nursery>"
        register_staff_check(holds_a_post)  # staff pages are in English or Welsh
        register_ending(staff_post_ended)  # a leaver cannot sign in from their leaving date...
        register_standing(owns_a_group)  # ...unless they still run a group (or, says children, are a parent)
        register_requirement(two_factor_required_because)  # managers, group owners, or all staff if asked
