"""Support plan pages (SEN support): the team assesses, plans, does and reviews; parents read and add to them.

Who may open what is decided by ``selectors.access_support_plan`` and ``access_child_for_support_plan``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from children.models import Child, ChildAuditEvent
from children.selectors import holds_parental_responsibility
from children.services import record_event

from . import selectors, services
from .forms import ParentContributionForm, SupportPlanForm, SupportReviewForm, SupportTargetForm
from .models import SupportPlan, SupportReview, SupportTarget


def support_plans_panel(request: HttpRequest, child: Child) -> dict:
    """The child page's list of plans, for the team and for parents with parental responsibility."""
    on_team = selectors.may_work_on_support_plans(request.user, child)
    if not (on_team or holds_parental_responsibility(request.user, child)):
        return {"visible": False}
    return {"visible": True, "on_team": on_team, "plans": list(selectors.support_plans_of(child))}


@login_required
def support_plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.access_child_for_support_plan(request.user, pk)
    form = SupportPlanForm(request.POST or None, instance=SupportPlan(child=child))
    if request.method == "POST" and form.is_valid():
        became_sen = services.start_support_plan(plan=form.instance, by=request.user)
        message = "Plan started. Next, add the targets and who does what."
        if became_sen:
            message += f" {child.known_as}'s special educational needs status is now SEN support."
        messages.success(request, message)
        return redirect("children:support_target_add", pk=form.instance.pk)
    return render(request, "children/support_plan_form.html", {"form": form, "child": child})


@login_required
def support_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's page: the team's working copy, and the parents' reading copy with their contributions."""
    plan, viewer = selectors.access_support_plan(request.user, pk)
    on_team = viewer.may_write
    form = None if on_team else ParentContributionForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the family adds contributions here.")
        if form.is_valid():
            services.add_plan_contribution(plan=plan, by=request.user, **form.cleaned_data)
            messages.success(request, "Thank you. The key person will read what you wrote.")
            return redirect("children:support_plan", pk=plan.pk)
    record_event(
        child=plan.child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what=f"Support plan {plan.title}"
    )
    details = selectors.plan_details(plan)
    if on_team:
        services.mark_plan_contributions_read(plan=plan)
    return render(
        request,
        "children/support_plan.html",
        {"plan": plan, "child": plan.child, "on_team": on_team, "form": form} | details,
    )


@login_required
def support_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _ = selectors.access_support_plan(request.user, pk, team=True)
    form = SupportPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        changed = [str(form.fields[name].label) for name in form.changed_data]
        services.save_support_plan(plan=form.instance, by=request.user, changed=changed)
        messages.success(request, "Plan saved.")
        return redirect("children:support_plan", pk=plan.pk)
    return render(request, "children/support_plan_form.html", {"form": form, "child": plan.child, "plan": plan})


@login_required
def support_target(request: HttpRequest, pk: int, target_pk: int | None = None) -> HttpResponse:
    """Add a target to plan ``pk``, or change target ``target_pk`` of it."""
    plan, _ = selectors.access_support_plan(request.user, pk, team=True)
    target = SupportTarget(plan=plan) if target_pk is None else get_object_or_404(plan.targets, pk=target_pk)
    form = SupportTargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        services.save_support_target(target=form.instance, by=request.user)
        messages.success(request, "Target saved.")
        if target_pk is None and "another" in request.POST:
            return redirect("children:support_target_add", pk=plan.pk)
        return redirect("children:support_plan", pk=plan.pk)
    return render(
        request,
        "children/support_target_form.html",
        {"form": form, "plan": plan, "child": plan.child, "adding": target_pk is None},
    )


@login_required
def support_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _ = selectors.access_support_plan(request.user, pk, team=True)
    targets = list(plan.targets.filter(status=SupportTarget.Status.OPEN))
    form = SupportReviewForm(request.POST or None, instance=SupportReview(plan=plan), targets=targets)
    if request.method == "POST" and form.is_valid():
        review = services.record_support_review(review=form.instance, by=request.user, progress=form.progress())
        messages.success(request, f"Review recorded. The next review is on {review.next_review_on:%A %-d %B %Y}.")
        return redirect("children:support_plan", pk=plan.pk)
    fields = [(form[f"progress_{t.pk}"], form[f"note_{t.pk}"]) for t in targets]
    return render(
        request,
        "children/support_review_form.html",
        {"form": form, "plan": plan, "child": plan.child, "target_fields": fields},
    )
