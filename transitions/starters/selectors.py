"""Reads for settling-in plans, scoped to the person asking: one child's plan with the asker's standing,
the plan's checklist, and the starters who still need a plan."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.models import AllAboutMe, Child
from children.selectors import (
    can_manage_child,
    children_in_staff_care,
    children_of_guardian,
    not_left_by,
    works_at_childs_nursery,
)
from keyworker.selectors import key_person_on
from nursery.models import StaffMember

from ..models import SettlingSession, StarterPlan

# Starters this close to their first day (either side) without a plan are flagged.
STARTER_WINDOW_DAYS = 28

EDITORS_ONLY = "Only a manager or the child's key person can change this settling-in plan."


@dataclass(frozen=True)
class Standing:
    is_staff: bool
    may_write: bool


def starter_key_person(child: Child, today: date | None = None) -> StaffMember | None:
    """The key person today, or, before the first day, the one allocated from it."""
    today = today or timezone.localdate()
    post = key_person_on(child, today)
    if post is None and child.start_date and child.start_date > today:
        post = key_person_on(child, child.start_date)
    return post


def may_edit(user: User, child: Child) -> bool:
    if can_manage_child(user, child):
        return True
    post = starter_key_person(child)
    return post is not None and post.is_active and post.user_id == user.pk


def access_child(user: User, pk: int, *, edit: bool = False) -> tuple[Child, Standing]:
    """Child ``pk`` with the user's standing to its settling-in plan, or 404 (403 for other staff on ``edit``).

    Staff of the child's nursery see it (managers and the key person change it); the child's own family
    see it read-only; nobody else learns the child exists."""
    child = children_in_staff_care(user).filter(pk=pk).first()
    if child is not None:
        standing = Standing(is_staff=True, may_write=may_edit(user, child))
    elif not edit and (child := children_of_guardian(user).filter(pk=pk).first()) is not None:
        standing = Standing(is_staff=False, may_write=False)
    else:
        raise Http404("No such child.")
    if edit and not standing.may_write:
        raise PermissionDenied(EDITORS_ONLY)
    return child, standing


def access_session(user: User, pk: int) -> SettlingSession:
    """A settling session of a child whose plan the user may change, or 404 / 403."""
    sessions = SettlingSession.objects.filter(plan__child__in=children_in_staff_care(user))
    session = get_object_or_404(sessions.select_related("plan__child"), pk=pk)
    access_child(user, session.plan.child_id, edit=True)
    return session


def plan_of(child: Child) -> StarterPlan | None:
    return StarterPlan.objects.filter(child=child).first()


def sessions_of(plan: StarterPlan | None) -> list[SettlingSession]:
    return list(plan.sessions.all()) if plan else []


def all_about_me_is_empty(child: Child) -> bool:
    """Nothing yet from the family about routines, likes and comforts."""
    record = AllAboutMe.objects.filter(child=child).first()
    if record is None:
        return True
    texts = [f.attname for f in AllAboutMe._meta.fields if f.get_internal_type() in ("TextField", "CharField")]
    return not any(str(getattr(record, name) or "").strip() for name in texts)


@dataclass(frozen=True)
class CheckItem:
    label: str
    done: bool
    hint: str = ""


def checklist(child: Child, plan: StarterPlan | None, sessions: list[SettlingSession]) -> list[CheckItem]:
    """What should be in place by the first day, each with what is still to do."""
    starts = child.start_date
    introduced = bool(plan and plan.introduced_on and (starts is None or plan.introduced_on < starts))
    visit = bool(plan and plan.visit_kind and plan.visit_on)
    if plan and plan.introduced_on and not introduced:
        intro_hint = "The key person was introduced on or after the first day: introduce them before it."
    else:
        intro_hint = "Introduce the key person to the family before the first day (visit, photo card or call)."
    return [
        CheckItem("A home visit or stay and play", visit, "" if visit else "Book a home visit or a stay and play."),
        CheckItem("Key person introduced before the first day", introduced, "" if introduced else intro_hint),
        CheckItem(
            "All about me from the family",
            not all_about_me_is_empty(child),
            "Nothing recorded yet: ask the family about routines, likes and comforters.",
        ),
        CheckItem("Settling sessions booked", bool(sessions), "Book the first settling session."),
    ]


def starters_needing_plan(user: User, nursery_id: int, today: date | None = None) -> QuerySet[Child]:
    """Children starting in the next four weeks, or who started in the last four, with no settling-in plan."""
    today = today or timezone.localdate()
    window = timedelta(days=STARTER_WINDOW_DAYS)
    return (
        children_in_staff_care(user)
        .filter(nursery_id=nursery_id, start_date__gte=today - window, start_date__lte=today + window)
        .filter(not_left_by(today), starter_plan__isnull=True)
        .order_by("start_date", "first_name", "pk")
    )


def settling_panel(request: HttpRequest, child: Child) -> dict:
    """The settling-in section of a child's page: staff see it around the first day (or once a plan exists),
    the family once there is a plan to show."""
    user = request.user
    plan = plan_of(child)
    today = timezone.localdate()
    near_start = child.start_date is not None and abs((child.start_date - today).days) <= STARTER_WINDOW_DAYS
    staff = works_at_childs_nursery(user, child)
    return {
        "plan": plan,
        "is_staff": staff,
        "needs_plan": staff and plan is None and near_start,
        "show": plan is not None or (staff and near_start),
    }


def starter_due_items(children: list[Child], today: date) -> dict[int, list[str]]:
    """For "My key children": starters near their first day without a settling-in plan (one query)."""
    window = timedelta(days=STARTER_WINDOW_DAYS)
    near = [c.pk for c in children if c.start_date and abs(c.start_date - today) <= window]
    if not near:
        return {}
    planned = set(StarterPlan.objects.filter(child_id__in=near).values_list("child_id", flat=True))
    return {pk: ["Needs a settling-in plan."] for pk in near if pk not in planned}
