"""Meetings with families (consultations): staff's and families' pages. Thin: reads in selectors, writes in
services, and anything not the viewer's answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from children.access import access_own_child
from children.models import ChildAuditEvent
from children.selectors import children_of_guardian
from children.services import record_event
from core.ids import parse_id
from keyworker.models import Consultation
from keyworker.selectors import key_spells_for_guardian
from nursery.current import at_chosen_nursery
from nursery.permissions import staff_required

from . import selectors, services
from .forms import MeetingNotesForm, MeetingRequestForm, SlotForm


@staff_required()
def meetings(request: HttpRequest) -> HttpResponse:
    """A member of staff's meetings: times they offer, families' requests, booked and past meetings.

    Managers see every meeting at the nursery; a key person sees their own.
    """
    post = request.staff_post
    can_offer = post.can_be_key_person  # only a key person's times can be booked; managers may be key persons
    form = SlotForm(request.POST or None)
    if request.method == "POST" and can_offer and form.is_valid():
        try:
            services.offer_slot(key_person=post, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Time offered to your key children's families.")
            return redirect("keyworker:meetings")
    mine = selectors.meetings_for_staff(request.user).filter(child__nursery=post.nursery)
    if not post.is_manager:
        mine = mine.filter(key_person=post)
    notices = list(selectors.consultation_notices_for(request.user))
    services.mark_notices_read(user=request.user)
    return render(
        request,
        "keyworker/meetings.html",
        {
            "form": form,
            "can_offer": can_offer,
            "slots": selectors.slots_of(post),
            "requests": mine.filter(status=Consultation.Status.REQUESTED).order_by("created_at"),
            "booked": mine.filter(status=Consultation.Status.BOOKED).order_by("slot__starts_at"),
            "held": mine.filter(status=Consultation.Status.HELD).order_by("-slot__starts_at")[:20],
            "notices": notices,
        },
    )


@login_required
def family_meetings(request: HttpRequest) -> HttpResponse:
    """A family's meetings with their children's key persons, and the times they can book."""
    spells = key_spells_for_guardian(request.user)
    children = at_chosen_nursery(request, list(children_of_guardian(request.user).order_by("first_name")))
    for child in children:
        spell = spells.get(child.pk)
        child.key_person = spell.key_person if spell else None
        child.free_slots = list(selectors.free_slots(child.key_person)) if child.key_person else []
    notices = list(selectors.consultation_notices_for(request.user))
    services.mark_notices_read(user=request.user)
    return render(
        request,
        "keyworker/family_meetings.html",
        {
            "children": children,
            "meetings": selectors.meetings_for_family(request.user)
            .exclude(status=Consultation.Status.CANCELLED)
            .filter(child__in=children),
            "notices": notices,
        },
    )


@login_required
def ask_for_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_own_child(request.user, pk)
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_meeting(child=child, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Sent to {child.known_as}'s key person, who will offer you a time.")
            return redirect("keyworker:family_meetings")
    return render(request, "keyworker/meeting_ask.html", {"form": form, "child": child})


@require_POST
@login_required
def book_slot(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_own_child(request.user, parse_id(request.POST.get("child")) or 0)
    slot = selectors.access_slot(request.user, pk, for_child=child)
    try:
        meeting = services.book_slot(child=child, slot=slot, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("keyworker:family_meetings")
    messages.success(request, "Booked. The key person has been told.")
    return redirect("keyworker:meeting", pk=meeting.pk)


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the prepared summary and the notes afterwards. Family: the details and the agreed summary."""
    consultation, viewer = selectors.access_meeting(request.user, pk, change=request.method == "POST")
    if request.method == "POST" and not viewer.is_staff:
        raise Http404("Staff write the notes.")
    form = MeetingNotesForm(
        request.POST or None,
        initial={"notes": consultation.notes, "agreed_summary": consultation.agreed_summary},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.write_meeting_notes(consultation=consultation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Notes saved.")
            return redirect("keyworker:meeting", pk=pk)
    context = {"meeting": consultation, "is_staff": viewer.is_staff, "form": form}
    if viewer.is_staff:
        context["summary"] = selectors.meeting_summary(consultation)
    record_event(child=consultation.child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Meeting")
    if consultation.status == Consultation.Status.BOOKED:
        context["other_slots"] = selectors.free_slots(consultation.key_person_id)
    return render(request, "keyworker/meeting.html", context)


@require_POST
@login_required
def cancel_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    consultation, viewer = selectors.access_meeting(request.user, pk, change=True)
    services.cancel_meeting(consultation=consultation, by=request.user)
    messages.success(request, "Meeting cancelled. The other side has been told.")
    return redirect("keyworker:meetings" if viewer.is_staff else "keyworker:family_meetings")


@require_POST
@login_required
def move_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    consultation, _ = selectors.access_meeting(request.user, pk, change=True)
    slot = selectors.access_slot(request.user, parse_id(request.POST.get("slot")) or 0, for_child=consultation.child)
    try:
        services.move_meeting(consultation=consultation, slot=slot, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Meeting moved. The other side has been told.")
    return redirect("keyworker:meeting", pk=pk)


@require_POST
@staff_required()
def withdraw_slot(request: HttpRequest, pk: int) -> HttpResponse:
    slot = selectors.access_slot(request.user, pk)
    try:
        services.withdraw_slot(slot=slot)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Time withdrawn.")
    return redirect("keyworker:meetings")
