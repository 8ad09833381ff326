"""Reads for the progress check at age two: who is due, who may write it, and the checks a viewer may open."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children import care_team
from children.access import Viewer
from children.models import Child, months_between
from children.selectors import (
    can_manage_child,
    children_in_staff_care,
    children_of_guardian,
    children_on_roll,
    not_left_by,
)
from nursery.selectors import staff_nursery_ids

from ..framework.selectors import current_framework_for
from ..models import Area, Assessment, Observation, ProgressCheck

# The statutory window: from the second birthday until the day before the third (24 to 35 whole months).
CHECK_DUE_FROM_MONTHS = 24
# Fewer than three months left before the window closes: the check is overdue and goes to the top.
CHECK_OVERDUE_FROM_MONTHS = 33
CHECK_WINDOW_ENDS_MONTHS = 36


def months_after(born: date, months: int) -> date:
    """The day a child born on ``born`` is ``months`` old, as ``months_between`` counts it: a child
    born on 29 February (or the 31st) turns a month older on the last day of a shorter month."""
    year, month = divmod(born.year * 12 + born.month - 1 + months, 12)
    return date(year, month + 1, min(born.day, monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class CheckDue:
    """A child whose progress check at two is still to be shared with the family."""

    child: Child
    months: int
    overdue: bool
    window_closes: date  # the third birthday: the check must be done before it
    check: ProgressCheck | None  # a draft already started


def progress_checks_due(children: QuerySet[Child], *, on: date) -> list[CheckDue]:
    """Children on roll on ``on``, aged 24 to 35 months, with no check shared with the family or completed.

    Overdue (33 months or more) first, then by age, oldest first. Two queries whatever the number of
    children. A child on their third birthday is no longer listed: the statutory window has closed.
    """
    candidates = list(
        children.filter(
            not_left_by(on),
            start_date__lte=on,
            # A loose window in the database; ``months_between`` decides exactly below.
            date_of_birth__lte=on - timedelta(days=700),
            date_of_birth__gt=on - timedelta(days=1130),
        )
        .exclude(progress_checks__status__in=[ProgressCheck.Status.SHARED, ProgressCheck.Status.COMPLETED])
        .order_by("date_of_birth", "pk")
    )
    in_window = [
        (child, months)
        for child in candidates
        if CHECK_DUE_FROM_MONTHS <= (months := months_between(child.date_of_birth, on)) < CHECK_WINDOW_ENDS_MONTHS
    ]
    drafts = {
        check.child_id: check
        for check in ProgressCheck.objects.filter(
            child__in=[child for child, _ in in_window], status=ProgressCheck.Status.DRAFT
        ).order_by("child", "-pk")
    }
    return [
        CheckDue(
            child=child,
            months=months,
            overdue=months >= CHECK_OVERDUE_FROM_MONTHS,
            window_closes=months_after(child.date_of_birth, CHECK_WINDOW_ENDS_MONTHS),
            check=drafts.get(child.pk),
        )
        for child, months in in_window
    ]


def missed_progress_checks(children: QuerySet[Child], *, on: date) -> list[Child]:
    """Children on roll on ``on`` who turned three here without a check shared with their family: the
    window has closed, but the key person should know (and may still write it). One query."""
    candidates = children.filter(
        not_left_by(on), start_date__lte=on, date_of_birth__lte=on - timedelta(days=3 * 365)
    ).exclude(progress_checks__status__in=[ProgressCheck.Status.SHARED, ProgressCheck.Status.COMPLETED])
    return [
        child
        for child in candidates.order_by("date_of_birth", "pk")
        if months_between(child.date_of_birth, on) >= CHECK_WINDOW_ENDS_MONTHS
        and child.start_date < months_after(child.date_of_birth, CHECK_WINDOW_ENDS_MONTHS)
    ]


def progress_checks_for_staff(user: User) -> QuerySet[ProgressCheck]:
    """Checks of children at the nurseries where the user works."""
    return ProgressCheck.objects.filter(child__nursery_id__in=staff_nursery_ids(user))


def progress_checks_for_family(user: User) -> QuerySet[ProgressCheck]:
    """Checks shared with the user as a parent with parental responsibility (never a draft), while the
    family may still read the child's record (a leaver's family loses them with the rest of it)."""
    return ProgressCheck.objects.filter(
        child__in=children_of_guardian(user, with_parental_responsibility=True),
        status__in=[ProgressCheck.Status.SHARED, ProgressCheck.Status.COMPLETED],
    )


WRITERS_ONLY = "The child's key person or a manager writes the progress check."


def access_progress_check(user: User, pk: int, *, write: bool = False) -> tuple[ProgressCheck, Viewer]:
    """A check the user may open, with their standing: staff of the child's nursery (``may_write`` for the
    key person and managers, ``is_parent`` too for a practitioner whose own child it is), or a parent with
    parental responsibility once it is shared. Another family or nursery, and a family asking for a draft,
    get 404. With ``write``, staff who may not write it and parents get 403."""
    related = ("child__nursery", "child__room", "written_by")
    check = progress_checks_for_staff(user).select_related(*related).filter(pk=pk).first()
    if check is not None:
        viewer = Viewer(
            user=user,
            is_staff=True,
            may_write=may_write_progress_check(user, check.child),
            is_parent=progress_checks_for_family(user).filter(pk=pk).exists(),
        )
    else:
        check = get_object_or_404(progress_checks_for_family(user).select_related(*related), pk=pk)
        viewer = Viewer(user=user, is_staff=False, is_parent=True)
    if write and not viewer.may_write:
        raise PermissionDenied(WRITERS_ONLY)
    return check, viewer


def access_child_to_check(user: User, pk: int) -> Child:
    """A child on roll whose progress check the user may write (start): 404 for another nursery's child,
    403 for a colleague who is not the key person."""
    child = get_object_or_404(children_on_roll(user), pk=pk)
    if not may_write_progress_check(user, child):
        raise PermissionDenied(WRITERS_ONLY)
    return child


def may_write_progress_check(user: User, child: Child) -> bool:
    """The key person writes the check (their duty); managers may too, e.g. when the key person is away."""
    return can_manage_child(user, child) or care_team.is_key_person(user, child)


def prime_areas_for(nursery_id: int) -> list[Area]:
    """The three prime areas of the nursery's framework: the progress check summarises these."""
    return list(current_framework_for(nursery_id).areas.filter(kind=Area.Kind.PRIME).order_by("order"))


