"""Reads for absences families report: who may report, the ``access_absence`` fetch, and who is off when.

Illness details are health data: a report is read by the child's family (those with parental
responsibility) and by the staff of the child's nursery, nobody else; another nursery's or family's
report answers 404.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.models import Child, Guardianship
from children.selectors import children_in_staff_care, children_of_guardian

from .models import Absence


def reporting_family(child: Child) -> QuerySet[Guardianship]:
    """The family members who may tell the nursery their child is off: those with parental responsibility."""
    return child.guardianships.filter(has_parental_responsibility=True, user__is_active=True).select_related("user")


def may_report_for(user: User, child: Child) -> bool:
    """A family member with parental responsibility for a child who has not left."""
    if child.has_left():
        return False
    return children_of_guardian(user, with_parental_responsibility=True).filter(pk=child.pk).exists()


def children_to_report_for(user: User) -> list[Child]:
    """The user's own children they may report off (not leavers), by name."""
    today = timezone.localdate()
    children = children_of_guardian(user, with_parental_responsibility=True).order_by("first_name", "last_name")
    return [child for child in children if not child.has_left(today)]


def readable_absences(user: User) -> QuerySet[Absence]:
    """Reports about children of the user's nurseries (staff) or of their own children (with parental
    responsibility)."""
    own = children_of_guardian(user, with_parental_responsibility=True).values("pk")
    staff = children_in_staff_care(user).values("pk")
    return Absence.objects.filter(Q(child__in=own) | Q(child__in=staff)).select_related("child", "reported_by")


def access_absence(user: User, pk: int) -> Absence:
    """A report the user may read and change (their own child's, or a child of their nursery), or 404."""
    return get_object_or_404(readable_absences(user).select_related("child__nursery"), pk=pk)


def active(absences: QuerySet[Absence]) -> QuerySet[Absence]:
    return absences.filter(cancelled_at__isnull=True)


def upcoming_absences(child: Child, today: date | None = None) -> QuerySet[Absence]:
    """The child's reports not cancelled that still cover today or a day to come, soonest first."""
    today = today or timezone.localdate()
    return active(child.absences.filter(last_day__gte=today)).select_related("reported_by").order_by("first_day")


def clashing_absence(child: Child, first_day: date, last_day: date, *, besides: int | None = None) -> Absence | None:
    """A report already covering part of these days (other than the one being changed)."""
    return (
        active(child.absences.filter(first_day__lte=last_day, last_day__gte=first_day))
        .exclude(pk=besides)
        .order_by("first_day")
        .first()
    )


def absences_on(child_ids: Iterable[int], day: date) -> dict[int, Absence]:
    """Each of these children's report covering the day, in one query."""
    found: dict[int, Absence] = {}
    for absence in active(
        Absence.objects.filter(child_id__in=list(child_ids), first_day__lte=day, last_day__gte=day)
    ).select_related("reported_by"):
        found.setdefault(absence.child_id, absence)
    return found


def absences_between(nursery_id: int, first: date, last: date) -> dict[int, list[Absence]]:
    """Each child's reports overlapping the days, for one nursery, in one query."""
    found: dict[int, list[Absence]] = defaultdict(list)
    for absence in active(
        Absence.objects.filter(child__nursery_id=nursery_id, first_day__lte=last, last_day__gte=first)
    ).select_related("reported_by"):
        found[absence.child_id].append(absence)
    return found


def upcoming_absences_for(child_ids: Iterable[int], today: date, *, days: int = 14) -> dict[int, list[Absence]]:
    """Each child's reports covering today or the coming ``days``, soonest first, in one query (the key
    person's dashboard)."""
    found: dict[int, list[Absence]] = defaultdict(list)
    for absence in (
        active(
            Absence.objects.filter(
                child_id__in=list(child_ids), last_day__gte=today, first_day__lte=today + timedelta(days=days)
            )
        )
        .select_related("reported_by")
        .order_by("first_day", "pk")
    ):
        found[absence.child_id].append(absence)
    return found
