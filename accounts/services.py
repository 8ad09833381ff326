"""Writes for accounts: invitations (e-mailed through the outbox) and accepting them; two-step sign-in."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.outbox import cancel_mail, queue_mail
from core.queue import Dispatch

from .models import Invitation, SecurityEvent, User
from .signals import invitation_accepted

_TOKEN_SALT = "keystory.invitation"


class InvitationInvalid(Exception):
    """The link cannot be used; ``str(exc)`` is a sentence for the person holding it."""


@dataclass
class Invited:
    invitation: Invitation
    dispatch: Dispatch


@transaction.atomic
def create_invitation(
    *,
    email: str,
    full_name: str,
    invited_by: User | None,
    nursery_id: int | None,
    place: str = "",
    invited_as: str = "",
) -> Invited:
    """Save an invitation and queue the e-mail with its link (sent once the transaction commits).

    ``nursery_id``: the nursery whose managers see the e-mail if it cannot be delivered. ``place`` and
    ``invited_as``: what the e-mail says they are invited to and as what, e.g. "Rainbow Nursery", "a manager".
    """
    invitation = Invitation.objects.create(
        email=email.strip().lower(),
        full_name=full_name.strip(),
        invited_by=invited_by,
        place=place[:150],
        invited_as=invited_as[:200],
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    return Invited(invitation, _queue_invitation_mail(invitation, nursery_id=nursery_id))


@transaction.atomic
def resend_invitation(*, invitation: Invitation, nursery_id: int | None) -> Dispatch:
    """A fresh link with a fresh expiry, in a new e-mail; earlier links stop working, and an earlier
    e-mail still waiting to go is not sent."""
    if invitation.accepted_at:
        raise InvitationInvalid("This invitation has already been accepted.")
    cancel_mail(keys=[invitation.mail_key])
    invitation.nonce = Invitation._meta.get_field("nonce").get_default()
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.revoked_at = None
    invitation.save(update_fields=["nonce", "expires_at", "revoked_at"])
    return _queue_invitation_mail(invitation, nursery_id=nursery_id)


@transaction.atomic
def revoke_invitation(*, invitation: Invitation) -> None:
    """Cancel the invitation, and its e-mail if it has not gone yet."""
    if not invitation.accepted_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        cancel_mail(keys=[invitation.mail_key])


def _queue_invitation_mail(invitation: Invitation, *, nursery_id: int | None) -> Dispatch:
    return queue_mail(
        key=invitation.mail_key,
        kind="Invitation",
        to=invitation.email,
        template="accounts/email/invitation",
        context={"invitation": invitation, "url": invitation_url(invitation)},
        nursery_id=nursery_id,
    )


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, invitation.nonce], salt=_TOKEN_SALT, compress=True)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("accounts:accept_invitation", kwargs={"token": invitation_token(invitation)})
    return f"{settings.SITE_URL}{path}"


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link stands for, or InvitationInvalid saying why it cannot be used."""
    try:
        pk, nonce = signing.loads(token, salt=_TOKEN_SALT)
        invitation = Invitation.objects.get(pk=int(pk))
    except (signing.BadSignature, ValueError, TypeError, Invitation.DoesNotExist):
        raise InvitationInvalid("This invitation link is not valid. Check you copied the whole link.") from None
    if not constant_time_compare(str(nonce), invitation.nonce):
        raise InvitationInvalid("This link has been replaced by a newer invitation. Please use the latest e-mail.")
    if invitation.accepted_at:
        raise InvitationInvalid("This invitation has already been used. You can log in with your e-mail and password.")
    if invitation.revoked_at:
        raise InvitationInvalid("This invitation was cancelled by the nursery.")
    if invitation.is_expired:
        raise InvitationInvalid("This invitation has expired. Please ask the nursery to send you a new one.")
    return invitation


def existing_user_for(invitation: Invitation) -> User | None:
    return User.objects.filter(email__iexact=invitation.email).first()


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, account: User | None = None, new_password: str = "", full_name: str = ""
) -> User:
    """Apply the invitation's grants, creating the account if this e-mail has none yet.

    ``account`` is the existing account for the invitation's e-mail, which the caller has
    authenticated with its current password (so a forwarded e-mail cannot take it over);
    without one, a new account is made with ``new_password``.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationInvalid("This invitation has already been used.")
    user = account
    if user is None:
        if existing_user_for(invitation) is not None:
            raise InvitationInvalid("An account already uses this e-mail address. Log in with it to accept.")
        user = User(email=invitation.email, full_name=full_name.strip() or invitation.full_name)
        password_validation.validate_password(new_password, user)
        user.set_password(new_password)
        user.save()
    elif user.email != invitation.email:
        raise InvitationInvalid("This invitation is for another e-mail address.")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return user


# --- Two-step sign-in ---------------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def start_authenticator(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: the same secret until it is confirmed, so reloading the page
    keeps the QR code the person may already have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_authenticator(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Turn two-step sign-in on once the app gives a right code: returns the new recovery codes (shown once),
    or None when the code is wrong (or wrong codes came too fast: see ``TOTPDevice.verify_is_allowed``)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    _log(user=device.user, by=device.user, kind=SecurityEvent.Kind.TWO_FACTOR_ON)
    return _make_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """Replace the person's recovery codes: the old ones stop working."""
    _log(user=user, by=user, kind=SecurityEvent.Kind.RECOVERY_CODES)
    return _make_recovery_codes(user)


@transaction.atomic
def remove_two_factor(*, user: User, by: User, note: str = "") -> None:
    """Remove the person's authenticator app and recovery codes: by themselves (turning it off, or before
    setting up a new phone) or by a manager who resets it (checked by the nursery app). Sessions that passed
    the second step with them stop being verified (django-otp no longer finds the device)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    kind = SecurityEvent.Kind.TWO_FACTOR_OFF if by == user else SecurityEvent.Kind.TWO_FACTOR_RESET
    _log(user=user, by=by, kind=kind, note=note)


def _make_recovery_codes(user: User) -> list[str]:
    # The same device with new codes: a session that passed the second step with an old code stays verified.
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes", "confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _log(*, user: User, by: User, kind: str, note: str = "") -> None:
    SecurityEvent.objects.create(user=user, by=by, kind=kind, note=note[:200])
