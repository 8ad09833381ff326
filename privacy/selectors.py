"""Reads for privacy, scoped to the person asking: who may ask for a subject access download, fetching one,
the people and children a manager may choose, and the nursery's record history a page at a time."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import User
from children.day.selectors import day_bounds
from children.models import Child, ChildAuditEvent
from children.selectors import can_manage_child, children_of_guardian
from nursery.models import Nursery
from nursery.selectors import managed_nursery_ids

from .models import SubjectAccessExport

HISTORY_PAGE = 50  # events per page of the record history
EXPORTS_LISTED = 100


def children_for_own_export(user: User) -> QuerySet[Child]:
    """Children whose record the user may download: those they hold parental responsibility for (a
    grandparent who collects, or a relative who reads the story, asks the nursery instead)."""
    return children_of_guardian(user, with_parental_responsibility=True).order_by("first_name", "pk")


def access_child_for_own_export(user: User, pk: int) -> Child:
    """One of the user's children with parental responsibility, or 404."""
    return get_object_or_404(children_for_own_export(user), pk=pk)


def access_export(user: User, pk: int) -> SubjectAccessExport:
    """An export the user may follow and download now, checked on every request (a link is no pass): the
    nursery's managers in post today, or the parent who asked while the child is still theirs with parental
    responsibility. 404 for anyone else, e.g. a parent who lost parental responsibility or a manager who left."""
    export = get_object_or_404(
        SubjectAccessExport.objects.select_related("nursery", "child", "person", "requested_by"), pk=pk
    )
    if managed_nursery_ids(user).filter(nursery_id=export.nursery_id).exists():
        return export
    own = (
        export.requested_by_id == user.pk
        and export.person_id in (None, user.pk)
        and (export.child_id is None or children_for_own_export(user).filter(pk=export.child_id).exists())
    )
    if not own:
        raise Http404("No such download.")
    return export


def own_exports(user: User) -> QuerySet[SubjectAccessExport]:
    return SubjectAccessExport.objects.filter(requested_by=user).select_related("nursery")[:20]


def nursery_exports(nursery: Nursery) -> QuerySet[SubjectAccessExport]:
    return SubjectAccessExport.objects.filter(nursery=nursery).select_related("requested_by")[:EXPORTS_LISTED]


def nursery_children(nursery: Nursery) -> QuerySet[Child]:
    """Every child of the nursery, leavers included (a request may come years later)."""
    return Child.objects.filter(nursery=nursery).order_by("first_name", "last_name", "pk")


def nursery_people(nursery: Nursery) -> QuerySet[User]:
    """Everyone the nursery holds data about as a person: its family members and its staff, past and present."""
    return (
        User.objects.filter(Q(guardianships__child__nursery=nursery) | Q(staff_posts__nursery=nursery))
        .distinct()
        .order_by("full_name", "email")
    )


def child_panel(request: HttpRequest, child: Child) -> dict:
    """The child page's "Your information" section: a parent with parental responsibility downloads the
    record; a manager answers a request or reads the record history."""
    if children_for_own_export(request.user).filter(pk=child.pk).exists():
        return {"child": child, "family": True}
    if can_manage_child(request.user, child):
        return {"child": child, "manager": True}
    return {"hidden": True}


@dataclass
class HistoryFilter:
    person: User | None = None
    child: Child | None = None
    since: date | None = None
    until: date | None = None
    action: str = ""


def record_history(nursery: Nursery, chosen: HistoryFilter, *, before: int | None = None) -> tuple[list, bool]:
    """One page of the nursery's record history, newest first, and whether there are older events.

    Keyset pages (``before`` an event's id), never OFFSET or COUNT: each page reads at most
    ``HISTORY_PAGE + 1`` rows through the index on ``at`` (or on the person or child chosen), however
    long the history."""
    events = ChildAuditEvent.objects.filter(child__nursery=nursery)
    if chosen.person:
        events = events.filter(actor=chosen.person)
    if chosen.child:
        events = events.filter(child=chosen.child)
    if chosen.action:
        events = events.filter(action=chosen.action)
    if chosen.since:
        events = events.filter(at__gte=day_bounds(chosen.since)[0])
    if chosen.until:
        events = events.filter(at__lt=day_bounds(chosen.until)[1])
    if before is not None:
        last = ChildAuditEvent.objects.filter(pk=before, child__nursery=nursery).values_list("at", flat=True).first()
        if last is None:
            raise Http404("No such page.")
        events = events.filter(Q(at__lt=last) | Q(at=last, pk__lt=before))
    page = list(events.select_related("actor", "child").order_by("-at", "-pk")[: HISTORY_PAGE + 1])
    return page[:HISTORY_PAGE], len(page) > HISTORY_PAGE
