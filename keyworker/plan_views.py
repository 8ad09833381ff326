"""The weekly planning board and meetings with families (consultations). Thin: reads in selectors,
writes in services, and anything not the viewer's answers 404."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from children.day.views import room_context
from children.models import Child, ChildAuditEvent
from children.selectors import children_of_guardian
from children.services import record_daily_view, record_event
from nursery.permissions import staff_required
from nursery.selectors import rooms_visible_to

from . import selectors, services
from .models import Consultation, ConsultationSlot, PlannedActivity
from .plan_forms import ActivityForm, EvaluationForm, MeetingNotesForm, MeetingRequestForm, SlotForm

# --- Weekly planning board ------------------------------------------------------------------------


def _week(request: HttpRequest) -> date:
    try:
        return selectors.monday_of(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        return selectors.monday_of(timezone.localdate())


def _board_url(room_id: int, week: date) -> str:
    return f"{reverse('keyworker:plan_board', args=[room_id])}?week={week.isoformat()}"


@staff_required()
def planning(request: HttpRequest) -> HttpResponse:
    """The menu's "Planning": the board of the user's own room (or the nursery's first room)."""
    room = request.staff_post.room or rooms_visible_to(request.user).filter(nursery=request.staff_post.nursery).first()
    if room is None:
        raise Http404("This nursery has no rooms yet.")
    return redirect("keyworker:plan_board", pk=room.pk)


@staff_required()
def board(request: HttpRequest, pk: int) -> HttpResponse:
    room = get_object_or_404(rooms_visible_to(request.user), pk=pk)
    week = _week(request)
    plan = selectors.planning_board(room, week)
    children = [child.pk for group in plan.groups for child in group.children]
    record_daily_view(child_ids=children, actor=request.user, what="Planning board (next steps)")
    return render(
        request,
        "keyworker/plan_board.html",
        room_context(request, room)
        | {
            "board": plan,
            "previous_week": week - timedelta(days=7),
            "next_week": week + timedelta(days=7),
            "this_week": selectors.monday_of(timezone.localdate()),
            "started": week <= timezone.localdate(),
        },
    )


def _activity_form(request: HttpRequest, plan: selectors.PlanningBoard, extra_steps=(), **kwargs) -> ActivityForm:
    children = [child for group in plan.groups for child in group.children]
    return ActivityForm(
        request.POST or None, room=plan.room, children=children, steps=[*plan.open_steps, *extra_steps], **kwargs
    )


@staff_required()
def add_activity(request: HttpRequest, pk: int) -> HttpResponse:
    room = get_object_or_404(rooms_visible_to(request.user), pk=pk)
    week = _week(request)
    plan = selectors.planning_board(room, week)
    wanted = [int(pk) for pk in request.GET.getlist("step") if pk.isdigit()]
    form = _activity_form(request, plan, initial={"next_steps": wanted, "led_by": request.staff_post})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_activity(room=room, week_of=week, plan=form.plan(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Activity planned.")
            return redirect(_board_url(room.pk, week))
    return render(request, "keyworker/plan_activity.html", {"form": form, "room": room, "week": week})


def _activity(request: HttpRequest, pk: int) -> PlannedActivity:
    return get_object_or_404(selectors.activities_visible_to(request.user), pk=pk)


@staff_required()
def edit_activity(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    plan = selectors.planning_board(activity.room, activity.week_of)
    chosen = list(activity.next_steps.all())
    form = _activity_form(
        request,
        plan,
        extra_steps=chosen,
        initial={
            "title": activity.title,
            "description": activity.description,
            "days": activity.days,
            "next_steps": chosen,
            "children": list(activity.children.all()),
            "led_by": activity.led_by,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_activity(activity=activity, plan=form.plan())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Activity saved.")
            return redirect(_board_url(activity.room_id, activity.week_of))
    return render(
        request,
        "keyworker/plan_activity.html",
        {"form": form, "room": activity.room, "week": activity.week_of, "activity": activity},
    )


@staff_required()
def evaluate_activity(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    children = Child.objects.filter(Q(room=activity.room_id) | Q(planned_activities=activity)).distinct()
    form = EvaluationForm(
        request.POST or None,
        children=children.order_by("first_name"),
        initial={"evaluation": activity.evaluation, "engaged": list(activity.engaged.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluate_activity(
                activity=activity,
                evaluation=form.cleaned_data["evaluation"],
                engaged=list(form.cleaned_data["engaged"]),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Evaluation saved.")
            return redirect(_board_url(activity.room_id, activity.week_of))
    return render(request, "keyworker/plan_evaluate.html", {"form": form, "activity": activity})


# --- Meetings with families -----------------------------------------------------------------------


@staff_required()
def meetings(request: HttpRequest) -> HttpResponse:
    """A member of staff's meetings: times they offer, families' requests, booked and past meetings.

    Managers see every meeting at the nursery; a key person sees their own.
    """
    post = request.staff_post
    can_offer = post.role == post.Role.PRACTITIONER  # only a key person's times can be booked
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
    spells = selectors.key_spells_for_guardian(request.user)
    children = list(children_of_guardian(request.user).order_by("first_name"))
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
            "meetings": selectors.meetings_for_family(request.user).exclude(status=Consultation.Status.CANCELLED),
            "notices": notices,
        },
    )


@login_required
def ask_for_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(children_of_guardian(request.user), pk=pk)
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
    wanted = request.POST.get("child", "")
    child = get_object_or_404(children_of_guardian(request.user), pk=int(wanted) if wanted.isdigit() else 0)
    slot = get_object_or_404(ConsultationSlot, pk=pk, key_person__nursery=child.nursery_id)
    try:
        meeting = services.book_slot(child=child, slot=slot, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("keyworker:family_meetings")
    messages.success(request, "Booked. The key person has been told.")
    return redirect("keyworker:meeting", pk=meeting.pk)


def _meeting(request: HttpRequest, pk: int, *, changing: bool = False) -> tuple[Consultation, bool]:
    """The meeting and whether the viewer is staff (else family); 404 for anyone else. Any member of staff
    may read it (to cover), but only its key person or a manager changes it (``changing``)."""
    meeting = selectors.meetings_for_staff(request.user).filter(pk=pk).first()
    if meeting is not None:
        if changing and not selectors.may_change_meeting(request.user, meeting):
            raise PermissionDenied("Only the key person or a manager can change this meeting.")
        return meeting, True
    return get_object_or_404(selectors.meetings_for_family(request.user), pk=pk), False


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the prepared summary and the notes afterwards. Family: the details and the agreed summary."""
    consultation, is_staff = _meeting(request, pk, changing=request.method == "POST")
    form = MeetingNotesForm(
        request.POST or None,
        initial={"notes": consultation.notes, "agreed_summary": consultation.agreed_summary},
    )
    if not is_staff and request.method == "POST":
        raise Http404("Staff write the notes.")
    if request.method == "POST" and form.is_valid():
        try:
            services.write_meeting_notes(consultation=consultation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Notes saved.")
            return redirect("keyworker:meeting", pk=pk)
    context = {"meeting": consultation, "is_staff": is_staff, "form": form}
    if is_staff:
        context["summary"] = selectors.meeting_summary(consultation)
    record_event(child=consultation.child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Meeting")
    if consultation.status == Consultation.Status.BOOKED:
        context["other_slots"] = selectors.free_slots(consultation.key_person_id)
    return render(request, "keyworker/meeting.html", context)


@require_POST
@login_required
def cancel_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    consultation, is_staff = _meeting(request, pk, changing=True)
    services.cancel_meeting(consultation=consultation, by=request.user)
    messages.success(request, "Meeting cancelled. The other side has been told.")
    return redirect("keyworker:meetings" if is_staff else "keyworker:family_meetings")


@require_POST
@login_required
def move_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    consultation, _ = _meeting(request, pk, changing=True)
    wanted = request.POST.get("slot", "")
    slot = get_object_or_404(
        ConsultationSlot, pk=int(wanted) if wanted.isdigit() else 0, key_person__nursery=consultation.child.nursery_id
    )
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
    slot = get_object_or_404(ConsultationSlot, pk=pk, key_person=request.staff_post)
    try:
        services.withdraw_slot(slot=slot)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Time withdrawn.")
    return redirect("keyworker:meetings")
