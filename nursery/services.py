"""Writes for the nursery app."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.services import Invited, create_invitation, remove_two_factor
from accounts.two_factor import authenticator
from core.images import ProcessedImage, store_photo
from core.queue import Dispatch

from .models import (
    GroupOwnerInvitation,
    Nursery,
    NurseryGroup,
    Room,
    StaffAbsence,
    StaffInvitation,
    StaffMember,
    WorkingPattern,
)


def role_as(role: str) -> str:
    """A role as the invitation e-mail says it: "a practitioner", "an owner"…"""
    label = StaffMember.Role(role).label.lower()
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def refuse_if_waiting(grants: QuerySet, email: str, *, resend_from: str) -> None:
    """Refuse a second invitation to an address whose first (one of ``grants``) still waits for a reply."""
    waiting = grants.filter(
        invitation__email__iexact=email, invitation__accepted_at__isnull=True, invitation__revoked_at__isnull=True
    )
    if waiting.exists():
        raise ValidationError(
            {"email": f"An invitation to this address is already waiting for a reply. Resend it from {resend_from}."},
            code="already_invited",
        )


@transaction.atomic
def invite_staff(
    *,
    nursery: Nursery,
    email: str,
    full_name: str,
    role: str,
    room: Room | None = None,
    job_title: str = "",
    invited_by: User | None,
) -> Invited:
    """Invite someone to a post here. Refused (ValidationError on ``email``) for someone in post here already,
    or with an invitation still waiting; a former member of staff may be invited back."""
    email = email.strip().lower()
    current = StaffMember.objects.in_post().filter(nursery=nursery, user__email__iexact=email).first()
    if current is not None:
        raise ValidationError(
            {
                "email": f"{current.user.full_name} already works here ({current.get_role_display().lower()}). "
                "Change their post from the staff page instead."
            },
            code="already_staff",
        )
    refuse_if_waiting(StaffInvitation.objects.filter(nursery=nursery), email, resend_from="the staff page")
    if room is not None and (room.nursery_id != nursery.pk or room.archived_on is not None):
        raise ValidationError({"room": "Choose one of this nursery's rooms in use."}, code="room")
    invited = create_invitation(
        email=email,
        full_name=full_name,
        invited_by=invited_by,
        nursery_id=nursery.pk,
        place=nursery.name,
        invited_as=role_as(role),
    )
    StaffInvitation.objects.create(
        invitation=invited.invitation, nursery=nursery, role=role, room=room, job_title=job_title
    )
    return invited


@dataclass
class Started:
    nursery: Nursery
    invited: Invited


def rename_group(*, group: NurseryGroup, name: str) -> None:
    """A group is first named after the nursery it started with; its owners give it the organisation's name."""
    group.name = name
    group.save(update_fields=["name"])


@transaction.atomic
def start_nursery(
    *, name: str, manager_email: str, manager_name: str, group: NurseryGroup | None = None, by: User | None = None
) -> Started:
    """Create a nursery and invite its first manager.

    Without ``group`` (the first nursery of an install) the nursery starts a group of its own, and its first
    manager becomes that group's owner, so they can add further nurseries later.
    """
    nursery = Nursery.objects.create(name=name.strip(), group=group or NurseryGroup.objects.create(name=name.strip()))
    invited = create_invitation(
        email=manager_email,
        full_name=manager_name,
        invited_by=by,
        nursery_id=nursery.pk,
        place=nursery.name,
        invited_as="its first manager, to set it up",
    )
    StaffInvitation.objects.create(
        invitation=invited.invitation,
        nursery=nursery,
        role=StaffMember.Role.MANAGER,
        makes_group_owner=group is None,
    )
    return Started(nursery, invited)


@transaction.atomic
def invite_group_owner(*, group: NurseryGroup, email: str, full_name: str, invited_by: User) -> Invited:
    """Invite someone to own the group with the inviting owner. Refused (ValidationError on ``email``) for an
    owner already, or an address with an invitation still waiting."""
    email = email.strip().lower()
    if owner := group.owners.filter(email__iexact=email).first():
        raise ValidationError({"email": f"{owner.full_name} already owns {group.name}."}, code="already_owner")
    refuse_if_waiting(GroupOwnerInvitation.objects.filter(group=group), email, resend_from="this page")
    invited = create_invitation(
        email=email,
        full_name=full_name,
        invited_by=invited_by,
        nursery_id=None,
        place=group.name,
        invited_as="one of its owners, who add its nurseries and see across them",
    )
    GroupOwnerInvitation.objects.create(invitation=invited.invitation, group=group)
    return invited


def grant_staff_post(*, grant: StaffInvitation, user: User) -> StaffMember:
    """Apply an accepted staff invitation; re-activates a post the person held before, as from today."""
    post, _ = StaffMember.objects.update_or_create(
        user=user,
        nursery=grant.nursery,
        defaults={
            "role": grant.role,
            "room": grant.room,
            "job_title": grant.job_title,
            "is_active": True,
            "leaves_on": None,
        },
    )
    if grant.makes_group_owner and grant.nursery.group_id:
        grant.nursery.group.owners.add(user)
    return post


def _only_manager_message(member: StaffMember) -> str:
    return f"{member.user.full_name} is the only manager of {member.nursery}. Make someone else a manager first."


