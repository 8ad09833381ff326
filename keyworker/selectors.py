"""Reads for the key person system."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from children.models import Child
from children.selectors import can_manage_child, children_in_staff_care, children_of_guardian, not_left_by
from nursery.models import StaffMember

from .models import KeyPersonAssignment


def assignments_on(day: date) -> QuerySet[KeyPersonAssignment]:
    return KeyPersonAssignment.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


def key_person_on(child: Child, day: date | None = None) -> StaffMember | None:
    """The child's key person on a day (today by default)."""
    spell = (
        assignments_on(day or timezone.localdate())
        .filter(child=child)
        .select_related("key_person__user")
        .order_by("-starts_on")
        .first()
    )
    return spell.key_person if spell else None


def key_children_of(user: User, day: date | None = None) -> QuerySet[Child]:
    """The children whose key person the user is on a day, in the nurseries where they work."""
    spells = assignments_on(day or timezone.localdate()).filter(key_person__user=user, key_person__is_active=True)
    return children_in_staff_care(user).filter(pk__in=spells.values("child_id")).order_by("first_name")


def children_without_key_person(user: User, day: date | None = None) -> QuerySet[Child]:
    """Children attending or starting with no key person on the day: a hole in the system."""
    day = day or timezone.localdate()
    covered = assignments_on(day).values("child_id")
    return (
        children_in_staff_care(user)
        .exclude(pk__in=covered)
        .filter(not_left_by(day))
        .order_by("start_date", "first_name")
    )


def key_people_for_guardian(user: User, day: date | None = None) -> dict[int, StaffMember]:
    """Each of the user's children's key person today, keyed by child id, in one query."""
    spells = (
        assignments_on(day or timezone.localdate())
        .filter(child__in=children_of_guardian(user))
        .select_related("key_person__user")
    )
    return {spell.child_id: spell.key_person for spell in spells}


def is_key_person(user: User, child: Child) -> bool:
    """Whether the user is the child's key person today."""
    key_person = key_person_on(child)
    return key_person is not None and key_person.is_active and key_person.user_id == user.pk


def may_read_confidential_notes(user: User, child: Child) -> bool:
    """Confidential family notes: the nursery's managers and the child's key person only (privacy rule 4).

    The one place this rule lives: a buddy / co-key person is added here.
    """
    return user.is_authenticated and (can_manage_child(user, child) or is_key_person(user, child))
