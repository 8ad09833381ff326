from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.views import invitation_action, report_dispatch

from . import selectors, services
from .forms import NurserySessionForm, StaffAbsenceForm, StaffInvitationForm, WeekPatternForm
from .models import NurserySession, StaffAbsence
from .permissions import manager_required


@manager_required
def staff_list(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    return render(
        request,
        "nursery/staff_list.html",
        {
            "nursery": nursery,
            "staff": selectors.staff_visible_to(request.user).filter(nursery=nursery),
            "pending": selectors.pending_staff_invitations(request.user).filter(nursery=nursery),
        },
    )


@manager_required
def invite_staff(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    form = StaffInvitationForm(request.POST or None, nursery=nursery)
    if request.method == "POST" and form.is_valid():
        invited = services.invite_staff(nursery=nursery, invited_by=request.user, **form.cleaned_data)
        report_dispatch(
            request, invited.dispatch, f"Invitation for {invited.invitation.email} saved and on its way by e-mail."
        )
        return redirect("nursery:staff")
    return render(request, "nursery/invite_staff.html", {"form": form, "nursery": nursery})


@require_POST
@manager_required
def staff_invitation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    grant = get_object_or_404(selectors.pending_staff_invitations(request.user), pk=pk)
    invitation_action(request, grant.invitation, action)
    return redirect("nursery:staff")


@manager_required
def room_list(request: HttpRequest) -> HttpResponse:
    rooms = selectors.rooms_visible_to(request.user).filter(nursery=request.staff_post.nursery)
    return render(request, "nursery/room_list.html", {"rooms": rooms})


@manager_required
def session_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The nursery's session times; the same page adds one or, with ``pk``, changes one."""
    nursery = request.staff_post.nursery
    instance = get_object_or_404(NurserySession, nursery=nursery, pk=pk) if pk else None
    form = NurserySessionForm(request.POST or None, instance=instance, nursery=nursery)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, f"{session.name} saved.")
        return redirect("nursery:sessions")
    return render(
        request,
        "nursery/session_list.html",
        {"sessions": nursery.sessions.all(), "form": form, "editing": instance},
    )


@manager_required
def working_pattern(request: HttpRequest, pk: int) -> HttpResponse:
    nursery = request.staff_post.nursery
    member = get_object_or_404(selectors.staff_visible_to(request.user).filter(nursery=nursery), pk=pk)
    form = WeekPatternForm(
        request.POST or None,
        sessions=list(nursery.sessions.all()),
        chosen=set(member.working_pattern.values_list("weekday", "session_id")),
    )
    if request.method == "POST" and form.is_valid():
        services.set_working_pattern(staff=member, slots=form.cleaned_data["slots"])
        messages.success(request, f"{member.user.full_name}'s working week saved.")
        return redirect("nursery:staff")
    return render(request, "nursery/working_pattern.html", {"member": member, "form": form})


@manager_required
def absence_list(request: HttpRequest) -> HttpResponse:
    """Staff away now and later, and a form to record another absence."""
    nursery = request.staff_post.nursery
    form = StaffAbsenceForm(request.POST or None, nursery=nursery)
    if request.method == "POST" and form.is_valid():
        absence = services.record_absence(by=request.user, **form.cleaned_data)
        messages.success(request, f"{absence.staff.user.full_name}'s absence saved.")
        return redirect("nursery:absences")
    return render(
        request,
        "nursery/absence_list.html",
        {"form": form, "absences": selectors.absences_from(nursery, timezone.localdate())},
    )


@require_POST
@manager_required
def delete_absence(request: HttpRequest, pk: int) -> HttpResponse:
    absence = get_object_or_404(StaffAbsence, staff__nursery=request.staff_post.nursery, pk=pk)
    absence.delete()
    messages.success(request, f"{absence.staff.user.full_name}'s absence removed.")
    return redirect("nursery:absences")
