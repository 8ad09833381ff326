"""``manage.py start_nursery``: the first step of a real install, before anyone can log in.

Creates the nursery (a group of its own, which its first manager will own) and prints the link with which
that manager sets a password. An e-mail with a link also goes out through the outbox; printing one means a
new install works even before e-mail is set up.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from accounts.services import invitation_url
from nursery.models import Nursery
from nursery.services import start_nursery

NAME_MAX = Nursery._meta.get_field("name").max_length


class Command(BaseCommand):
    help = "Create a nursery and invite its first manager; prints the link with which they set a password."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help='The nursery\'s name, e.g. "Rainbow Nursery".')
        parser.add_argument("--manager-email", required=True, help="The e-mail address of the first manager.")
        parser.add_argument("--manager-name", default="", help="The first manager's full name (they can change it).")

    def handle(self, *args, name: str, manager_email: str, manager_name: str, **options) -> None:
        name, email = name.strip(), manager_email.strip().lower()
        if not name:
            raise CommandError('Give the nursery a name, e.g. --name "Rainbow Nursery".')
        if len(name) > NAME_MAX:
            raise CommandError(f"The nursery's name is {len(name)} characters long; it can be at most {NAME_MAX}.")
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(
                f'"{manager_email}" is not an e-mail address. Give the manager\'s address, e.g. '
                "--manager-email maya@example.org."
            ) from None
        if same := Nursery.objects.filter(name__iexact=name).first():
            raise CommandError(f'A nursery called "{same.name}" already exists. Nothing was changed.')

        started = start_nursery(name=name, manager_email=email, manager_name=manager_name)  # atomic
        link = invitation_url(started.invited.invitation)
        mailed = (
            "could not be queued just now; it will go out automatically later"
            if started.invited.dispatch.queued is False
            else f"is on its way to {email}"
        )
        self.stdout.write(self.style.SUCCESS(f"Started {started.nursery.name}."))
        self.stdout.write(
            f"The first manager sets a password with this link, which works for {settings.INVITATION_VALID_DAYS} days "
            f"(an e-mail with a link of its own {mailed}):"
        )
        self.stdout.write(link)
