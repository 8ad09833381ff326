"""Reads for transition plans, scoped to the person asking: one plan (or visit) with the asker's standing,
lists, one plan's parts, the child page's panel."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.access import Viewer
from children.models import Child
from children.selectors import (
    can_manage_child,
    children_in_staff_care,
    children_of_guardian,
    guardian_link,
    works_at_childs_nursery,
)
from core.models import OutgoingMail
from core.outbox import mail_statuses
from keyworker.selectors import key_person_on
from nursery.models import Room
from nursery.rooms import names
from nursery.selectors import staff_nursery_ids

from ..models import HandoverNote, TransitionPlan, TrialVisit

# How far ahead the managers' list looks, and how long a completed plan stays on it and on the child's page.
RECENT_DAYS = 30


def plans_for_staff(user: User) -> QuerySet[TransitionPlan]:
    """Plans for children at the nurseries where the user works."""
    return TransitionPlan.objects.filter(child__nursery_id__in=staff_nursery_ids(user)).select_related(
        "child__nursery",
        "from_room",
        "to_room",
        "from_key_person__user",
        "to_key_person__user",
    )


def plans_for_family(user: User) -> QuerySet[TransitionPlan]:
    """Plans for the user's own children (while the family may still read their record), never cancelled ones."""
    return (
        TransitionPlan.objects.filter(child__in=children_of_guardian(user))
        .exclude(status=TransitionPlan.Status.CANCELLED)
        .select_related("child__nursery", "from_room", "to_room", "to_key_person__user")
    )


EDITORS_ONLY = "Only a manager or the child's key person can change this plan."


def access_plan(user: User, pk: int, *, staff: bool = False, edit: bool = False) -> tuple[TransitionPlan, Viewer]:
    """Plan ``pk`` with the user's standing to it, or 404.

    Staff of the child's nursery see the whole plan (``may_write``: a manager or one of the child's key
    persons; ``may_manage``: a manager); the child's family see it in plain words, unless ``staff``. With
    ``edit``, only those who may change it: the family gets 404, other staff 403.
    """
    plan = plans_for_staff(user).filter(pk=pk).first()
    if plan is not None:
        manages = can_manage_child(user, plan.child)
        writes = manages or is_plan_key_person(user, plan)
        viewer = Viewer(user=user, is_staff=True, may_write=writes, may_manage=manages)
    elif not (staff or edit) and (plan := plans_for_family(user).filter(pk=pk).first()) is not None:
        link = guardian_link(user, plan.child)
        viewer = Viewer(
            user=user,
            is_staff=False,
            is_parent=link.has_parental_responsibility,
            family_child_ids=frozenset({plan.child_id}),
            can_contribute=link.can_contribute,
        )
    else:
        raise Http404("No such plan.")
    if edit and not viewer.may_write:
        raise PermissionDenied(EDITORS_ONLY)
    return plan, viewer


def access_visit(user: User, pk: int) -> tuple[TrialVisit, Viewer]:
    """A trial visit of a plan the user may change (see ``access_plan``), or 404 / 403."""
    visit = get_object_or_404(TrialVisit.objects.filter(plan__in=plans_for_staff(user)), pk=pk)
    visit.plan, viewer = access_plan(user, visit.plan_id, edit=True)
    return visit, viewer


def access_child_for_planning(user: User, pk: int) -> Child:
    """A child of the user's nursery whose move the user may plan (a manager or the key person), or 404 / 403."""
    child = get_object_or_404(children_in_staff_care(user), pk=pk)
    if not may_plan_for(user, child):
        raise PermissionDenied("Only a manager or the child's key person can plan a move.")
    return child


def move_mail_prefix(plan_id: int) -> str:
    """The outbox keys of the family's e-mails about a move start so; each ends with the recipient's id."""
    return f"move:{plan_id}:"


