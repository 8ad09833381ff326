"""Each person's home page, the key person and key group pages, the register and ratios, confidential
notes and the SENCO view. Thin: the work is in services, selectors and days."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.views import report_dispatch
from children.access import access_child
from children.day.selectors import stays_on
from children.forms import ConfidentialNoteForm
from children.models import Booking, Child, ChildAuditEvent, ConfidentialNote
from children.selectors import children_of_guardian, children_on_roll, confidential_notes_of, is_guardian, with_alerts
from children.services import add_confidential_note, record_event
from children.support_plans.selectors import children_with_support_needs
from core.dates import parse_day_param
from core.ids import parse_ids
from core.queue import all_of
from learning_stories.observations import selectors as story_selectors
from learning_stories.observations import services as story_services
from learning_stories.story.selectors import may_add_to_story
from learning_stories.wellbeing.selectors import low_wellbeing_streaks
from nursery import setup
from nursery.current import at_chosen_nursery, home_post
from nursery.groups import owned_groups
from nursery.permissions import manager_required, staff_required
from nursery.selectors import pending_staff_invitations, rooms_visible_to, staff_visible_to

from . import selectors, services
from .days import NurseryDays
from .feedback.services import record_family_day_seen
from .forms import AssignKeyPersonForm, ChildBuddyForm, KeyGroupForm, ReassignGroupForm
from .key_children import key_child_notes
from .meetings.ask_selectors import open_requests_for_family, requests_of_key_person
from .personal_plans.selectors import needs_plan_attention, with_plan_review
from .ratios import Cover

DASHBOARD_DAYS = 7


@login_required
def home(request: HttpRequest) -> HttpResponse:
    post = home_post(request)
    if post is not None:
        if post.is_manager and not setup.is_complete(post.nursery):
            return redirect("nursery:setup")  # a new nursery: the set-up checklist until it is done
        return redirect("keyworker:overview" if post.is_manager else "keyworker:my_key_children")
    if is_guardian(request.user):
        return redirect("keyworker:my_children")
    if group := owned_groups(request.user).first():
        return redirect("keyworker:group_overview", pk=group.pk)
    return render(request, "keyworker/no_role.html")


@manager_required
def manager_overview(request: HttpRequest) -> HttpResponse:
    """The manager's key person dashboard: where the system has holes, today and this week."""
    nursery = request.staff_post.nursery
    today = timezone.localdate()
    on_roll = children_on_roll(request.user).filter(nursery=nursery)
    per_room = dict(on_roll.order_by().values_list("room").annotate(Count("pk")))
    rooms = list(rooms_visible_to(request.user).filter(nursery=nursery).active(today))
    for room in rooms:
        room.on_roll = per_room.get(room.pk, 0)
    without = selectors.children_without_key_person(request.user).filter(nursery=nursery)
    days = NurseryDays(nursery, today, today + timedelta(days=DASHBOARD_DAYS - 1))
    cover_day = days.first_open_day()
    cover = (
        [row for row in days.register(cover_day) if row.cover != Cover.KEY_PERSON and not row.absence]
        if cover_day
        else []
    )
    groups = selectors.key_groups(nursery)
    here = [c for c in without if c.start_date and c.start_date <= today]
    starters = list(selectors.starters_without_key_person(request.user).filter(nursery=nursery))
    plans_due = list(  # a name and a link each: up to every child on roll, so no more than the name is read
        with_plan_review(on_roll.select_related(None).only("first_name", "last_name", "preferred_name"))
        .filter(needs_plan_attention(today))
        .order_by("first_name", "pk")
    )
    return render(
        request,
        "keyworker/manager_overview.html",
        {
            "nursery": nursery,
            "rooms": rooms,
            "children_count": sum(per_room.values()),
            "staff_count": staff_visible_to(request.user).filter(nursery=nursery).in_post().count(),
            "without_key_person": here,
            "starters_without": starters,
            "without_count": len(here) + len(starters),
            "pending_invitations": pending_staff_invitations(request.user).filter(nursery=nursery).count(),
            "cover_day": cover_day,
            "cover": cover,
            "shortfalls": days.shortfalls(),
            "groups": groups,
            "over_limit": [group for group in groups if group.over_limit],
            "plans_due": plans_due,
            "last_day": days.last,
            "today": today,
        },
    )


def _report(request: HttpRequest, result: services.Assigned, message: str) -> None:
    if result.dispatches:
        report_dispatch(request, all_of(result.dispatches), f"{message} The family is told by e-mail.")
    else:
        messages.success(request, message)