def evidence_for_check(child: Child, *, since: date) -> list[Observation]:
    """Recent published observations of the child tagged with a prime area, to write the check beside."""
    return list(
        Observation.objects.filter(
            child_links__child=child, status=Observation.Status.PUBLISHED, observed_at__date__gte=since
        )
        .filter(areas__kind=Area.Kind.PRIME)
        .distinct()
        .prefetch_related("areas")
        .order_by("-observed_at")[:12]
    )


def latest_assessments_for_check(child: Child) -> list[Assessment]:
    """The child's latest assessment in each prime area (the "assess" pages write them)."""
    latest: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(child=child, area__kind=Area.Kind.PRIME)
        .select_related("area", "point", "band")
        .order_by("-assessed_on", "-pk")
    ):
        latest.setdefault(assessment.area_id, assessment)
    return list(latest.values())


def progress_check_panel(request, child: Child) -> dict:
    """The child page's progress check section: due/overdue and the checks the viewer may open."""
    user = request.user
    if children_in_staff_care(user).filter(pk=child.pk).exists():
        checks = list(ProgressCheck.objects.filter(child=child))
        [due] = progress_checks_due(Child.objects.filter(pk=child.pk), on=timezone.localdate()) or [None]
        return {
            "child": child,
            "is_staff": True,
            "checks": checks,
            "due": due,
            "may_write": may_write_progress_check(user, child),
            "hidden": not checks and due is None,  # a baby, or a child past three with no check here
        }
    checks = list(progress_checks_for_family(user).filter(child=child))
    return {"child": child, "is_staff": False, "checks": checks, "hidden": not checks}
