"""Reads for support plans, who may work on them or read them, and their ``access_*`` fetches.

Plans are sensitive but are not confidential notes: they are shared by the people who work on them with the
family (key person, buddy, managers, the SENCO) and read by parents with parental responsibility. Other
practitioners are not in that circle (they get the strategies from the key person).
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from children import care_team
from children.access import Viewer, access_child
from children.models import Child, SendStatus
from children.selectors import (
    children_visible_to,
    holds_parental_responsibility,
    not_left_by,
    works_at_childs_nursery,
)
from nursery.models import StaffMember

from .models import ParentContribution, SupportPlan, SupportTarget, TargetProgress


def is_senco_at(user: User, nursery_id: int) -> bool:
    return StaffMember.objects.filter(user=user, nursery_id=nursery_id, is_active=True, is_senco=True).exists()


def may_work_on_support_plans(user: User, child: Child) -> bool:
    """The child's key person and buddy, the managers and the SENCO write and read the child's plans."""
    if not user.is_authenticated or not works_at_childs_nursery(user, child):
        return False
    return is_senco_at(user, child.nursery_id) or care_team.is_close_team(user, child)


TEAM_ONLY = "Support plans are for the child's key person and buddy, the managers and the SENCO."


def access_child_for_support_plan(user: User, pk: int) -> Child:
    """A child whose support plans the user works on (to start one); 403 for other staff, 404 for anyone else."""
    child = access_child(user, pk, in_care=True)
    if not may_work_on_support_plans(user, child):
        raise PermissionDenied(TEAM_ONLY)
    return child


def access_support_plan(user: User, pk: int, *, team: bool = False) -> tuple[SupportPlan, Viewer]:
    """A plan and the asker's standing: the child's team, who work on it (``may_write``), or a parent with
    parental responsibility, who reads and adds to it (``is_parent``).

    Other staff of the nursery get 403; anyone else, family members without parental responsibility
    included, 404 as if there were no plan. With ``team`` (the team's own pages), parents get 404 too.
    """
    plan = get_object_or_404(support_plans_visible_to(user), pk=pk)
    child = plan.child
    if may_work_on_support_plans(user, child):
        return plan, Viewer(user=user, is_staff=True, may_write=True)
    if holds_parental_responsibility(user, child):
        if team:
            raise Http404
        return plan, Viewer(user=user, is_staff=works_at_childs_nursery(user, child), is_parent=True)
    if works_at_childs_nursery(user, child):
        raise PermissionDenied(TEAM_ONLY)
    raise Http404


def support_plans_visible_to(user: User) -> QuerySet[SupportPlan]:
    """Plans of children the user can see at all (other nurseries and families are never in it)."""
    return SupportPlan.objects.filter(child__in=children_visible_to(user)).select_related(
        "child__nursery", "child__room"
    )


def support_plans_of(child: Child) -> QuerySet[SupportPlan]:
    """A child's plans, active first, each with its count of open targets."""
    return child.support_plans.annotate(
        open_targets=Count("targets", filter=Q(targets__status=SupportTarget.Status.OPEN))
    ).order_by("status", "next_review_on")


def plan_details(plan: SupportPlan) -> dict:
    """Everything on a plan's page, in a fixed number of queries."""
    return {
        "targets": list(plan.targets.all()),
        "reviews": list(
            plan.reviews.select_related("recorded_by").prefetch_related(
                Prefetch("progress", queryset=TargetProgress.objects.select_related("target"))
            )
        ),
        "contributions": list(plan.contributions.select_related("author")),
    }


def children_with_support_needs(nursery_id: int, day: date) -> list[Child]:
    """The SENCO's list: children still here with SEN support, an EHC plan or an active plan.

    Each child has ``active_plans`` (with ``open_targets``) and ``next_review`` (the soonest), soonest first.
    """
    active = SupportPlan.objects.filter(status=SupportPlan.Status.ACTIVE).annotate(
        open_targets=Count("targets", filter=Q(targets__status=SupportTarget.Status.OPEN))
    )
    children = list(
        Child.objects.filter(not_left_by(day), nursery_id=nursery_id)
        .filter(~Q(send_status=SendStatus.NONE) | Q(support_plans__status=SupportPlan.Status.ACTIVE))
        .distinct()
        .select_related("room")
        .prefetch_related(Prefetch("support_plans", queryset=active.order_by("next_review_on"), to_attr="active_plans"))
    )
    for child in children:
        child.next_review = child.active_plans[0].next_review_on if child.active_plans else None
    return sorted(children, key=lambda c: (c.next_review is None, c.next_review or day, c.first_name))


def unread_plan_contributions_for(child_ids: Iterable[int]) -> dict[int, int]:
    """Families' plan contributions no one on the team has read yet, counted per child in one query."""
    rows = (
        ParentContribution.objects.filter(plan__child_id__in=list(child_ids), read_at__isnull=True)
        .values("plan__child_id")
        .annotate(n=Count("pk"))
    )
    return {row["plan__child_id"]: row["n"] for row in rows}