@manager_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a child's key person (with a reason), see who it has been, and name a buddy."""
    child = access_child(request.user, pk, manage=True)
    form = AssignKeyPersonForm(request.POST or None, nursery=child.nursery)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.assign_key_person(child=child, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            spell = result.assignments[0]
            _report(
                request,
                result,
                f"{spell.key_person.user.full_name} is {child.known_as}'s key person from {spell.starts_on:%-d %B %Y}.",
            )
            return redirect("children:detail", pk=child.pk)
    current = selectors.spell_on(child)
    if request.method == "GET":
        record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Key person history")
    return render(
        request,
        "keyworker/assign.html",
        {
            "child": child,
            "form": form,
            "history": selectors.assignment_history(child),
            "buddy_form": ChildBuddyForm(
                nursery=child.nursery,
                initial={"buddy": current.buddy_id if current else None},
                auto_id="buddy-form-%s",  # the key person form above has a "buddy" field too: ids stay unique
            ),
            "current": current,
        },
    )


@require_POST
@manager_required
def child_buddy(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk, manage=True)
    form = ChildBuddyForm(request.POST, nursery=child.nursery)
    if form.is_valid():
        try:
            services.set_child_buddy(child=child, buddy=form.cleaned_data["buddy"], by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"{child.known_as}'s buddy saved.")
    else:
        messages.error(request, "Choose someone who works at this nursery.")
    return redirect("keyworker:assign", pk=child.pk)


@manager_required
def key_groups(request: HttpRequest) -> HttpResponse:
    """Every key person's group: its children, size against limit, and buddy."""
    nursery = request.staff_post.nursery
    groups = selectors.key_groups(nursery)
    members: dict[int, list[Child]] = {}
    for spell in selectors.key_group_spells(nursery).select_related("child").order_by("child__first_name"):
        members.setdefault(spell.key_person_id, []).append(spell.child)
    for group in groups:
        group.children = members.get(group.pk, [])
    return render(request, "keyworker/key_groups.html", {"groups": groups})


@manager_required
def key_group(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.access_key_person(request.user, pk, nursery=request.staff_post.nursery)
    group = getattr(member, "key_group", None)
    form = KeyGroupForm(
        request.POST or None,
        key_person=member,
        initial={"size_limit": group.size_limit, "buddy": group.buddy_id} if group else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_key_group(key_person=member, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("buddy", exc)
        else:
            messages.success(request, f"{member.user.full_name}'s key group saved.")
            return redirect("keyworker:key_groups")
    return render(request, "keyworker/key_group.html", {"member": member, "form": form})


@manager_required
def reassign_group(request: HttpRequest, pk: int) -> HttpResponse:
    """Give every child of one key group a new key person in one action, e.g. when a practitioner leaves."""
    member = selectors.access_key_person(request.user, pk, nursery=request.staff_post.nursery)
    form = ReassignGroupForm(request.POST or None, from_person=member)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.reassign_key_group(from_person=member, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            to = form.cleaned_data["to_person"].user.full_name
            _report(request, result, f"{len(result.assignments)} children moved from {member.user.full_name} to {to}.")
            return redirect("keyworker:key_groups")
    children = Child.objects.filter(
        key_person_assignments__key_person=member, key_person_assignments__ends_on__isnull=True
    ).order_by("first_name")
    return render(request, "keyworker/reassign_group.html", {"member": member, "form": form, "children": children})


def _day_pages(request: HttpRequest) -> tuple[NurseryDays, dict]:
    """The day asked for (today by default), and what every day page shows about it."""
    days = NurseryDays(request.staff_post.nursery, parse_day_param(request.GET.get("day")))
    return days, {
        "day": days.first,
        "away": days.away(days.first),
        "previous": days.first - timedelta(days=1),
        "next": days.first + timedelta(days=1),
    }


@staff_required()
def register(request: HttpRequest) -> HttpResponse:
    """The daily register (a statutory record): each child booked or signed in, their hours, key person and cover."""
    days, context = _day_pages(request)
    rows = days.register(days.first, stays_on(request.staff_post.nursery_id, days.first))
    context |= {"rows": rows, "flagged": sum(1 for row in rows if row.flagged), "today": timezone.localdate()}
    return render(request, "keyworker/register.html", context)


@staff_required()
def ratios(request: HttpRequest) -> HttpResponse:
    """Staff needed against staff working, for each room and part of the day."""
    days, context = _day_pages(request)
    context |= {"room_periods": days.ratios(days.first), "reported_off": days.reported_off_on(days.first)}
    return render(request, "keyworker/ratios.html", context)


def low_wellbeing_in(children: list[Child]) -> list[Child]:
    """The key children whose last three wellbeing ratings were all low (one query)."""
    low = low_wellbeing_streaks(child.pk for child in children)
    return [child for child in children if child.pk in low]


@staff_required()
def my_key_children(request: HttpRequest) -> HttpResponse:
    """The key person's dashboard; a manager may choose another key person (``?key_person=``) to see theirs."""
    today = timezone.localdate()
    key_people, chosen = [], None
    if request.staff_post.is_manager:
        # A manager who is a key person sees their own group as "Me", first.
        key_people = [
            p for p in selectors.key_groups(request.staff_post.nursery, today) if p.user_id != request.user.pk
        ]
        chosen = next((person for person in key_people if str(person.pk) == request.GET.get("key_person")), None)
    shown = chosen.user if chosen else request.user
    children = list(
        with_alerts(
            with_plan_review(selectors.key_children_and_starters_of(shown).filter(nursery=request.staff_post.nursery))
        ).prefetch_related(Prefetch("bookings", queryset=Booking.objects.select_related("session")))
    )
    # Only the children this person may be the buddy of today (of the spell, or of the key person's group).
    buddy_of = selectors.assignments_on(today).filter(
        Q(buddy__user=request.user) | Q(buddy__isnull=True, key_person__key_group__buddy__user=request.user)
    )
    covering = [
        row
        for row in NurseryDays(request.staff_post.nursery, today, only=Q(pk__in=buddy_of.values("child_id"))).register(
            today
        )
        if row.cover == Cover.BUDDY and row.buddy.user_id == request.user.pk and not row.absence
    ]
    return render(
        request,
        "keyworker/my_key_children.html",
        {
            "children": key_child_notes(children, shown, today),
            "low_wellbeing": low_wellbeing_in(children),
            "today": today,
            "covering": [] if chosen else covering,
            "meeting_requests": requests_of_key_person(chosen or request.staff_post),
            "key_people": key_people,
            "chosen": chosen,
            "senco": request.staff_post.is_manager or request.staff_post.is_senco,
        },
    )


@login_required
def my_children(request: HttpRequest) -> HttpResponse:
    children = at_chosen_nursery(request, list(children_of_guardian(request.user)))
    spells = selectors.key_spells_for_guardian(request.user)
    links = {link.child_id: link for link in request.user.guardianships.all()}
    for child in children:
        child.guardian_link = links[child.pk]
        spell = spells.get(child.pk)
        child.key_person = spell.key_person if spell else None
        child.buddy = selectors.buddy_for(spell) if spell else None
        child.may_add_from_home = may_add_to_story(child.guardian_link, child)  # the rule the add page applies
        if child.has_left():  # the card names the key person they had, not "not chosen yet"
            child.key_person = selectors.key_person_on(child, child.leave_date)
    record_family_day_seen(user=request.user, child_ids=[child.pk for child in children])
    return render(
        request,
        "keyworker/my_children.html",
        {
            "children": children,
            "key_person_notices": [
                notice
                for notice in selectors.key_person_notices_for_guardian(request.user)
                if notice.assignment.child.nursery_id == getattr(request, "current_nursery_id", None)
            ],
            "today": timezone.localdate(),
            "meeting_requests": open_requests_for_family(request.user, children),
        },
    )


@staff_required()
def whats_new(request: HttpRequest) -> HttpResponse:
    """Families' comments and home contributions about the user's key children, unread first."""
    key_children = selectors.key_children_of(request.user).filter(nursery=request.staff_post.nursery)
    comments, contributions = story_selectors.whats_new(key_children.values("pk"))
    return render(
        request,
        "keyworker/whats_new.html",
        {"comments": comments[:100], "contributions": contributions[:100]},
    )


@require_POST
@staff_required()
def mark_read(request: HttpRequest) -> HttpResponse:
    comments, contributions = story_selectors.whats_new(selectors.key_children_of(request.user).values("pk"))
    ids = parse_ids(request.POST.getlist("comment"))
    entries = parse_ids(request.POST.getlist("entry"))
    story_services.mark_read(
        comment_ids=list(comments.filter(pk__in=ids).values_list("pk", flat=True)),
        entry_ids=list(contributions.filter(pk__in=entries).values_list("pk", flat=True)),
    )
    messages.success(request, "Marked as read.")
    return redirect("keyworker:whats_new")


@staff_required()
def confidential_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """All of a child's confidential notes, and recording one from a conversation with the family."""
    child = selectors.access_confidential_notes(request.user, pk)
    form = ConfidentialNoteForm(request.POST or None, by_staff=True)
    if request.method == "POST" and form.is_valid():
        add_confidential_note(
            child=child, by=request.user, text=form.cleaned_data["text"], source=ConfidentialNote.Source.STAFF
        )
        messages.success(request, "Confidential note saved.")
        return redirect("keyworker:confidential_notes", pk=child.pk)
    record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Confidential notes")
    return render(
        request,
        "keyworker/confidential_notes.html",
        {"child": child, "form": form, "notes": confidential_notes_of(child)},
    )


@staff_required()
def senco(request: HttpRequest) -> HttpResponse:
    """The SENCO's view across the nursery: children with SEN support, an EHC plan or an active plan."""
    post = request.staff_post
    if not (post.is_manager or post.is_senco):
        raise PermissionDenied("This page is for the nursery's SENCO and managers.")
    today = timezone.localdate()
    children = children_with_support_needs(post.nursery_id, today)
    key_people = {
        spell.child_id: spell.key_person
        for spell in selectors.assignments_on(today)
        .filter(child__in=[child.pk for child in children])
        .select_related("key_person__user")
        .order_by("starts_on")
    }
    for child in children:
        child.key_person = key_people.get(child.pk)
    return render(request, "keyworker/senco.html", {"children": children, "today": today})
