"""Medicine pages: a parent asks and gives permission, staff see the day's medicines and record each dose with
a witness, the parent reads it the same day. Who may open what: ``selectors.access_*``."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from children.day.selectors import moment, register_for
from children.day.views import room_context
from children.models import Child, ChildAuditEvent
from children.selectors import holds_parental_responsibility, works_at_childs_nursery
from children.services import record_daily_view, record_event
from core.private_media import private_file_response
from nursery.permissions import staff_required
from nursery.selectors import access_room

from . import selectors, services
from .forms import DoseForm, MedicineRequestForm

VIEWED = ChildAuditEvent.Action.VIEWED


def medicines_panel(request: HttpRequest, child: Child) -> dict:
    """The child page's medicines, for the nursery's staff and parents with parental responsibility only."""
    is_staff = works_at_childs_nursery(request.user, child)
    is_parent = holds_parental_responsibility(request.user, child)
    if not (is_staff or is_parent):
        return {"visible": False}
    today = timezone.localdate()
    requests = list(selectors.requests_of(child).filter(ends_on__gte=today - timedelta(days=14))[:20])
    return {
        "visible": True,
        "is_staff": is_staff,
        "may_ask": is_parent and not child.has_left(),
        "current": [r for r in requests if r.withdrawn_at is None and r.ends_on >= today],
        "today": today,
    }


@login_required
def medicine_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """A parent asks the nursery to give a medicine; ticking the box is their written permission."""
    child = selectors.access_child_to_request(request.user, pk)
    today = timezone.localdate()
    form = MedicineRequestForm(
        request.POST or None, request.FILES or None, initial={"starts_on": today, "ends_on": today}
    )
    if request.method == "POST" and form.is_valid():
        form.instance.child = child
        try:
            saved = services.request_medicine(request=form.instance, by=request.user, plan=form.cleaned_data["plan"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Thank you. The nursery can now give {saved.medicine} to {child.known_as}.")
            return redirect("children:medicine_request", pk=saved.pk)
    return render(request, "children/medicine_ask.html", {"child": child, "form": form})


@login_required
def medicine_request(request: HttpRequest, pk: int) -> HttpResponse:
    medicine, viewer = selectors.access_medicine_request(request.user, pk)
    record_event(child=medicine.child, actor=request.user, action=VIEWED, what=f"Medicine {medicine.medicine}")
    today = timezone.localdate()
    context = {
        "medicine": medicine,
        "child": medicine.child,
        "viewer": viewer,
        "doses": medicine.doses.select_related("given_by", "witness", "acknowledged_by").order_by("-given_at"),
        "active_today": medicine.covers(today),
    }
    return render(request, "children/medicine_request.html", context)


@require_POST
@login_required
def medicine_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The family withdraws permission, or staff stop a medicine no longer needed."""
    medicine, _viewer = selectors.access_medicine_request(request.user, pk)
    services.withdraw_medicine(request=medicine, by=request.user)
    messages.success(request, f"{medicine.medicine} will no longer be given.")
    return redirect("children:medicine_request", pk=medicine.pk)


@login_required
def medicine_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The attached plan or letter, downloaded (never shown inline: a PDF is the family's file, not ours)."""
    medicine, _viewer = selectors.access_medicine_request(request.user, pk)
    record_event(child=medicine.child, actor=request.user, action=VIEWED, what=f"Plan for {medicine.medicine}")
    extension = medicine.plan.name.rsplit(".", 1)[-1] if medicine.plan else ""
    name = f"{medicine.child.known_as} {medicine.medicine} plan.{extension}"
    response = private_file_response(request, medicine.plan, download_name=name)
    if response.has_header("Content-Disposition"):
        response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@staff_required()
def medicine_dose(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a dose given now (or earlier today), with the member of staff who witnessed it."""
    medicine = selectors.access_request_for_dose(request.user, pk)
    child = medicine.child
    witnesses = selectors.witnesses_for(child, giver=request.user)
    initial = {"at": timezone.localtime().time().replace(second=0, microsecond=0), "dose_given": medicine.dose}
    form = DoseForm(request.POST or None, witnesses=witnesses, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_dose(
                request=medicine,
                by=request.user,
                given_at=moment(timezone.localdate(), data["at"]),
                dose_given=data["dose_given"],
                witness=data["witness"],
                note=data["note"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Saved: {medicine.medicine} for {child.known_as}. The family is asked to read it today."
            )
            if child.room_id:
                return redirect("children:room_medicines", pk=child.room_id)
            return redirect("children:medicine_request", pk=medicine.pk)
    return render(request, "children/medicine_dose.html", {"medicine": medicine, "child": child, "form": form})


@require_POST
@login_required
def medicine_dose_read(request: HttpRequest, pk: int) -> HttpResponse:
    dose = selectors.access_dose_to_acknowledge(request.user, pk)
    services.acknowledge_dose(dose=dose, by=request.user)
    messages.success(request, "Thank you: the nursery can see you have read it.")
    return redirect("home")


@staff_required()
def room_medicines(request: HttpRequest, pk: int) -> HttpResponse:
    """The room's medicines today: who has one, at what times, what was given; and doses no parent has read."""
    room = access_room(request.user, pk, nursery_id=request.staff_post.nursery_id)
    today = timezone.localdate()
    children = register_for(room, today)
    is_manager = request.staff_post.is_manager  # not in a PIN session on a room's tablet
    unread = selectors.unacknowledged_doses(room.nursery_id)
    if not is_manager:
        unread = unread.filter(child__in=children)
    due = selectors.due_today(children, today)
    record_daily_view(child_ids=[item.child.pk for item in due], actor=request.user, what="Medicines")
    context = room_context(request, room) | {
        "due": due,
        "unread": unread[:50],
        "whole_nursery": is_manager,
    }
    return render(request, "children/room_medicines.html", context)
