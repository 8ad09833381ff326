"""Reads for the key person system: key person spells, key groups, key children, family notices, who may
read confidential notes; ``access_key_person`` and ``access_confidential_notes`` fetch for the pages."""

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, DateField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.models import Child
from children.selectors import can_manage_child, children_in_staff_care, children_of_guardian, not_left_by
from nursery.models import Nursery, StaffMember
from nursery.selectors import staff_visible_to

from .models import KeyPersonAssignment, KeyPersonNotice


def in_post_on(day, prefix: str = "key_person__") -> Q:
    """The condition "the post (reached through ``prefix``) is held on ``day``" (a date or an OuterRef), as
    ``StaffMember.objects.in_post`` has it: not removed, and the leaving date not reached."""
    return Q(**{f"{prefix}is_active": True}) & (
        Q(**{f"{prefix}leaves_on__isnull": True}) | Q(**{f"{prefix}leaves_on__gt": day})
    )


def assignments_on(day: date) -> QuerySet[KeyPersonAssignment]:
    return KeyPersonAssignment.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


def spell_on(child: Child, day: date | None = None) -> KeyPersonAssignment | None:
    """The child's key person spell on a day (today by default), with the key person and buddies loaded."""
    return (
        assignments_on(day or timezone.localdate())
        .filter(child=child)
        .select_related("key_person__user", "buddy__user", "key_person__key_group__buddy__user")
        .order_by("-starts_on")
        .first()
    )


def key_person_on(child: Child, day: date | None = None) -> StaffMember | None:
    """The child's key person on a day (today by default)."""
    spell = spell_on(child, day)
    return spell.key_person if spell else None


def key_children_of(user: User, day: date | None = None) -> QuerySet[Child]:
    """The children whose key person the user is on a day, in the nurseries where they work."""
    day = day or timezone.localdate()
    spells = assignments_on(day).filter(in_post_on(day), key_person__user=user)
    return children_in_staff_care(user).filter(pk__in=spells.values("child_id")).order_by("first_name")


def key_children_and_starters_of(user: User, day: date | None = None) -> QuerySet[Child]:
    """The user's key children on a day, and the starters already allocated to them."""
    day = day or timezone.localdate()
    upcoming = KeyPersonAssignment.objects.filter(
        in_post_on(day), key_person__user=user, starts_on__gt=day, ends_on__isnull=True
    )
    return (
        key_children_of(user, day) | children_in_staff_care(user).filter(pk__in=upcoming.values("child_id"))
    ).order_by("first_name")


def _key_person_day(day: date) -> Greatest:
    """The day a child needs a key person from: today, or their first day if they have not started."""
    today = Value(day, output_field=DateField())
    return Greatest(today, Coalesce("start_date", today))


def children_without_key_person(user: User, day: date | None = None) -> QuerySet[Child]:
    """Children here or starting who have no key person on the day (or on their first day): a hole.

    A key person who has left by then (leaving date reached, or removed) leaves a hole too: such children
    carry ``former_key_person`` (their name) and ``former_leaves_on`` (their leaving date, if any).
    """
    day = day or timezone.localdate()
    covering = KeyPersonAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("key_person_day")),
        child=OuterRef("pk"),
        starts_on__lte=OuterRef("key_person_day"),
    )
    former = covering.order_by("-starts_on")
    return (
        children_in_staff_care(user)
        .filter(not_left_by(day))
        .annotate(key_person_day=_key_person_day(day))
        .exclude(Exists(covering.filter(in_post_on(OuterRef("key_person_day")))))
        .annotate(
            former_key_person=Subquery(former.values("key_person__user__full_name")[:1]),
            former_leaves_on=Subquery(former.values("key_person__leaves_on")[:1]),
        )
        .order_by("start_date", "first_name")
    )


def starters_without_key_person(user: User, day: date | None = None, *, within_days: int = 14) -> QuerySet[Child]:
    """Children starting soon (or with no start date yet) who have no key person for their first day."""
    day = day or timezone.localdate()
    return children_without_key_person(user, day).filter(
        Q(start_date__isnull=True) | Q(start_date__gt=day, start_date__lte=day + timedelta(days=within_days))
    )


def buddy_for(spell: KeyPersonAssignment) -> StaffMember | None:
    """The child's own buddy, or else their key person's group buddy."""
    if spell.buddy_id:
        return spell.buddy
    group = getattr(spell.key_person, "key_group", None)  # no KeyGroup row: no group buddy
    return group.buddy if group else None


def key_group_spells(nursery: Nursery, day: date | None = None) -> QuerySet[KeyPersonAssignment]:
    """Spells that put a child in a key group on the day: current ones, and starters already allocated."""
    day = day or timezone.localdate()
    return KeyPersonAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), key_person__nursery=nursery
    ).filter(Q(child__leave_date__isnull=True) | Q(child__leave_date__gte=day))


def key_group_sizes(nursery: Nursery, day: date | None = None) -> dict[int, int]:
    """How many children each member of staff is key person for, counting starters already allocated."""
    counts = (
        key_group_spells(nursery, day).order_by().values_list("key_person_id").annotate(Count("child", distinct=True))
    )
    return dict(counts)


