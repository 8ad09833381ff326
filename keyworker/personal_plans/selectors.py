"""Reads for personal plans, who may write or read them, and the flags on the key person's and manager's pages.

Who writes: the child's key person, their buddy (co-key person) and the nursery's managers. Who reads: every
member of staff at the child's nursery (a room practitioner needs the child's routines, comforts and health
needs to care for them), and the family members with parental responsibility, who also comment and agree.
"""

from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from children.access import Viewer, access_child
from children.models import Child
from children.selectors import children_visible_to, holds_parental_responsibility, works_at_childs_nursery
from learning_stories.models import NextStep

from ..selectors import may_read_confidential_notes
from .models import PersonalPlan


def may_write_personal_plan(user: User, child: Child) -> bool:
    """The key person, the buddy and the managers keep the plan up, while the child is at the nursery."""
    return not child.has_left() and may_read_confidential_notes(user, child)


def _standing(user: User, child: Child) -> Viewer:
    """Staff of the child's nursery read (the close team writes); parents with parental responsibility read
    and respond; anyone else (a grandparent who collects, another family) gets 404 as if there were no plan."""
    if works_at_childs_nursery(user, child):
        return Viewer(user=user, is_staff=True, may_write=may_write_personal_plan(user, child))
    if holds_parental_responsibility(user, child):
        return Viewer(user=user, is_staff=False, is_parent=True)
    raise Http404


def access_child_for_personal_plan(user: User, pk: int) -> tuple[Child, Viewer]:
    child = access_child(user, pk)
    return child, _standing(user, child)


def access_plan_version(user: User, pk: int) -> tuple[PersonalPlan, Viewer]:
    plan = get_object_or_404(
        PersonalPlan.objects.filter(child__in=children_visible_to(user)).select_related("child__nursery"), pk=pk
    )
    return plan, _standing(user, plan.child)


def plans_of(child: Child) -> list[PersonalPlan]:
    """The child's plan versions, newest (the current plan) first."""
    return list(child.personal_plans.select_related("created_by", "updated_by").order_by("-version"))


def current_plan(child: Child) -> PersonalPlan | None:
    return child.personal_plans.order_by("-version").first()


def open_next_steps(child: Child) -> QuerySet[NextStep]:
    """The child's open next steps from their learning story, offered as the plan's learning focuses."""
    return NextStep.objects.filter(child=child, status=NextStep.Status.OPEN).order_by("-created_at", "-pk")


def plan_details(plan: PersonalPlan) -> dict:
    return {
        "linked_steps": list(plan.next_steps.all()),
        "responses": list(plan.responses.select_related("author")),
    }


def with_plan_review(children: QuerySet[Child]) -> QuerySet[Child]:
    """Annotate ``plan_review_on``: the current plan's next review date, None when the child has no plan
    (one subquery inside the list's own query, so a list of any length costs nothing more)."""
    newest = PersonalPlan.objects.filter(child=OuterRef("pk")).order_by("-version").values("next_review_on")[:1]
    return children.annotate(plan_review_on=Subquery(newest))


def needs_plan_attention(today: date) -> Q:
    """For a ``with_plan_review`` list: no plan yet, or its review date has passed."""
    return Q(plan_review_on__isnull=True) | Q(plan_review_on__lt=today)


def plan_due_item(child: Child, today: date) -> str:
    """The key person's reminder for a child annotated by ``with_plan_review`` ("" when nothing is due)."""
    if not hasattr(child, "plan_review_on"):
        return ""
    if child.plan_review_on is None:
        return "No personal plan yet: write one with the family."
    if child.plan_review_on < today:
        return f"Personal plan review was due on {child.plan_review_on:%A %-d %B}: review it with the family."
    return ""
