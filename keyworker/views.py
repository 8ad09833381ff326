"""Each person's home page. The key person system is what ties children, families and staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from children.forms import ConfidentialNoteForm
from children.models import ChildAuditEvent, ConfidentialNote
from children.selectors import (
    children_in_staff_care,
    children_of_guardian,
    children_on_roll,
    confidential_notes_of,
    is_guardian,
)
from children.services import add_confidential_note, record_event
from learning_stories import selectors as story_selectors
from learning_stories import services as story_services
from nursery.models import StaffMember
from nursery.permissions import manager_required, staff_required
from nursery.selectors import pending_staff_invitations, primary_post, rooms_visible_to, staff_visible_to

from . import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    post = primary_post(request.user)
    if post is not None:
        return redirect("keyworker:overview" if post.is_manager else "keyworker:my_key_children")
    if is_guardian(request.user):
        return redirect("keyworker:my_children")
    return render(request, "keyworker/no_role.html")


@manager_required
def manager_overview(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    on_roll = children_on_roll(request.user).filter(nursery=nursery)
    per_room = dict(on_roll.order_by().values_list("room").annotate(Count("pk")))
    rooms = list(rooms_visible_to(request.user).filter(nursery=nursery))
    for room in rooms:
        room.on_roll = per_room.get(room.pk, 0)
    return render(
        request,
        "keyworker/manager_overview.html",
        {
            "nursery": nursery,
            "rooms": rooms,
            "children_count": sum(per_room.values()),
            "staff_count": staff_visible_to(request.user).filter(nursery=nursery, is_active=True).count(),
            "without_key_person": selectors.children_without_key_person(request.user).filter(nursery=nursery),
            "pending_invitations": pending_staff_invitations(request.user).filter(nursery=nursery).count(),
        },
    )


@staff_required(StaffMember.Role.PRACTITIONER, StaffMember.Role.MANAGER)
def my_key_children(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "keyworker/my_key_children.html",
        {"children": selectors.key_children_of(request.user), "today": timezone.localdate()},
    )


@login_required
def my_children(request: HttpRequest) -> HttpResponse:
    children = list(children_of_guardian(request.user))
    key_people = selectors.key_people_for_guardian(request.user)
    for child in children:
        child.key_person = key_people.get(child.pk)
    return render(request, "keyworker/my_children.html", {"children": children})


@staff_required(StaffMember.Role.PRACTITIONER, StaffMember.Role.MANAGER)
def whats_new(request: HttpRequest) -> HttpResponse:
    """Families' comments and home contributions about the user's key children, unread first."""
    comments, contributions = story_selectors.whats_new(selectors.key_children_of(request.user).values("pk"))
    return render(
        request,
        "keyworker/whats_new.html",
        {"comments": comments[:100], "contributions": contributions[:100]},
    )


@require_POST
@staff_required(StaffMember.Role.PRACTITIONER, StaffMember.Role.MANAGER)
def mark_read(request: HttpRequest) -> HttpResponse:
    comments, contributions = story_selectors.whats_new(selectors.key_children_of(request.user).values("pk"))
    ids = [int(value) for value in request.POST.getlist("comment") if value.isdigit()]
    entries = [int(value) for value in request.POST.getlist("entry") if value.isdigit()]
    story_services.mark_read(
        comment_ids=list(comments.filter(pk__in=ids).values_list("pk", flat=True)),
        entry_ids=list(contributions.filter(pk__in=entries).values_list("pk", flat=True)),
    )
    messages.success(request, "Marked as read.")
    return redirect("keyworker:whats_new")


@staff_required()
def confidential_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """All of a child's confidential notes, and recording one from a conversation with the family."""
    child = get_object_or_404(children_in_staff_care(request.user), pk=pk)
    if not selectors.may_read_confidential_notes(request.user, child):
        raise PermissionDenied("Confidential notes are for the child's key person and the managers.")
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
