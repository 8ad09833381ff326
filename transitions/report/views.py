"""The transition report: the key person writes it (started pre-filled), managers review and share it, the
family adds their view and downloads the PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.tablet import full_sign_in_page, full_sign_in_required, is_pin_session
from children.models import ChildAuditEvent
from children.services import record_event
from learning_stories.framework.selectors import areas_of, current_framework_for
from nursery.permissions import staff_required

from ..models import TransitionReport
from ..pages import form_page
from ..plans.selectors import access_plan
from . import services
from .documents import report_areas, transition_report_pdf
from .forms import ParentViewForm, ReportForm, ReviewForm
from .selectors import access_report, report_of


@staff_required()
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The key person writes the report (started pre-filled); managers review it."""
    plan, viewer = access_plan(request.user, pk, staff=True)
    report = report_of(plan)
    if report is None:
        if request.method == "POST":
            if not viewer.may_write:
                raise PermissionDenied("Only a manager or the child's key person can write the report.")
            services.start_report(plan=plan, by=request.user)
            messages.success(request, "Report started from the latest assessments and observations. Check and edit it.")
            return redirect("transitions:report", pk=plan.pk)
        return render(request, "transitions/report.html", {"plan": plan, "child": plan.child, "viewer": viewer})
    record_event(child=plan.child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Transition report")
    areas = list(areas_of(current_framework_for(plan.child.nursery_id)))
    editable = viewer.may_write and report.status == TransitionReport.Status.DRAFT
    data = request.POST if editable and request.method == "POST" else None
    form = ReportForm(data, instance=report, areas=areas)
    if editable and request.method == "POST" and form.is_valid():
        services.save_report(report=report, data=form.report_data(), by=request.user)
        messages.success(request, "Report saved.")
        return redirect("transitions:report", pk=plan.pk)
    return _report_page(request, plan, viewer, report, form=form)


def _report_page(request, plan, viewer, report, *, form=None, review_form=None) -> HttpResponse:
    editable = viewer.may_write and report.status == TransitionReport.Status.DRAFT
    if form is None:
        form = ReportForm(instance=report, areas=list(areas_of(current_framework_for(plan.child.nursery_id))))
    return render(
        request,
        "transitions/report.html",
        {
            "plan": plan,
            "child": plan.child,
            "viewer": viewer,
            "report": report,
            "form": form,
            "editable": editable,
            "review_form": review_form or ReviewForm(),
            "areas": report_areas(report),
        },
    )


@require_POST
@staff_required()
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    report, viewer = access_report(request.user, pk, staff=True)
    action = request.POST.get("action", "")
    if action not in services.REPORT_STEPS:
        raise Http404
    allowed = viewer.may_manage if services.REPORT_STEPS[action][2] == "manager" else viewer.may_write
    if not allowed:
        if services.REPORT_STEPS[action][2] == "manager" and is_pin_session(request):
            return full_sign_in_page(request)  # a manager on a room's tablet: checking needs a full sign-in
        raise PermissionDenied("Only a manager can check and share the report.")
    review_form = ReviewForm(request.POST)
    if not review_form.is_valid():  # too long, or a character that can't be saved: shown back with the reason
        return _report_page(request, report.plan, viewer, report, review_form=review_form)
    try:
        services.review_report(
            report=report, action=action, by=request.user, comment=review_form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Report: {report.get_status_display()}.")
    return redirect("transitions:report", pk=pk)


@login_required
def family_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The family writes their view for the report, from their phone, until a manager approves it."""
    report, viewer = access_report(request.user, pk)
    if viewer.is_staff:
        raise Http404
    plan = report.plan
    record_event(child=plan.child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Transition report")
    form = ParentViewForm(request.POST or None, initial={"parent_view": report.parent_view})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_parent_view(report=report, text=form.cleaned_data["parent_view"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Thank you: your view is in the report.")
            return redirect("transitions:plan", pk=pk)
    return form_page(
        request,
        form,
        child=plan.child,
        plan=plan,
        title=f"Your view for {plan.child.known_as}'s transition report",
        submit="Save my view",
    )


@login_required
@full_sign_in_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a PDF: staff at any time, the family once it is shared (404 otherwise)."""
    report, viewer = access_report(request.user, pk)
    if not viewer.is_staff and report.status != TransitionReport.Status.SHARED:
        raise Http404
    child = report.plan.child
    record_event(
        child=child,
        actor=request.user,
        action=ChildAuditEvent.Action.EXPORTED,
        what="Transition report PDF",
    )
    response = HttpResponse(transition_report_pdf(report=report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="transition-report-{child.known_as}.pdf"'
    return response
