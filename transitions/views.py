"""Transition plans, trial visits, handovers, the move itself and the transition report. Thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts.views import report_dispatch
from children.models import Child, ChildAuditEvent
from children.selectors import children_in_staff_care
from children.services import record_event
from core.private_media import private_file_response
from core.queue import all_of
from learning_stories.framework.selectors import areas_of, current_framework_for
from nursery.permissions import manager_required, staff_required

from . import selectors, services
from .documents import report_areas, transition_report_pdf
from .forms import (
    HandoverForm,
    LeaverAccessForm,
    MeetingForm,
    ParentViewForm,
    PlanForm,
    ReportForm,
    ReviewForm,
    VisitForm,
    VisitOutcomeForm,
)
from .models import LeaverPack, TransitionPlan, TransitionReport, TrialVisit


def _access(request: HttpRequest, pk: int) -> selectors.PlanAccess:
    access = selectors.plan_access(request.user, pk)
    if access is None:
        raise Http404
    return access


def _editable(request: HttpRequest, pk: int) -> selectors.PlanAccess:
    """A plan the user may change: its nursery's managers and the child's key persons (others: 403/404)."""
    access = _access(request, pk)
    if not access.is_staff:
        raise Http404
    if not access.can_edit:
        raise PermissionDenied("Only a manager or the child's key person can change this plan.")
    return access


def _service_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's message on the field it names (or the whole form), keeping what was typed."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _form_page(request: HttpRequest, form: BaseForm, *, title: str, submit: str, child=None, plan=None) -> HttpResponse:
    return render(
        request, "transitions/form.html", {"form": form, "title": title, "submit": submit, "child": child, "plan": plan}
    )


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
            "nursery": request.staff_post.nursery,
        },
    )


@staff_required()
def new_plan(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(children_in_staff_care(request.user), pk=pk)
    if not selectors.may_plan_for(request.user, child):
        raise PermissionDenied("Only a manager or the child's key person can plan a move.")
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
            _service_errors(form, exc)
        else:
            messages.success(request, f"Plan saved for {child.known_as}.")
            return redirect("transitions:plan", pk=plan.pk)
    return _form_page(request, form, child=child, title=f"Plan a move for {child.display_name}", submit="Save plan")


@staff_required()
def edit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable(request, pk).plan
    form = PlanForm(request.POST or None, instance=plan, nursery=plan.child.nursery)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(plan=form.instance, by=request.user)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, "Plan saved.")
            return redirect("transitions:plan", pk=plan.pk)
    return _form_page(request, form, child=plan.child, plan=plan, title="Change the plan", submit="Save plan")


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff see the whole plan; a family sees dates, visits, the new room and key person in plain words."""
    access = _access(request, pk)
    plan = access.plan
    visits = selectors.visits_of(plan)
    report = selectors.report_of(plan)
    record_event(child=plan.child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Transition plan")
    context = {
        "plan": plan,
        "child": plan.child,
        "visits": visits,
        "confident": selectors.is_confident(visits),
        "visits_done": sum(1 for visit in visits if visit.outcome),
        "report": report,
        "access": access,
        "is_open": plan.status in TransitionPlan.OPEN_STATUSES,
    }
    if not access.is_staff:
        context["parent_form"] = ParentViewForm(initial={"parent_view": report.parent_view}) if report else None
        return render(request, "transitions/plan_family.html", context)
    notes = list(selectors.handover_notes_of(plan))  # before marking read: the page shows what was new
    services.mark_handover_read(plan=plan, by=request.user)
    context |= {
        "notes": notes,
        "handover_form": HandoverForm(),
        "visit_form": VisitForm(nursery=plan.child.nursery),
        "is_new_key_person": plan.to_key_person is not None and plan.to_key_person.user_id == request.user.pk,
        "statuses": [s for s in TransitionPlan.Status.choices if s[0] != TransitionPlan.Status.COMPLETED],
    }
    return render(request, "transitions/plan_detail.html", context)


@require_POST
@staff_required()
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable(request, pk).plan
    try:
        services.set_status(plan=plan, status=request.POST.get("status", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Plan is now “{plan.get_status_display()}”.")
    return redirect("transitions:plan", pk=plan.pk)


@staff_required()
def add_visit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable(request, pk).plan
    form = VisitForm(request.POST or None, instance=TrialVisit(plan=plan), nursery=plan.child.nursery)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_visit(visit=form.instance, by=request.user)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, "Trial visit planned.")
            return redirect("transitions:plan", pk=plan.pk)
    return _form_page(request, form, child=plan.child, plan=plan, title="Plan a trial visit", submit="Save visit")


@staff_required()
def record_visit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(TrialVisit.objects.filter(plan__in=selectors.plans_for_staff(request.user)), pk=pk)
    plan = _editable(request, visit.plan_id).plan
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
    return _form_page(request, form, child=plan.child, plan=plan, title=f"How the visit on {when} went", submit="Save")


@require_POST
@staff_required()
def write_handover(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable(request, pk).plan
    form = HandoverForm(request.POST)
    if form.is_valid():
        services.write_handover(plan=plan, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, "Handover note saved for the new key person.")
    else:
        messages.error(request, "Write the note for the new key person.")
    return redirect("transitions:plan", pk=plan.pk)


@staff_required()
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable(request, pk).plan
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
    return _form_page(
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
    access = _access(request, pk)
    if not access.can_manage:
        raise Http404
    try:
        result = services.apply_plan(plan_id=access.plan.pk, by=request.user, now=True)
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


@staff_required()
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The key person writes the report (started pre-filled); managers review it."""
    access = _access(request, pk)
    if not access.is_staff:
        raise Http404
    plan = access.plan
    report = selectors.report_of(plan)
    if report is None:
        if request.method == "POST":
            if not access.can_edit:
                raise PermissionDenied("Only a manager or the child's key person can write the report.")
            services.start_report(plan=plan, by=request.user)
            messages.success(request, "Report started from the latest assessments and observations. Check and edit it.")
            return redirect("transitions:report", pk=plan.pk)
        return render(request, "transitions/report.html", {"plan": plan, "child": plan.child, "access": access})
    areas = list(areas_of(current_framework_for(plan.child.nursery_id)))
    editable = access.can_edit and report.status == TransitionReport.Status.DRAFT
    form = ReportForm(request.POST if editable and request.method == "POST" else None, instance=report, areas=areas)
    if editable and request.method == "POST" and form.is_valid():
        services.save_report(report=report, data=form.report_data(), by=request.user)
        messages.success(request, "Report saved.")
        return redirect("transitions:report", pk=plan.pk)
    return render(
        request,
        "transitions/report.html",
        {
            "plan": plan,
            "child": plan.child,
            "access": access,
            "report": report,
            "form": form,
            "editable": editable,
            "review_form": ReviewForm(),
            "areas": report_areas(report),
        },
    )


@require_POST
@staff_required()
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    report = selectors.report_of(access.plan) if access.is_staff else None
    action = request.POST.get("action", "")
    if report is None or action not in services.REPORT_STEPS:
        raise Http404
    allowed = access.can_manage if services.REPORT_STEPS[action][2] == "manager" else access.can_edit
    if not allowed:
        raise PermissionDenied("Only a manager can check and share the report.")
    try:
        services.review_report(report=report, action=action, by=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Report: {report.get_status_display()}.")
    return redirect("transitions:report", pk=pk)


@login_required
def family_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The family writes their view for the report, from their phone, until a manager approves it."""
    access = _access(request, pk)
    report = selectors.report_of(access.plan)
    if access.is_staff or report is None:
        raise Http404
    form = ParentViewForm(request.POST or None, initial={"parent_view": report.parent_view})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_parent_view(report=report, text=form.cleaned_data["parent_view"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Thank you: your view is in the report.")
            return redirect("transitions:plan", pk=pk)
    return _form_page(
        request,
        form,
        child=access.plan.child,
        plan=access.plan,
        title=f"Your view for {access.plan.child.known_as}'s transition report",
        submit="Save my view",
    )


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a PDF: staff at any time, the family once it is shared (404 otherwise)."""
    access = _access(request, pk)
    report = selectors.report_of(access.plan)
    if report is None or (not access.is_staff and report.status != TransitionReport.Status.SHARED):
        raise Http404
    record_event(
        child=access.plan.child,
        actor=request.user,
        action=ChildAuditEvent.Action.EXPORTED,
        what="Transition report PDF",
    )
    response = HttpResponse(transition_report_pdf(report=report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="transition-report-{access.plan.child.known_as}.pdf"'
    return response


@manager_required
def leaver_access(request: HttpRequest) -> HttpResponse:
    """How long a leaver's family keeps read access to the record after the last day."""
    nursery = request.staff_post.nursery
    form = LeaverAccessForm(request.POST or None, instance=nursery)
    if request.method == "POST" and form.is_valid():
        services.set_leaver_access_days(nursery=nursery, days=form.cleaned_data["leaver_access_days"], by=request.user)
        messages.success(request, "Saved.")
        return redirect("transitions:plans")
    return _form_page(request, form, title="How long leavers' families keep access", submit="Save")


def _pack_or_404(request: HttpRequest, pk: int) -> LeaverPack:
    try:
        return selectors.pack_for(request.user, pk)
    except LeaverPack.DoesNotExist:
        raise Http404("No such pack.") from None


@login_required
@require_POST
def request_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a child's leaver pack (or join the one being made), then follow its progress."""
    try:
        child = selectors.pack_child_for(request.user, pk)
    except Child.DoesNotExist:
        raise Http404("No such child.") from None
    pack, dispatch = services.request_pack(child=child, user=request.user)
    if dispatch is None:
        messages.info(request, "The pack is already being made: here is how far it has got.")
    elif dispatch.queued is False:
        messages.info(
            request,
            "Your request is saved. Making the pack will start shortly; you can leave this page and we will "
            "e-mail you when it is ready.",
        )
    return redirect("transitions:pack", pack.pk)


@login_required
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the pack has got (the status part is fetched again by htmx until it is done)."""
    pack = _pack_or_404(request, pk)
    template = "transitions/_pack_status.html" if request.htmx else "transitions/pack.html"
    return render(request, template, {"pack": pack, "child": pack.child, "expired": _expired(pack)})


@login_required
def download_pack(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_or_404(request, pk)
    if _expired(pack):
        return render(request, "transitions/pack_expired.html", {"pack": pack, "child": pack.child}, status=410)
    if pack.status != LeaverPack.Status.READY:
        return redirect("transitions:pack", pack.pk)
    services.record_download(pack=pack, user=request.user)
    name = f"{pack.child.known_as} leaver pack {pack.built_at:%Y-%m-%d}.zip"
    response = private_file_response(request, pack.file, download_name=name)
    if response.has_header("Content-Disposition"):  # a ZIP is saved, never shown
        response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _expired(pack: LeaverPack) -> bool:
    """Expired as soon as the date passes, even before the sweep deletes the file."""
    return pack.status == LeaverPack.Status.EXPIRED or (
        pack.status == LeaverPack.Status.READY and pack.expires_at is not None and pack.expires_at <= timezone.now()
    )
