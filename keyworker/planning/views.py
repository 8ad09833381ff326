"""The weekly planning board of each room. Thin: reads in selectors, writes in services, and anything not
the viewer's answers 404."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from children.day.views import room_context
from children.models import Child
from children.services import record_daily_view
from core.dates import parse_day_param
from core.ids import parse_ids
from nursery.permissions import staff_required
from nursery.selectors import access_room, rooms_visible_to

from . import selectors, services
from .forms import ActivityForm, EvaluationForm


def _week(request: HttpRequest) -> date:
    return selectors.monday_of(parse_day_param(request.GET.get("week"), name="week"))


def _board_url(room_id: int, week: date) -> str:
    return f"{reverse('keyworker:plan_board', args=[room_id])}?week={week.isoformat()}"


@staff_required()
def planning(request: HttpRequest) -> HttpResponse:
    """The menu's "Planning": the board of the user's own room (or the nursery's first room)."""
    room = (
        request.staff_post.room
        or rooms_visible_to(request.user).filter(nursery=request.staff_post.nursery).active().first()
    )
    if room is None:
        raise Http404("This nursery has no rooms yet.")
    return redirect("keyworker:plan_board", pk=room.pk)


@staff_required()
def board(request: HttpRequest, pk: int) -> HttpResponse:
    room = access_room(request.user, pk)
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
    room = access_room(request.user, pk)
    week = _week(request)
    plan = selectors.planning_board(room, week)
    wanted = parse_ids(request.GET.getlist("step"))
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


@staff_required()
def edit_activity(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.access_activity(request.user, pk)
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
    activity = selectors.access_activity(request.user, pk)
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
