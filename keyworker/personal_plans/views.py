"""Personal plan pages: the key person writes and keeps up the plan; the family reads it, comments and agrees.

Who may open what is decided in ``selectors`` (``access_child_for_personal_plan``, ``access_plan_version``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from children.models import Child, ChildAuditEvent
from children.selectors import holds_parental_responsibility, works_at_childs_nursery
from children.services import record_event

from . import selectors, services
from .forms import PersonalPlanForm, PlanResponseForm
from .models import PersonalPlan

WRITERS_ONLY = "The child's key person, their buddy and the managers keep the personal plan up."


def personal_plan_panel(request: HttpRequest, child: Child) -> dict:
    """The child page's line about the personal plan, for the nursery's staff and parents with parental
    responsibility (the same people as the plan's page)."""
    if not (works_at_childs_nursery(request.user, child) or holds_parental_responsibility(request.user, child)):
        return {"visible": False}
    plan = selectors.current_plan(child)
    overdue = plan is not None and plan.next_review_on < timezone.localdate()
    return {"visible": True, "plan": plan, "overdue": overdue}


@login_required
def personal_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's current plan with its history; a parent comments on it or confirms they agreed it."""
    child, viewer = selectors.access_child_for_personal_plan(request.user, pk)
    versions = selectors.plans_of(child)
    plan = versions[0] if versions else None
    form = PlanResponseForm(request.POST or None) if viewer.is_parent and plan else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the family responds to the plan here.")
        if form.is_valid():
            services.respond_to_plan(plan=plan, by=request.user, **form.cleaned_data)
            messages.success(request, "Thank you. The key person will see what you sent.")
            return redirect("keyworker:personal_plan", pk=child.pk)
    if plan:
        record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Personal plan")
    return render(
        request,
        "keyworker/personal_plans/plan.html",
        {
            "child": child,
            "plan": plan,
            "history": versions[1:],
            "viewer": viewer,
            "form": form,
            "current": True,
        }
        | (selectors.plan_details(plan) if plan else {}),
    )


@login_required
def personal_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the first plan, or change the current one: once agreed, saving starts the next version."""
    child, viewer = selectors.access_child_for_personal_plan(request.user, pk)
    if not viewer.is_staff:
        raise Http404  # the family's page is the plan itself
    if not viewer.may_write:
        raise PermissionDenied(WRITERS_ONLY)
    current = selectors.current_plan(child)
    steps = selectors.open_next_steps(child)
    if current is not None and not current.is_agreed:
        form = PersonalPlanForm(request.POST or None, instance=current, steps=steps)
    else:
        initial = {"next_review_on": services.default_review_date(child.nursery_id)}
        if current is not None:  # the next term's plan starts from the agreed one
            initial |= {name: getattr(current, name) for name in ("wellbeing", "care", "interests", "focuses")}
            initial |= {"together": current.together, "next_steps": [s.pk for s in current.next_steps.all()]}
        form = PersonalPlanForm(request.POST or None, instance=PersonalPlan(child=child), initial=initial, steps=steps)
    if request.method == "POST" and form.is_valid():
        plan = services.save_personal_plan(
            child=child, by=request.user, data=form.cleaned_data, next_steps=form.cleaned_data.get("next_steps", [])
        )
        messages.success(request, f"Personal plan saved (version {plan.version}).")
        return redirect("keyworker:personal_plan", pk=child.pk)
    return render(
        request,
        "keyworker/personal_plans/plan_form.html",
        {"child": child, "form": form, "current": current, "starts_new": current is not None and current.is_agreed},
    )


@login_required
def personal_plan_version(request: HttpRequest, pk: int) -> HttpResponse:
    """One version of a plan, read-only (the history of agreed plans is never changed)."""
    plan, viewer = selectors.access_plan_version(request.user, pk)
    latest = selectors.current_plan(plan.child)
    return render(
        request,
        "keyworker/personal_plans/plan.html",
        {"child": plan.child, "plan": plan, "history": [], "viewer": viewer, "form": None, "current": plan == latest}
        | selectors.plan_details(plan),
    )