def family_told_by_email(plan: TransitionPlan) -> bool:
    """Every e-mail to the family about the move has gone (read from the outbox, in one query)."""
    statuses = mail_statuses(prefix=move_mail_prefix(plan.pk)).values()
    return bool(statuses) and all(status == OutgoingMail.Status.SENT for status in statuses)


def is_plan_key_person(user: User, plan: TransitionPlan) -> bool:
    """The child's key person today, or the plan's current or new key person."""
    posts = [plan.from_key_person, plan.to_key_person, key_person_on(plan.child)]
    return any(post is not None and post.is_active and post.user_id == user.pk for post in posts)


def may_plan_for(user: User, child: Child) -> bool:
    """Managers, and the child's key person, start a plan."""
    if can_manage_child(user, child):
        return True
    post = key_person_on(child)
    return post is not None and post.is_active and post.user_id == user.pk


def open_plan_of(child: Child) -> TransitionPlan | None:
    return child.transition_plans.filter(status__in=TransitionPlan.OPEN_STATUSES).first()


def suggested_room(child: Child, on: date) -> Room | None:
    """The room whose age range fits the child on the move date, else the next room up from theirs."""
    rooms = Room.objects.filter(nursery_id=child.nursery_id).active(on).exclude(pk=child.room_id)
    months = child.age_in_months(on)
    fits = rooms.filter(min_age_months__lte=months, max_age_months__gte=months).first() if months is not None else None
    if fits is None and child.room is not None:
        return rooms.filter(min_age_months__gt=child.room.min_age_months).first()
    return fits


def visits_of(plan: TransitionPlan) -> list[TrialVisit]:
    return list(plan.trial_visits.select_related("accompanied_by__user"))


def handover_notes_of(plan: TransitionPlan) -> QuerySet[HandoverNote]:
    return plan.handover_notes.select_related("author")


def is_confident(visits: list[TrialVisit]) -> bool:
    """Confident when the latest visit that has happened went confidently."""
    done = [visit for visit in visits if visit.outcome]
    return bool(done) and done[-1].outcome == TrialVisit.Outcome.CONFIDENT


def plan_rows(user: User, nursery_id: int) -> list[TransitionPlan]:
    """The managers' list: open plans, and plans completed in the last month, each with its state, in one query."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return list(
        plans_for_staff(user)
        .filter(Q(status__in=TransitionPlan.OPEN_STATUSES) | Q(completed_at__gte=since), child__nursery_id=nursery_id)
        .annotate(
            visit_count=Count("trial_visits", distinct=True),
            visits_done=Count("trial_visits", filter=~Q(trial_visits__outcome=""), distinct=True),
            has_handover=Exists(HandoverNote.objects.filter(plan=OuterRef("pk"))),
        )
        .select_related("report")
        .order_by("planned_on", "pk")
    )


def child_panel(request: HttpRequest, child: Child) -> dict:
    """The transitions section of a child's page: the open plan, or one completed lately."""
    user = request.user
    plans = plans_for_staff(user) if works_at_childs_nursery(user, child) else plans_for_family(user)
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    plan = (
        plans.filter(child=child)
        .filter(Q(status__in=TransitionPlan.OPEN_STATUSES) | Q(completed_at__gte=since))
        .order_by("-pk")
        .first()
    )
    return {"plan": plan, "can_plan": plan is None and may_plan_for(user, child)}


def moves_into_room(room: Room, day: date) -> str:
    """For ``nursery.rooms``' archive checks: the children with an open plan to move into ``room`` (which an
    archived room could not take), as a sentence saying what to do; "" when there are none."""
    plans = TransitionPlan.objects.filter(
        to_room=room, kind=TransitionPlan.Kind.ROOM_MOVE, status__in=TransitionPlan.OPEN_STATUSES
    ).select_related("child")
    if not plans:
        return ""
    moves = names(f"{plan.child.display_name} (on {plan.planned_on:%-d %B %Y})" for plan in plans)
    return f"{moves} {'is' if len(plans) == 1 else 'are'} planned to move into it: change or cancel the plan first."
