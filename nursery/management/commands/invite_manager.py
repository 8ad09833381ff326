"""``manage.py invite_manager``: a manager's invitation link for an existing nursery, printed in the shell.

For a nursery a group owner added on screen whose first manager never got the e-mail (or before e-mail is set
up), or for a nursery whose managers have all left. An invitation already waiting for that address gets a new
link, which replaces the old one.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts.services import Invited, invitation_url, resend_invitation
from core.ids import parse_id
from nursery.models import Nursery, StaffInvitation, StaffMember
from nursery.services import invite_staff, role_as


def find_nursery(wanted: str) -> Nursery:
    """The nursery named ``wanted`` (any capitals) or with that number; a sentence saying why not otherwise."""
    wanted = wanted.strip()
    found = list(Nursery.objects.filter(name__iexact=wanted).select_related("group"))
    if not found and (pk := parse_id(wanted)) is not None:
        found = list(Nursery.objects.filter(pk=pk).select_related("group"))
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(f"{nursery.pk} in {nursery.group or 'no group'}" for nursery in found)
        raise CommandError(f'Several nurseries are called "{wanted}". Give its number instead: {listed}.')
    names = ", ".join(f'"{name}"' for name in Nursery.objects.values_list("name", flat=True)[:20]) or "none yet"
    raise CommandError(f'There is no nursery called "{wanted}". Nurseries: {names}.')


class Command(BaseCommand):
    help = "Invite a manager to an existing nursery; prints the link with which they set a password."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--nursery", required=True, help='The nursery\'s name (or number), e.g. "Meadow Nursery".')
        parser.add_argument("--email", required=True, help="The manager's e-mail address.")
        parser.add_argument("--name", default="", help="The manager's full name (they can change it).")

    def handle(self, *args, nursery: str, email: str, name: str, **options) -> None:
        place = find_nursery(nursery)
        address = email.strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            raise CommandError(f'"{email}" is not an e-mail address, e.g. --email nia@example.org.') from None
        with transaction.atomic():
            invited = self._invite(place, address, name)
        mailed = (
            "could not be queued just now; it will go out automatically later"
            if invited.dispatch.queued is False
            else f"is on its way to {address}"
        )
        self.stdout.write(self.style.SUCCESS(f"Invited {address} to manage {place.name}."))
        self.stdout.write(
            f"They set a password with this link, which works for {settings.INVITATION_VALID_DAYS} days "
            f"(an e-mail with the link {mailed}):"
        )
        self.stdout.write(invitation_url(invited.invitation))

    def _invite(self, place: Nursery, address: str, name: str) -> Invited:
        waiting = (
            StaffInvitation.objects.filter(
                nursery=place,
                invitation__email__iexact=address,
                invitation__accepted_at__isnull=True,
                invitation__revoked_at__isnull=True,
            )
            .select_related("invitation")
            .first()
        )
        if waiting is not None:
            if waiting.role != StaffMember.Role.MANAGER:  # asked for as a manager now: the new e-mail says so
                waiting.role = StaffMember.Role.MANAGER
                waiting.save(update_fields=["role"])
                waiting.invitation.invited_as = role_as(StaffMember.Role.MANAGER)
                waiting.invitation.save(update_fields=["invited_as"])
            return Invited(waiting.invitation, resend_invitation(invitation=waiting.invitation, nursery_id=place.pk))
        try:
            return invite_staff(
                nursery=place, email=address, full_name=name, role=StaffMember.Role.MANAGER, invited_by=None
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages) + " Nothing was changed.") from None
