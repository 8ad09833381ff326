"""A key person asks a family to meet; the family answers. Thin: reads in ask_selectors, writes in
ask_services; another nursery's request answers 404, a colleague outside the child's care team 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from children.models import ChildAuditEvent
from children.services import record_event
from core.ids import parse_id
from keyworker.models import MeetingRequest
from nursery.permissions import staff_required

from . import ask_selectors as selectors
from . import ask_services as services
from .forms import AskToMeetForm, ProposeTimeForm, SuggestTimesForm


@staff_required()
def ask_family(request: HttpRequest, pk: int) -> HttpResponse:
    """The care team asks a child's family to meet, suggesting one to three times."""
    child = selectors.access_child_to_ask_about(request.user, pk)
    form = AskToMeetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting_request = services.ask_to_meet(
                child=child,
                by=request.user,
                reason=data["reason"],
                urgent=data["urgent"],
                place=data["place"],
                times=form.times(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Sent to {child.known_as}'s family. You will see their answer here.")
            return redirect("keyworker:meeting_request", pk=meeting_request.pk)
    return render(request, "keyworker/meeting_request_new.html", {"form": form, "child": child})


@staff_required()
def meeting_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the request and the family's answer; the care team takes a proposed time, suggests new times or
    withdraws the request."""
    asked = selectors.access_request_as_staff(request.user, pk)
    form = SuggestTimesForm(request.POST if request.POST.get("action") == "suggest" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                consultation = services.accept_proposal(meeting_request=asked, by=request.user)
                messages.success(request, "Booked. The family has been told.")
                return redirect("keyworker:meeting", pk=consultation.pk)
            if action == "cancel":
                services.cancel_request(meeting_request=asked, by=request.user)
                messages.success(request, "Request withdrawn.")
                return redirect("keyworker:meeting_request", pk=pk)
            if action == "suggest" and form.is_valid():
                services.suggest_again(meeting_request=asked, times=form.times(), by=request.user)
                messages.success(request, "New times sent to the family.")
                return redirect("keyworker:meeting_request", pk=pk)
        except ValidationError as exc:
            if action == "suggest":
                form.add_error(None, exc)
            else:
                messages.error(request, exc.messages[0])
    context = {
        "asked": asked,
        "form": form,
        "may_change": selectors.may_ask_to_meet(request.user, asked.child),
    }
    return render(request, "keyworker/meeting_request.html", context)


@login_required
def family_meeting_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The family: why the key person would like to meet; take a suggested time or propose another."""
    asked = selectors.access_request_as_family(request.user, pk)
    form = ProposeTimeForm(request.POST if request.POST.get("action") == "propose" else None)
    if request.method == "POST" and asked.status not in selectors.OPEN:
        messages.info(request, "This request has already been answered or withdrawn.")
    elif request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                choice = parse_id(request.POST.get("choice"))
                times = asked.times
                if choice is None or not 1 <= choice <= len(times):
                    raise ValidationError("Choose one of the times suggested.")
                consultation = services.accept_time(meeting_request=asked, when=times[choice - 1], by=request.user)
                messages.success(request, "Booked. The key person has been told.")
                return redirect("keyworker:meeting", pk=consultation.pk)
            if action == "propose" and form.is_valid():
                services.propose_time(
                    meeting_request=asked,
                    when=form.cleaned_data["when"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(request, "Sent. The key person will answer soon.")
                return redirect("keyworker:family_meeting_request", pk=pk)
        except ValidationError as exc:
            if action == "propose":
                form.add_error(None, exc)
            else:
                messages.error(request, exc.messages[0])
    record_event(child=asked.child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Meeting request")
    return render(
        request,
        "keyworker/family_meeting_request.html",
        {"asked": asked, "form": form, "Status": MeetingRequest.Status},
    )
