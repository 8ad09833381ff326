"""Pages for absences: a family member reports their child off from their phone, sees and changes or
cancels what they reported; staff record a family's phone call the same way.

Who may open what: ``selectors.may_report_for`` (the family, with parental responsibility) and the child's
nursery's staff; ``selectors.access_absence`` for one report (404 for anyone else).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from children.access import access_child
from children.models import Child
from children.selectors import works_at_childs_nursery

from . import selectors, services
from .forms import AbsenceForm, StaffAbsenceReportForm
from .models import Absence

NOT_YOURS = "Only the child's parents or carers, and the nursery's staff, tell the nursery a child is off."


def _as_staff(request: HttpRequest, child: Child) -> bool:
    """Whether the asker fills in the staff form (a call taken), or their own family's; 403 for neither."""
    if selectors.may_report_for(request.user, child):
        return False
    if works_at_childs_nursery(request.user, child):
        return True
    raise PermissionDenied(NOT_YOURS)


def _done(absence: Absence, verb: str) -> str:
    return f"{absence.child.known_as} is {verb} off {absence.days_label} ({absence.reason_label})."


@login_required
def report_absence(request: HttpRequest, pk: int) -> HttpResponse:
    """Report the child off (a day or a range), and the reports still to come, to change or cancel."""
    child = access_child(request.user, pk, adding=True)
    as_staff = _as_staff(request, child)
    data = request.POST if request.method == "POST" else None
    form = StaffAbsenceReportForm(data, child=child) if as_staff else AbsenceForm(data)
    if data is not None and form.is_valid():
        if as_staff:
            caller = form.cleaned_data["caller"]
            reported_by = caller.user if caller else None
            name = caller.user.full_name if caller else form.cleaned_data["caller_name"].strip()
        else:
            reported_by, name = request.user, request.user.full_name or request.user.email
        try:
            absence = services.report_absence(
                child=child, report=form.report(), by=request.user, reported_by=reported_by, reporter_name=name
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _done(absence, "reported") + " Thank you for letting us know.")
            return redirect("children:report_absence", pk=child.pk)
    return render(
        request,
        "children/absence_report.html",
        {
            "child": child,
            "form": form,
            "as_staff": as_staff,
            "upcoming": selectors.upcoming_absences(child),
            "today": timezone.localdate(),
        },
    )


@login_required
def edit_absence(request: HttpRequest, pk: int) -> HttpResponse:
    absence = selectors.access_absence(request.user, pk)
    if services.is_over(absence) or absence.is_cancelled:
        messages.info(request, services.OVER)
        return redirect("children:report_absence", pk=absence.child_id)
    form = AbsenceForm(request.POST or None, absence=absence)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_absence(absence=absence, report=form.report(), by=request.user)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _done(absence, "now reported"))
            return redirect("children:report_absence", pk=absence.child_id)
    return render(request, "children/absence_edit.html", {"absence": absence, "child": absence.child, "form": form})


@require_POST
@login_required
def cancel_absence(request: HttpRequest, pk: int) -> HttpResponse:
    absence = selectors.access_absence(request.user, pk)
    try:
        services.cancel_absence(absence=absence, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Cancelled: we expect {absence.child.known_as} {absence.days_label}.")
    return redirect("children:report_absence", pk=absence.child_id)
