"""Transition plans, trial visits, handovers and the move itself. Thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.views import report_dispatch
from children.models import ChildAuditEvent
from children.services import record_event
from core.queue import all_of
from nursery.permissions import manager_required, staff_required

from ..models import TransitionPlan, TrialVisit
from ..pages import form_page, service_errors
from ..report.forms import ParentViewForm
from ..report.selectors import report_of
from ..starters.selectors import starters_needing_plan
from . import selectors, services
from .forms import HandoverForm, LeaverAccessForm, MeetingForm, PlanForm, VisitForm, VisitOutcomeForm


@manager_required
def plans(request: HttpRequest) -> HttpResponse:
    """Managers' list: upcoming room moves and leavers with each plan's state."""
    rows = selectors.plan_rows(request.user, request.staff_post.nursery_id)
    return render(
        request,
        "transitions/plans.html",
        {
            "moves": [plan for plan in rows if not plan.is_leaving],
            "leavers": [plan for plan in rows if plan.is_leaving],
            "starters": starters_needing_plan(request.user, request.staff_post.nursery_id),
            "today": timezone.localdate(),
            "nursery": request.staff_post.nursery,
        },
    )


@staff_required()
def new_plan(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.access_child_for_planning(request.user, pk)
    existing = selectors.open_plan_of(child)
    if existing is not None and request.method == "GET":
        messages.info(request, services.ONE_OPEN_PLAN.format(child=child.known_as))
        return redirect("transitions:plan", pk=existing.pk)
    plan = TransitionPlan(child=child)
    initial = {"kind": TransitionPlan.Kind.ROOM_MOVE, "planned_on": timezone.localdate()}
    initial["to_room"] = selectors.suggested_room(child, initial["planned_on"])
    form = PlanForm(request.POST or None, instance=plan, nursery=child.nursery, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(plan=form.instance, by=request.user)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, f"Plan saved for {child.known_as}.")
            return redirect("transitions:plan", pk=plan.pk)
    return form_page(request, form, child=child, title=f"Plan a move for {child.display_name}", submit="Save plan")


@staff_required()
def edit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _ = selectors.access_plan(request.user, pk, edit=True)
    form = PlanForm(request.POST or None, instance=plan, nursery=plan.child.nursery)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(plan=form.instance, by=request.user)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Plan saved.")
            return redirect("transitions:plan", pk=plan.pk)
    return form_page(request, form, child=plan.child, plan=plan, title="Change the plan", submit="Save plan")


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff see the whole plan; a family sees dates, visits, the new room and key person in plain words."""
    plan, viewer = selectors.access_plan(request.user, pk)
    visits = selectors.visits_of(plan)
    report = report_of(plan)
    record_event(child=plan.child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Transition plan")
    context = {
        "plan": plan,
        "child": plan.child,
        "visits": visits,
        "confident": selectors.is_confident(visits),
        "visits_done": sum(1 for visit in visits if visit.outcome),
        "report": report,
        "viewer": viewer,
        "is_open": plan.status in TransitionPlan.OPEN_STATUSES,
    }
    if not viewer.is_staff:
        context["parent_form"] = ParentViewForm(initial={"parent_view": report.parent_view}) if report else None
        return render(request, "transitions/plan_family.html", context)
    notes = list(selectors.handover_notes_of(plan))  # before marking read: the page shows what was new
    services.mark_handover_read(plan=plan, by=request.user)
    context |= {
        "notes": notes,
        "handover_form": HandoverForm(),
        "visit_form": VisitForm(nursery=plan.child.nursery),
        "is_new_key_person": plan.to_key_person is not None and plan.to_key_person.user_id == request.user.pk,
        "family_told": plan.completed_at is not None and selectors.family_told_by_email(plan),
        "statuses": [s for s in TransitionPlan.Status.choices if s[0] != TransitionPlan.Status.COMPLETED],
    }
    return render(request, "transitions/plan_detail.html", context)


@require_POST
@staff_required()
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _ = selectors.access_plan(request.user, pk, edit=True)
    try:
        services.set_status(plan=plan, status=request.POST.get("status", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Plan is now “{plan.get_status_display()}”.")
    return redirect("transitions:plan", pk=plan.pk)


@staff_required()
def add_visit(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _ = selectors.access_plan(request.user, pk, edit=True)
    form = VisitForm(request.POST or None, instance=TrialVisit(plan=plan), nursery=plan.child.nursery)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_visit(visit=form.instance, by=request.user)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Trial visit planned.")
            return redirect("transitions:plan", pk=plan.pk)
    return form_page(request, form, child=plan.child, plan=plan, title="Plan a trial visit", submit="Save visit")


@staff_required()
def record_visit(request: HttpRequest, pk: int) -> HttpResponse:
    visit, _ = selectors.access_visit(request.user, pk)
    plan = visit.plan
    form = VisitOutcomeForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        services.record_visit(
            visit=visit,
            outcome=form.cleaned_data["outcome"],
            how_it_went=form.cleaned_data["how_it_went"],
            by=request.user,
        )
        messages.success(request, "Visit recorded.")
        return redirect("transitions:plan", pk=plan.pk)
    when = f"{timezone.localtime(visit.starts_at):%-d %B, %H:%M}"
    return form_page(request, form, child=plan.child, plan=plan, title=f"How the visit on {when} went", submit="Save")


@require_POST
@staff_required()
def write_handover(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _ = selectors.access_plan(request.user, pk, edit=True)
    form = HandoverForm(request.POST)
    if form.is_valid():
        services.write_handover(plan=plan, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, "Handover note saved for the new key person.")
    else:
        messages.error(request, "Write the note for the new key person.")
    return redirect("transitions:plan", pk=plan.pk)


@staff_required()
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _ = selectors.access_plan(request.user, pk, edit=True)
    form = MeetingForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.book_meeting(
            plan=plan,
            at=form.cleaned_data["parents_meeting_at"],
            notes=form.cleaned_data["parents_meeting_notes"],
            by=request.user,
        )
        messages.success(request, "Meeting with the family saved.")
        return redirect("transitions:plan", pk=plan.pk)
    return form_page(
        request,
        form,
        child=plan.child,
        plan=plan,
        title="Meeting with the family before leaving",
        submit="Save meeting",
    )


@require_POST
@manager_required
def move_now(request: HttpRequest, pk: int) -> HttpResponse:
    plan, viewer = selectors.access_plan(request.user, pk)
    if not viewer.may_manage:
        raise Http404
    try:
        result = services.apply_plan(plan_id=plan.pk, by=request.user, now=True)
    except ValidationError as exc:
        messages.error(request, f"Not moved: {exc.messages[0]} Change the plan's new key person, then try again.")
        return redirect("transitions:plan", pk=pk)
    if not result.applied:
        messages.info(request, "This plan has already been completed or cancelled.")
    elif result.dispatches:
        report_dispatch(request, all_of(result.dispatches), "Done. The family is told by e-mail.")
    else:
        messages.success(request, "Done.")
    return redirect("transitions:plan", pk=pk)


@manager_required
def leaver_access(request: HttpRequest) -> HttpResponse:
    """How long a leaver's family keeps read access to the record after the last day."""
    nursery = request.staff_post.nursery
    form = LeaverAccessForm(request.POST or None, instance=nursery)
    if request.method == "POST" and form.is_valid():
        services.set_leaver_access_days(nursery=nursery, days=form.cleaned_data["leaver_access_days"], by=request.user)
        messages.success(request, "Saved.")
        return redirect("transitions:plans")
    return form_page(request, form, title="How long leavers' families keep access", submit="Save")
