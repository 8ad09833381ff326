"""Who is asking, and one way to fetch a child's record for them (zulip's ``access_stream_by_id``).

Each kind of record has one ``access_<record>(user, pk, ...)`` function, in the selectors of the app that
owns it, returning the record or raising ``Http404``: another nursery's or another family's record answers
404, never 403, so nothing leaks about what exists. Where a colleague may see a record but not change it,
the function raises ``PermissionDenied`` (403) with the reason. Views then read "get the thing I may see,
do the thing". ``Viewer`` is the one description of the asker's standing that those functions return.
The child's own record (the child, family links, emergency contacts, All about me) is fetched here; the
day's records from ``children.day.selectors``, support plans from ``children.support_plans.selectors``.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import AllAboutMe, Child, EmergencyContact, GuardianInvitation, Guardianship, HomeChange
from .selectors import (
    all_about_me_of,
    can_manage_child,
    children_in_staff_care,
    children_of_guardian,
    children_visible_to,
    guardian_link,
    may_edit_all_about_me,
    pending_guardian_invitations,
)

MANAGERS_ONLY = "Only the nursery's managers can do this."
FAMILY_ONLY = "This page is for the child's family."
KEY_PERSON_OR_MANAGERS = "Only the child's key person and the managers fill in All about me."
HAS_LEFT = "This child has left the nursery: the record can be read but no longer added to."


@dataclass(frozen=True)
class Viewer:
    """The asker's standing to one child's records, worked out once per request.

    ``is_staff``: works at the child's nursery. ``may_write``: may change this kind of record (for example
    the key person for a progress check). ``may_manage``: a manager of the child's nursery. ``is_parent``:
    holds parental responsibility for the child. ``family_child_ids``: the asker's own children, whose names
    they may read (others become "a friend"). ``can_contribute``: may add to the story (comments, home
    observations). ``user`` is None for documents made for the family as a whole (the leaver pack).
    """

    user: User | None
    is_staff: bool
    may_write: bool = False
    may_manage: bool = False
    is_parent: bool = False
    family_child_ids: frozenset[int] = field(default_factory=frozenset)
    can_contribute: bool = False


def access_child(
    user: User, pk: int, *, manage: bool = False, in_care: bool = False, family: bool = False, adding: bool = False
) -> Child:
    """A child the user may see (staff of the nursery, or the child's family), or 404.

    With ``in_care``, only a child of a nursery where the user works (staff pages; a member of staff's own
    child at another nursery is 404 there). With ``manage``, only the nursery's managers, and with
    ``family``, only the child's own family: anyone else who sees the child gets 403 with the reason.
    With ``adding`` (a family adding to the record), a child who has left answers 404, as the story's
    "Add something from home" does: the family of a leaver may still read, but no longer add.
    """
    child = get_object_or_404(children_in_staff_care(user) if in_care else children_visible_to(user), pk=pk)
    if manage and not can_manage_child(user, child):
        raise PermissionDenied(MANAGERS_ONLY)
    if family and guardian_link(user, child) is None:
        raise PermissionDenied(FAMILY_ONLY)
    if adding and child.has_left():
        raise Http404(HAS_LEFT)
    return child


def access_own_child(user: User, pk: int) -> Child:
    """One of the user's own children (as parent or carer, while the family may still read the record), or 404."""
    return get_object_or_404(children_of_guardian(user), pk=pk)


def access_own_guardianship(user: User, child_id: int) -> Guardianship:
    """The user's own link to one of their children (their e-mail and feedback choices), or 404."""
    return get_object_or_404(Guardianship.objects.filter(user=user).select_related("child"), child_id=child_id)


def access_guardianship(user: User, pk: int) -> Guardianship:
    """A family member's link to a child of the user's nurseries, for the managers to change; 403 for
    colleagues, 404 for anyone else."""
    link = get_object_or_404(
        Guardianship.objects.select_related("user", "child").filter(child__in=children_in_staff_care(user)), pk=pk
    )
    if not can_manage_child(user, link.child):
        raise PermissionDenied(MANAGERS_ONLY)
    return link


def access_guardian_invitation(user: User, pk: int) -> GuardianInvitation:
    """A family invitation not yet accepted, for a child of a nursery the user manages, or 404."""
    return get_object_or_404(pending_guardian_invitations(user), pk=pk)


def access_emergency_contact(user: User, pk: int) -> EmergencyContact:
    """An emergency contact of a child of the user's nurseries, for the managers to change; 403 for
    colleagues, 404 for anyone else."""
    contact = get_object_or_404(
        EmergencyContact.objects.select_related("child").filter(child__in=children_in_staff_care(user)), pk=pk
    )
    if not can_manage_child(user, contact.child):
        raise PermissionDenied(MANAGERS_ONLY)
    return contact


def access_all_about_me(user: User, child_pk: int) -> AllAboutMe:
    """The child's "All about me" (unsaved before induction) for the key person or a manager to fill in;
    403 for other staff, 404 for anyone else."""
    child = access_child(user, child_pk, in_care=True)
    if not may_edit_all_about_me(user, child):
        raise PermissionDenied(KEY_PERSON_OR_MANAGERS)
    return all_about_me_of(child)


def access_home_change(user: User, pk: int) -> HomeChange:
    """A family's change at home for the key person or a manager to read or accept; 403 for other staff,
    404 for anyone else."""
    change = get_object_or_404(
        HomeChange.objects.filter(child__in=children_in_staff_care(user)).select_related("child"), pk=pk
    )
    if not may_edit_all_about_me(user, change.child):
        raise PermissionDenied("Only the child's key person and the managers deal with changes at home.")
    return change