def check_keeps_a_manager(member: StaffMember, *, role: str, leaves_on: date | None) -> None:
    """Refuse to demote, or give a leaving date to, the last manager in post at a nursery.

    Deputies have a manager's rights but do not count: a nursery always has a manager. Call inside a
    transaction; the nursery's manager posts are locked so two managers cannot demote each other at once.
    """
    today = timezone.localdate()
    if member.role != StaffMember.Role.MANAGER or not StaffMember.objects.in_post(today).filter(pk=member.pk).exists():
        return
    demoted, leaving = role != StaffMember.Role.MANAGER, leaves_on is not None
    if not (demoted or leaving):
        return
    managers = StaffMember.objects.select_for_update().filter(
        nursery_id=member.nursery_id, role=StaffMember.Role.MANAGER
    )
    list(managers)  # take the locks
    day = max(today, leaves_on) if leaving and not demoted else today
    if not managers.exclude(pk=member.pk).in_post(day).exists():
        raise ValidationError({"role" if demoted else "leaves_on": _only_manager_message(member)}, code="last_manager")


@transaction.atomic
def update_staff_post(
    *,
    member: StaffMember,
    role: str,
    job_title: str = "",
    is_senco: bool = False,
    is_safeguarding_lead: bool = False,
    can_be_key_person: bool = True,
    qualification_level: int | None = None,
    room: Room | None = None,
    starts_on: date | None = None,
    leaves_on: date | None = None,
) -> StaffMember:
    """Change a member of staff's post. Everything is checked before anything is saved; refusals are
    ValidationErrors keyed by the field to change (the last manager cannot be demoted or given a leaving date)."""
    member = StaffMember.objects.select_for_update().select_related("user", "nursery").get(pk=member.pk)
    if role not in StaffMember.Role.values:
        raise ValidationError({"role": "Choose one of the roles listed."}, code="role")
    if starts_on and leaves_on and leaves_on < starts_on:
        raise ValidationError(
            {"leaves_on": "The leaving date is before the start date. Check both dates."}, code="dates"
        )
    if room is not None and (
        room.nursery_id != member.nursery_id or (room.archived_on is not None and room.pk != member.room_id)
    ):
        raise ValidationError({"room": "Choose one of this nursery's rooms in use."}, code="room")
    check_keeps_a_manager(member, role=role, leaves_on=leaves_on)
    member.role = role
    member.job_title = job_title.strip()
    member.is_senco = is_senco
    member.is_safeguarding_lead = is_safeguarding_lead
    member.can_be_key_person = can_be_key_person
    member.qualification_level = qualification_level
    member.room = room
    member.starts_on = starts_on
    member.leaves_on = leaves_on
    member.save()
    return member


def replace_week(rows: QuerySet, wanted: set[tuple[int, int]], add: Callable[[int, int], object]) -> bool:
    """Make a weekly pattern's rows (weekday, session id) exactly ``wanted``; True if anything changed."""
    have = set(rows.values_list("weekday", "session_id"))
    for weekday, session_id in have - wanted:
        rows.filter(weekday=weekday, session_id=session_id).delete()
    for weekday, session_id in wanted - have:
        add(weekday, session_id)
    return have != wanted


@transaction.atomic
def set_working_pattern(*, staff: StaffMember, slots: set[tuple[int, int]]) -> bool:
    """Replace a staff member's usual week with these (weekday, session id) pairs."""
    return replace_week(
        staff.working_pattern.all(),
        slots,
        lambda weekday, session_id: WorkingPattern.objects.create(staff=staff, weekday=weekday, session_id=session_id),
    )


def record_absence(
    *, staff: StaffMember, kind: str, starts_on: date, ends_on: date, note: str = "", by: User
) -> StaffAbsence:
    return StaffAbsence.objects.create(
        staff=staff, kind=kind, starts_on=starts_on, ends_on=ends_on, note=note, created_by=by
    )


@transaction.atomic
def set_staff_photo(*, member: StaffMember, photo: ProcessedImage | None) -> Dispatch | None:
    """Replace (or, with None, remove) a member of staff's photo; its thumbnail follows from a task."""
    return store_photo(member, photo)


def two_factor_reset_refusal(*, member: StaffMember, by: StaffMember) -> str | None:
    """Why ``by`` may not reset ``member``'s two-step sign-in, or None if they may: not their own (a recovery
    code or another manager does it), not a group owner's (another owner, or the site's administrator, does
    it), not a manager's by a deputy, and not that of someone who helps run another nursery (their sign-in
    opens that nursery's records too, so one of its managers does it)."""
    if member.user_id == by.user_id:
        return "You cannot reset your own: sign in with a recovery code, or ask another manager."
    if by.role != StaffMember.Role.MANAGER and member.role == StaffMember.Role.MANAGER:
        return f"Only a manager can reset {member.user}'s two-step sign-in."
    elsewhere = (
        StaffMember.objects.in_post()
        .filter(user_id=member.user_id, role__in=StaffMember.MANAGING_ROLES)
        .exclude(nursery_id=member.nursery_id)
        .select_related("nursery")
        .first()
    )
    if elsewhere is not None:
        return f"{member.user} also helps run {elsewhere.nursery}: a manager there resets it."
    if member.user.owned_groups.exists():
        return f"{member.user} runs the nursery group: another group owner or the site's administrator can reset it."
    if authenticator(member.user) is None:
        return f"{member.user} has not set up two-step sign-in, so there is nothing to reset."
    return None


@transaction.atomic
def reset_two_factor(*, member: StaffMember, by: StaffMember) -> None:
    """A manager resets a colleague's two-step sign-in (a lost or new phone): their app and recovery codes
    stop working, they set it up again after their password, and the reset is in their security log.
    Refused (ValidationError) for the reasons ``two_factor_reset_refusal`` gives."""
    if refusal := two_factor_reset_refusal(member=member, by=by):
        raise ValidationError(refusal)
    remove_two_factor(user=member.user, by=by.user, note=f"by a manager of {member.nursery}")
