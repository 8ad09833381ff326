"""Reads for accounts: how each pending invitation stands, its e-mail read from the outbox."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from core.models import OutgoingMail
from core.outbox import mail_statuses

from .models import Invitation


class Grant(Protocol):
    """What an app records an invitation grants (a staff post, a family link): it carries the invitation."""

    pk: int
    invitation: Invitation


@dataclass(frozen=True)
class PendingInvitation:
    """One line of a manager's list of invitations not yet accepted."""

    pk: int  # the grant's, which the resend and cancel pages take
    full_name: str
    email: str
    status: str  # "expired", "sent", "not delivered" or "waiting to send"


def pending_invitation_rows(grants: Iterable[Grant]) -> list[PendingInvitation]:
    """The grants' invitations as a manager reads them; whether the current link's e-mail went, in one query."""
    grants = list(grants)
    statuses = mail_statuses(grant.invitation.mail_key for grant in grants)
    return [
        PendingInvitation(
            pk=grant.pk,
            full_name=grant.invitation.full_name,
            email=grant.invitation.email,
            status=_status(grant.invitation, statuses.get(grant.invitation.mail_key)),
        )
        for grant in grants
    ]


def _status(invitation: Invitation, mail: str | None) -> str:
    if invitation.is_expired:
        return "expired"
    if mail == OutgoingMail.Status.FAILED:
        return "not delivered"
    return "sent" if mail == OutgoingMail.Status.SENT else "waiting to send"
