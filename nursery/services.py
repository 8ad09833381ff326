"""Writes for the nursery app."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from accounts.models import User
from accounts.services import Invited, create_invitation
from core.images import ProcessedImage, store_photo
from core.queue import Dispatch

from .models import Nursery, NurseryGroup, Room, StaffAbsence, StaffInvitation, StaffMember, WorkingPattern


@transaction.atomic
def invite_staff(
    *,
    nursery: Nursery,
    email: str,
    full_name: str,
    role: str,
    room: Room | None = None,
    job_title: str = "",
    invited_by: User,
) -> Invited:
    invited = create_invitation(email=email, full_name=full_name, invited_by=invited_by, nursery_id=nursery.pk)
    StaffInvitation.objects.create(
        invitation=invited.invitation, nursery=nursery, role=role, room=room, job_title=job_title
    )
    return invited


@dataclass
class Started:
    nursery: Nursery
    invited: Invited


@transaction.atomic
def start_nursery(
    *, name: str, manager_email: str, manager_name: str, group: NurseryGroup | None = None, by: User | None = None
) -> Started:
    """Create a nursery and invite its first manager.

    Without ``group`` (the first nursery of an install) the nursery starts a group of its own, and its first
    manager becomes that group's owner, so they can add further nurseries later.
    """
    nursery = Nursery.objects.create(name=name.strip(), group=group or NurseryGroup.objects.create(name=name.strip()))
    invited = create_invitation(email=manager_email, full_name=manager_name, invited_by=by, nursery_id=nursery.pk)
    StaffInvitation.objects.create(
        invitation=invited.invitation,
        nursery=nursery,
        role=StaffMember.Role.MANAGER,
        makes_group_owner=group is None,
    )
    return Started(nursery, invited)


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