def key_groups(nursery: Nursery, day: date | None = None) -> list[StaffMember]:
    """Every key person's group (anyone who may be a key person, managers included):  ``size``, ``limit``,
    ``buddy``, ``over_limit`` and ``has_left`` set on each person."""
    day = day or timezone.localdate()
    sizes = key_group_sizes(nursery, day)
    candidates = StaffMember.objects.key_person_candidates(day).filter(nursery=nursery)
    people = list(
        # Someone who has left still shows while they have key children, so the group can be moved.
        StaffMember.objects.filter(Q(pk__in=candidates.values("pk")) | Q(pk__in=list(sizes)), nursery=nursery)
        .select_related("user", "room", "key_group__buddy__user")
        .order_by("room__min_age_months", "user__full_name")
    )
    for person in people:
        person.has_left = not (person.is_active and (person.leaves_on is None or person.leaves_on > day))
        group = getattr(person, "key_group", None)
        person.size = sizes.get(person.pk, 0)
        person.limit = group.size_limit if group else None
        person.buddy = group.buddy if group else None
        person.over_limit = person.limit is not None and person.size > person.limit
    return people


def assignment_history(child: Child) -> QuerySet[KeyPersonAssignment]:
    return child.key_person_assignments.select_related("key_person__user", "buddy__user", "created_by").order_by(
        "-starts_on"
    )


def key_spells_for_guardian(user: User, day: date | None = None) -> dict[int, KeyPersonAssignment]:
    """Each of the user's children's key person spell today (with buddies), keyed by child id, in one query."""
    spells = (
        assignments_on(day or timezone.localdate())
        .filter(child__in=children_of_guardian(user))
        .select_related("key_person__user", "buddy__user", "key_person__key_group__buddy__user")
    )
    return {spell.child_id: spell for spell in spells}


def _is_post_of(post: StaffMember | None, user: User) -> bool:
    """Whether ``post`` is the user's, and held today (not left)."""
    if post is None or post.user_id != user.pk or not post.is_active:
        return False
    return post.leaves_on is None or post.leaves_on > timezone.localdate()


def key_children_among(user: User, children: Sequence[Child]) -> set[int]:
    """The ids of those of ``children`` whose key person the user is today, in one query: each child's
    latest spell today decides, as ``key_person_on`` has it."""
    spells = (
        assignments_on(timezone.localdate())
        .filter(child_id__in=[child.pk for child in children])
        .select_related("key_person")
        .order_by("child_id", "-starts_on")
    )
    latest: dict[int, KeyPersonAssignment] = {}
    for spell in spells:
        latest.setdefault(spell.child_id, spell)
    return {child_id for child_id, spell in latest.items() if _is_post_of(spell.key_person, user)}


def is_key_person(user: User, child: Child) -> bool:
    """Whether the user is the child's key person today."""
    return child.pk in key_children_among(user, [child])


def may_read_confidential_notes(user: User, child: Child) -> bool:
    """Confidential family notes: the nursery's managers and the child's key persons only (privacy rule 4).

    The key persons are the key person and the buddy who shares the child's care as co-key person.
    """
    if not user.is_authenticated:
        return False
    if can_manage_child(user, child):
        return True
    spell = spell_on(child)
    return spell is not None and (_is_post_of(spell.key_person, user) or _is_post_of(buddy_for(spell), user))


def key_person_notices_for_guardian(user: User, *, days: int = 30) -> list[KeyPersonNotice]:
    """The newest change of key person per child of the user in the last ``days`` days."""
    notices = KeyPersonNotice.objects.filter(
        assignment__child__in=children_of_guardian(user), created_at__gte=timezone.now() - timedelta(days=days)
    ).select_related("assignment__child", "assignment__key_person__user")
    newest: dict[int, KeyPersonNotice] = {}
    for notice in notices:  # newest first
        newest.setdefault(notice.assignment.child_id, notice)
    return list(newest.values())


def child_panel(request: HttpRequest, child: Child) -> dict:
    """The key person section of a child's page: key person and buddy today (for a child who has left, the key
    person of the last day, and no buddy), and the booked sessions."""
    left = child.has_left()
    spell = spell_on(child, child.leave_date if left else None)
    return {
        "key_person": spell.key_person if spell else None,
        "buddy": buddy_for(spell) if spell and not left else None,
        "bookings": child.bookings.select_related("session"),
        "can_manage": can_manage_child(request.user, child),
    }


def access_key_person(user: User, pk: int, *, nursery: Nursery) -> StaffMember:
    """A member of staff of ``nursery`` (the manager's own), whose key group the page is about, or 404."""
    return get_object_or_404(staff_visible_to(user).filter(nursery=nursery), pk=pk)


def access_confidential_notes(user: User, pk: int) -> Child:
    """The child whose confidential notes the user may read, or 404 for anyone not on the nursery's staff;
    a colleague who is not the child's key person, buddy or a manager gets 403 (privacy rule 4)."""
    child = get_object_or_404(children_in_staff_care(user), pk=pk)
    if not may_read_confidential_notes(user, child):
        raise PermissionDenied("Confidential notes are for the child's key person and the managers.")
    return child
