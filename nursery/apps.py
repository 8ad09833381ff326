"""The nursery app's configuration; it applies staff invitations once they are accepted."""

from django.apps import AppConfig


def mail_sender(nursery_id: int):
    """The name and reply address a nursery's e-mails carry (``core.mail``)."""
    from core.mail import Sender

    from .models import Nursery

    found = Nursery.objects.filter(pk=nursery_id).values_list("name", "email").first()
    return Sender(name=found[0], reply_to=found[1]) if found else None


class NurseryConfig(AppConfig):
    name = "nursery"
    verbose_name = "Nursery"

    def ready(self) -> None:
        from core.mail import register_sender

        from . import receivers  # noqa: F401  (grants applied when an invitation is accepted)

        register_sender(mail_sender)  # e-mails come from "<the nursery> via KeyStory"
