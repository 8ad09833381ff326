"""Rooms: the manager's pages to add, change, archive and bring back rooms, with the rules they keep.

- Together the rooms in use take every age from their youngest to their oldest: a change that would leave
  children of some age in no room is refused, naming the ages.
- An archived room is no longer offered for new children, staff, invitations or moves, and drops out of
  ratios from its archiving day; every record that names it (a child's history, past registers, room
  moves) keeps doing so. A room that still has children, staff whose usual room it is, or children planned
  to move into it, is not archived: the manager is told whom to move first. Apps above this one say which
  of their records keep a room in use through ``register_archive_check``.
"""

from collections.abc import Callable, Iterable
from datetime import date

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import selectors
from .models import Nursery, Room, StaffMember
from .permissions import manager_required

OLDEST_MONTHS = 72  # six years: older than any child in the early years

# ---------------------------------------------------------------------------------------------- the rules


def age_gap(ranges: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
    """The first ages in months, between the youngest and oldest any range takes, that no range takes.

    Ranges include both ends, in whole months: 0 to 23 and 24 to 35 follow on from each other.
    """
    ordered = sorted(ranges)
    if not ordered:
        return None
    reach = ordered[0][1]
    for youngest, oldest in ordered[1:]:
        if youngest > reach + 1:
            return reach + 1, youngest - 1
        reach = max(reach, oldest)
    return None


def describe_gap(gap: tuple[int, int]) -> str:
    first, last = gap
    ages = f"{first} months" if first == last else f"{first} to {last} months"
    return f"No room would take children aged {ages}."


# Functions from (nursery, day) to the children there who need a room that day (on roll or starting), as
# (name, age in months) pairs: the children app registers one, as this app knows no children.
_children_ages: list[Callable[[Nursery, date], list[tuple[str, int]]]] = []


def register_children_ages(ages: Callable[[Nursery, date], list[tuple[str, int]]]) -> None:
    if ages not in _children_ages:
        _children_ages.append(ages)


def _takes(ranges: list[tuple[int, int]], age: int) -> bool:
    return any(youngest <= age <= oldest for youngest, oldest in ranges)


def left_without_a_room(nursery: Nursery, before: list[tuple[int, int]], after: list[tuple[int, int]]) -> str:
    """The children whose age some room takes now but none would after the change, as a sentence; "" if none."""
    today = timezone.localdate()
    stranded = [
        f"{name} ({age} months)"
        for ages in _children_ages
        for name, age in ages(nursery, today)
        if _takes(before, age) and not _takes(after, age)
    ]
    if not stranded:
        return ""
    return f"{names(stranded)} would then be in no room's age range."


def gap_after(nursery: Nursery, *, without: Room | None = None, adding: tuple[int, int] | None = None) -> str:
    """What would go wrong with the nursery's rooms in use, minus ``without`` and plus ``adding``: ages between
    the youngest and the oldest that no room takes, or children on roll whose age no room would take any
    more; "" if nothing."""
    rooms = nursery.rooms.active()
    before = list(rooms.values_list("min_age_months", "max_age_months"))
    if without is not None and without.pk:
        rooms = rooms.exclude(pk=without.pk)
    ranges = list(rooms.values_list("min_age_months", "max_age_months"))
    if adding is not None:
        ranges.append(adding)
    gap = age_gap(ranges)
    return describe_gap(gap) if gap else left_without_a_room(nursery, before, ranges)


# Functions from (room, day) to a sentence naming what keeps the room in use (e.g. the children in it), or "".
_archive_checks: list[Callable[[Room, date], str]] = []


def register_archive_check(check: Callable[[Room, date], str]) -> None:
    if check not in _archive_checks:
        _archive_checks.append(check)


def names(people: Iterable[str]) -> str:
    people = list(people)
    return people[0] if len(people) == 1 else f"{', '.join(people[:-1])} and {people[-1]}"


def _staff_in_room(room: Room, day: date) -> str:
    staff = StaffMember.objects.in_post(day).filter(room=room).select_related("user")
    if not staff:
        return ""
    return f"Change the usual room of {names(member.user.full_name for member in staff)} (on the Staff page)."


register_archive_check(_staff_in_room)


class RoomNotArchived(Exception):
    """``str(exc)`` says why, for the manager."""


@transaction.atomic
def archive_room(*, room: Room, day: date | None = None) -> Room:
    """Stop offering the room from ``day`` (today); refused while it is in use or if it would leave an age gap."""
    day = day or timezone.localdate()
    Nursery.objects.select_for_update().get(pk=room.nursery_id)  # one change to a nursery's rooms at a time
    room.refresh_from_db()
    if room.archived_on is not None and room.archived_on <= day:
        return room
    in_use = [reason for check in _archive_checks if (reason := check(room, day))]
    if in_use:
        raise RoomNotArchived(f"{room.name} is still in use. " + " ".join(in_use))
    if gap := gap_after(room.nursery, without=room):
        raise RoomNotArchived(f"{room.name} cannot be archived: {gap} Change another room's ages first.")
    room.archived_on = day
    room.save(update_fields=["archived_on"])
    return room


@transaction.atomic
def restore_room(*, room: Room) -> Room:
    """Offer an archived room again."""
    Nursery.objects.select_for_update().get(pk=room.nursery_id)
    room.refresh_from_db()
    if gap := gap_after(room.nursery, adding=(room.min_age_months, room.max_age_months)):
        raise RoomNotArchived(f"{room.name} cannot be used again with these ages: {gap} Change its ages first.")
    room.archived_on = None
    room.save(update_fields=["archived_on"])
    return room


# ---------------------------------------------------------------------------------------------- the form


class RoomForm(forms.ModelForm):
    min_age_months = forms.IntegerField(
        label="Youngest age (months)", min_value=0, max_value=OLDEST_MONTHS, help_text="0 for babies from birth."
    )
    max_age_months = forms.IntegerField(
        label="Oldest age (months)",
        min_value=0,
        max_value=OLDEST_MONTHS,
        help_text="e.g. 23 for children up to their second birthday.",
    )
    capacity = forms.IntegerField(
        label="Places", min_value=1, max_value=200, help_text="The most children in the room at once."
    )

    class Meta:
        model = Room
        fields = ["name", "min_age_months", "max_age_months", "capacity"]
        labels = {"name": "Room name"}
        help_texts = {"name": "e.g. Babies, Toddlers, Pre-school"}

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.nursery = nursery

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        clash = Room.objects.filter(nursery=self.instance.nursery, name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            archived = " (archived: you can bring it back from the list)" if clash.first().archived_on else ""
            raise forms.ValidationError(f"There is already a room called {name}{archived}. Choose another name.")
        return name

    def clean(self) -> dict:
        data = super().clean()
        youngest, oldest = data.get("min_age_months"), data.get("max_age_months")
        if youngest is None or oldest is None:
            return data
        if youngest > oldest:
            self.add_error("max_age_months", "The oldest age must be the same as the youngest age or more.")
        elif self.instance.archived_on is None or self.instance.archived_on > timezone.localdate():
            gap = gap_after(self.instance.nursery, without=self.instance, adding=(youngest, oldest))
            if gap:
                self.add_error(None, f"{gap} Change the ages so that the rooms follow on from each other.")
        return data


# ---------------------------------------------------------------------------------------------- the pages


@manager_required
def room_list(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    rooms = selectors.rooms_visible_to(request.user).filter(nursery=nursery)
    today = timezone.localdate()
    return render(
        request,
        "nursery/room_list.html",
        {
            "nursery": nursery,
            "rooms": rooms.active(today),
            "archived": rooms.exclude(pk__in=rooms.active(today)).order_by("-archived_on", "name"),
            "gap": gap_after(nursery),
        },
    )


@manager_required
def room_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a room or, with ``pk``, change one."""
    nursery = request.staff_post.nursery
    room = selectors.access_room(request.user, pk, nursery_id=nursery.pk) if pk else None
    form = RoomForm(request.POST or None, instance=room, nursery=nursery)
    if request.method == "POST":
        with transaction.atomic():
            # Checked under the lock, so two managers' changes cannot leave an age gap between them.
            Nursery.objects.select_for_update().get(pk=nursery.pk)
            saved = form.save() if form.is_valid() else None
        if saved is not None:
            messages.success(request, f"{saved.name} saved.")
            return redirect("nursery:rooms")
    return render(request, "nursery/room_form.html", {"form": form, "room": room})


@require_POST
@manager_required
def archive_room_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = selectors.access_room(request.user, pk, nursery_id=request.staff_post.nursery_id)
    try:
        archive_room(room=room)
    except RoomNotArchived as reason:
        messages.error(request, str(reason))
    else:
        messages.success(request, f"{room.name} archived. Records that name it keep it.")
    return redirect("nursery:rooms")


@require_POST
@manager_required
def restore_room_view(request: HttpRequest, pk: int) -> HttpResponse:
    room = selectors.access_room(request.user, pk, nursery_id=request.staff_post.nursery_id)
    try:
        restore_room(room=room)
    except RoomNotArchived as reason:
        messages.error(request, str(reason))
    else:
        messages.success(request, f"{room.name} is in use again.")
    return redirect("nursery:rooms")
