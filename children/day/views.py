"""Staff pages for the day in a room (register, care log, accidents) and a parent reading an accident report."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.models import User
from children.access import access_child
from children.collection.selectors import with_collectors
from children.models import Child
from children.panels import room_tabs
from children.selectors import with_alerts
from children.services import record_daily_view
from core import replay
from core.ids import parse_ids
from nursery.models import Room
from nursery.permissions import staff_required
from nursery.selectors import access_room, rooms_visible_to

from . import selectors, services
from .forms import CorrectCareEntryForm, IncidentForm, QuickCareForm
from .models import CareEntry, Meal, clock, names_of


def _time_today(value: time | None) -> datetime | None:
    return selectors.moment(timezone.localdate(), value) if value else None


def _time_field(request: HttpRequest) -> tuple[datetime | None, str]:
    """The optional "at" time a person typed for a correction, or an error to show them."""
    raw = request.POST.get("at", "").strip()
    if not raw:
        return None, ""
    try:
        return _time_today(datetime.strptime(raw, "%H:%M").time()), ""
    except ValueError:
        return None, "Type the time as hours and minutes, for example 09:30."


# A tablet's clock may run a little ahead of the server's: a tap this much "in the future" is now.
CLOCK_SLACK = timedelta(minutes=2)


def _queued_moment(request: HttpRequest) -> tuple[datetime | None, str]:
    """When a tap queued on the tablet was made: its local date and time ("2026-03-04T10:15"), or why not.

    Only today's, and never later than now: a Friday tap that reaches the server on Monday is refused with the
    reason (shown in the tablet's outbox) rather than recorded on Monday. A bare "10:15" (queued before the
    date was sent too) is taken as today's, as it always was.
    """
    raw = request.POST.get("at", "").strip()
    if not raw:
        return None, ""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return _time_field(request)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    made_on = timezone.localdate(moment)
    if made_on != timezone.localdate():
        day = dateformat.format(made_on, "l j F")
        return None, (
            f"This was saved on the tablet on {day} and only reached KeyStory today, so it was not recorded "
            "(the care log and register here are for today only). Make a note of it for that day, then remove it "
            "from the tablet."
        )
    if moment > timezone.now() + CLOCK_SLACK:
        return None, (
            f"This has a time later than now ({clock(moment)}), so it was not recorded. The tablet's clock may be "
            "wrong: check it, then enter this again."
        )
    return moment, ""


@staff_required()
def today(request: HttpRequest) -> HttpResponse:
    """Staff open the day in their own room (a manager in the first room)."""
    room = (
        request.staff_post.room
        or rooms_visible_to(request.user).filter(nursery=request.staff_post.nursery).active().first()
    )
    if room is None:
        messages.info(request, "Add a room first: the register and care log are kept per room.")
        return redirect("home")
    return redirect("children:room_care", pk=room.pk)


def _back_to_room(child: Child, page: str = "children:room_care", *, otherwise: str = "home") -> HttpResponse:
    """Back to the child's room's page, or ``otherwise`` for a child not in a room."""
    return redirect(page, pk=child.room_id) if child.room_id else redirect(otherwise)


def room_context(request: HttpRequest, room: Room) -> dict:
    """What ``children/_room_nav.html`` needs: the room, the nursery's rooms and the day's pages."""
    return {
        "room": room,
        "rooms": rooms_visible_to(request.user).filter(nursery=room.nursery_id).active()
        | Room.objects.filter(pk=room.pk),
        "room_tabs": room_tabs(),
        "tab": request.resolver_match.view_name,
        "today": timezone.localdate(),
    }


@staff_required()
def room_register(request: HttpRequest, pk: int) -> HttpResponse:
    room = access_room(request.user, pk, nursery_id=request.staff_post.nursery_id)
    day = timezone.localdate()
    children = with_collectors(
        selectors.mark_arrivals(with_alerts(selectors.register_for(room, day)).select_related("nursery"), day), day
    )
    record_daily_view(child_ids=[child.pk for child in children], actor=request.user, what="Register")
    not_arrived = sum(child.not_arrived for child in children)
    context = room_context(request, room) | {"children": children, "not_arrived": not_arrived}
    return render(request, "children/room_register.html", context)


@sensitive_post_parameters("collection_password")  # what the collector said is never in an error report
@require_POST
@staff_required()
def sign_in_or_out(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if replay.from_outbox(request):  # a sign-in made with no connection, sent later from the tablet
        return _queued_sign_in(request, pk, action)
    child = access_child(request.user, pk, in_care=True)
    at, error = _time_field(request)
    if not error:
        try:
            if action == "in":
                stay = services.sign_in(child=child, by=request.user, at=at)
            else:
                collector, password = request.POST.get("collector", ""), request.POST.get("collection_password", "")
                stay = services.sign_out(child=child, by=request.user, at=at, collector=collector, password=password)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    done = "" if error else f"{child.known_as} signed {action} at {clock(stay.signed_out_at or stay.signed_in_at)}."
    if not error and stay.collected_by:
        done = f"{done[:-1]}, collected by {stay.collected_by}."
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return _back_to_room(child, "children:room_register", otherwise="children:today")
    if child.room_id:
        day = timezone.localdate()
        row = with_alerts(selectors.register_for(child.room, day)).select_related("nursery").filter(pk=child.pk)
        child = with_collectors(selectors.mark_arrivals(row, day), day)[0]
    # After a refusal the person chosen stays chosen (never the password typed).
    chosen = request.POST.get("collector", "") if error else ""
    context = {"child": child, "status": done, "error": error, "chosen": chosen}
    return render(request, "children/_register_row.html", context)


def _queued_sign_in(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action != "in":
        return replay.refused(["Signing out needs the connection: the collection details are checked at once."])
    try:
        child = access_child(request.user, pk, in_care=True)
    except Http404:
        child = None
    if child is None or child.has_left():
        return replay.refused(["This child can no longer be signed in here: they may have left the nursery."])

    def work() -> tuple[str, str]:
        at, error = _queued_moment(request)
        if error:
            return "", error
        try:
            stay = services.sign_in(child=child, by=request.user, at=at)
        except ValidationError as exc:
            return "", " ".join(exc.messages)
        return f"{child.known_as} signed in at {clock(stay.signed_in_at)}.", ""

    return replay.once(request, work)


def _care_context(room: Room, day: date) -> dict:
    in_room = with_alerts(selectors.register_for(room, day))
    now = timezone.now()
    return {
        "present": selectors.present_at(in_room, now),
        "sleeping": selectors.asleep_now(in_room, now),
        "log": selectors.care_log(in_room, day),
        "incidents": selectors.incidents_for(in_room, day),
    }


def _default_meal(moment: datetime) -> str:
    hour = timezone.localtime(moment).hour + timezone.localtime(moment).minute / 60
    for until, meal in (
        (9.5, Meal.BREAKFAST),
        (11, Meal.MORNING_SNACK),
        (13.5, Meal.LUNCH),
        (16, Meal.AFTERNOON_SNACK),
    ):
        if hour < until:
            return meal
    return Meal.TEA


@dataclass
class Tap:
    """What one tap on the room screen did: a message, what Undo takes back, or a question to confirm first."""

    done: str = ""
    undo: dict | None = None  # {"kind": "entries" | "wake" | "checks", "items": [ids]}
    short_sleep: dict | None = None  # {"question", "children", "at"}: a sleep under 5 minutes, not yet saved


def _log_quick_entry(request: HttpRequest, form: QuickCareForm, at: datetime | None = None) -> Tap:
    """Apply one tap from the room screen (at ``at``, else the form's time today, else now); adds the reason to
    the form when it is refused."""
    data = form.cleaned_data
    kind, _, value = data["action"].partition(":")
    children, at, note = list(data["child"]), at or _time_today(data["at"]), data["note"]
    by = request.user
    undo = "entries"
    try:
        if kind == "sleep" and value == "end":
            short_ok = request.POST.get("confirm") == "short-sleep"
            saved = services.end_sleep(children=children, by=by, at=at, short_ok=short_ok)
            what, undo = "Woke up", "wake"
        elif kind == "sleep":
            change = {"start": services.start_sleep, "check": services.check_sleep}[value]
            saved = change(children=children, by=by, at=at)
            what = {"start": "Asleep", "check": "Sleep checked"}[value]
            undo = "checks" if value == "check" else undo
        elif kind == CareEntry.Kind.MEAL:
            saved = services.log_care(
                children=children, kind=kind, by=by, at=at, meal=data["meal"], amount=value, note=note
            )
            what = saved[0].summary
        elif kind in (CareEntry.Kind.NAPPY, CareEntry.Kind.TOILET):
            saved = services.log_care(children=children, kind=kind, by=by, at=at, condition=value, note=note)
            what = saved[0].summary
        else:
            saved = services.log_care(children=children, kind=kind, by=by, at=at, note=note)
            what = CareEntry.Kind(kind).label
    except services.ShortSleep as exc:
        question = exc.messages[0]
        return Tap(short_sleep={"question": question, "children": children, "at": request.POST.get("at", "")})
    except ValidationError as exc:
        form.add_error(None, exc)
        return Tap()
    return Tap(
        done=f"{what}: {names_of(children)}, {clock(saved[0].at)}.",
        undo={"kind": undo, "items": [item.pk for item in saved]},
    )


def _care_page(
    request: HttpRequest, room: Room, form: QuickCareForm, tap: Tap, error: str = "", *, clear: bool = True
) -> HttpResponse:
    """The care log (the whole page, or for htmx the day's list with the status sent out of band)."""
    day = timezone.localdate()
    error = error or " ".join(message for messages_ in form.errors.values() for message in messages_)
    record_daily_view(
        child_ids=form.fields["child"].queryset.values_list("pk", flat=True), actor=request.user, what="Care log"
    )
    context = room_context(request, room) | _care_context(room, day)
    context |= {"form": form, "saved": tap.done, "error": error, "undo": tap.undo, "short_sleep": tap.short_sleep}
    context["clear_inputs"] = clear and bool(tap.done)  # a tap was saved: empty the note and time for the next
    return render(request, "children/_care_day.html" if request.htmx else "children/room_care.html", context)


def _care_form(room: Room, data=None) -> QuickCareForm:
    return QuickCareForm(
        data,
        children=selectors.register_for(room, timezone.localdate()),
        initial={"meal": _default_meal(timezone.now())},
    )


@staff_required()
def room_care(request: HttpRequest, pk: int) -> HttpResponse:
    """The room's care log on a tablet: tick the children, tap what happened."""
    room = access_room(request.user, pk, nursery_id=request.staff_post.nursery_id)
    if request.method == "POST" and replay.from_outbox(request):  # a tap made with no connection, sent later
        return replay.once(request, lambda: _queued_tap(request, room))
    form = _care_form(room, request.POST or None)
    tap = Tap()
    if request.method == "POST" and form.is_valid():
        tap = _log_quick_entry(request, form)
        if tap.done and not request.htmx:
            messages.success(request, tap.done)
            return redirect("children:room_care", pk=room.pk)
    return _care_page(request, room, form, tap)


def _queued_tap(request: HttpRequest, room: Room) -> tuple[str, str]:
    """What a tap queued on the tablet did, or why it was refused (shown there with the tap)."""
    at, error = _queued_moment(request)
    if error:
        return "", error
    data = request.POST.copy()
    data.pop("at", None)  # the date and time it was made are ``at``: the form's field takes only a time
    form = _care_form(room, data)
    tap = _log_quick_entry(request, form, at=at) if form.is_valid() else Tap()
    if tap.short_sleep:  # the tablet shows the question and offers "Send anyway" (confirm=short-sleep)
        raise replay.Confirm(tap.short_sleep["question"], "confirm", "short-sleep")
    error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    return tap.done, error or ("" if tap.done else "This could not be saved.")


UNDO_KINDS = {"entries", "wake", "checks"}  # what a tap made: entries, a sleep ended, sleep checks


@require_POST
@staff_required()
def undo_care(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the last tap on the room screen (offered for a few seconds after it): what it saved is taken back."""
    room = access_room(request.user, pk, nursery_id=request.staff_post.nursery_id)
    kind = request.POST.get("undo", "")
    ids = parse_ids(request.POST.getlist("item"))
    error = done = ""
    try:
        if kind not in UNDO_KINDS:
            raise ValidationError("Nothing to undo.")
        if kind == "checks":
            checks = selectors.sleep_checks_to_undo(request.user, ids)
            services.undo_checks(checks=checks, by=request.user)
            done = f"Taken back: sleep check for {names_of(check.entry.child for check in checks)}."
        else:
            entries = selectors.care_entries_to_undo(request.user, ids)
            if kind == "wake":
                services.undo_wake(sleeps=entries, by=request.user)
                done = f"Taken back: {names_of(entry.child for entry in entries)} still asleep."
            else:
                services.undo_entries(entries=entries, by=request.user)
                done = f"Taken back: {entries[0].summary} for {names_of(entry.child for entry in entries)}."
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return redirect("children:room_care", pk=room.pk)
    return _care_page(request, room, _care_form(room), Tap(done=done), error=error, clear=False)


@staff_required()
def correct_care_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.access_care_entry(request.user, pk)
    staff = User.objects.filter(staff_posts__nursery=entry.child.nursery_id, staff_posts__is_active=True)
    initial = {
        "at": timezone.localtime(entry.at).time(),
        "ends_at": timezone.localtime(entry.ends_at).time() if entry.ends_at else None,
        "amount": entry.amount,
        "condition": entry.condition,
        "note": entry.note,
        "done_by": entry.by,
    }
    form = CorrectCareEntryForm(request.POST or None, entry=entry, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = entry.day
        try:
            services.correct_care_entry(
                entry=entry,
                by=request.user,
                done_by=data["done_by"],
                at=selectors.moment(day, data["at"]),
                ends_at=selectors.moment(day, data["ends_at"]) if data.get("ends_at") else None,
                amount=data.get("amount", ""),
                condition=data.get("condition", ""),
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Corrected: {entry.child.known_as}, {entry.summary}.")
            return _back_to_room(entry.child)
    return render(request, "children/correct_care_entry.html", {"entry": entry, "form": form})


@require_POST
@staff_required()
def remove_care_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.access_care_entry(request.user, pk)
    services.remove_care_entry(entry=entry, by=request.user)
    messages.success(request, f"Removed: {entry.child.known_as}, {entry.summary} at {clock(entry.at)}.")
    return _back_to_room(entry.child)


@staff_required()
def report_incident(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk, in_care=True)
    form = IncidentForm(request.POST or None, initial={"at": timezone.localtime().time().replace(second=0)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_incident(
                child=child,
                by=request.user,
                happened_at=_time_today(data["at"]),
                **{name: data[name] for name in ("kind", "what_happened", "where", "first_aid", "witness")},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Report saved. {child.known_as}'s family will be asked to read it today.")
            return _back_to_room(child)
    return render(request, "children/report_incident.html", {"child": child, "form": form})


@require_POST
@login_required
def acknowledge_incident(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.access_incident(request.user, pk)
    services.acknowledge_incident(incident=incident, by=request.user)
    messages.success(request, "Thank you: the nursery can see you have read the report.")
    return redirect("home")
