"""Each person's home page. The key person system is what ties children, families and staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import get_text_list
from django.views.decorators.http import require_POST

from accounts.views import report_dispatch
from children.forms import ConfidentialNoteForm
from children.models import ChildAuditEvent, ConfidentialNote, Guardianship
from children.selectors import (
    children_in_staff_care,
    children_of_guardian,
    children_on_roll,
    confidential_notes_of,
    is_guardian,
)
from children.services import add_confidential_note, record_event, set_feedback_by_email
from children.views import room_context
from nursery.models import StaffMember
from nursery.permissions import manager_required, staff_required
from nursery.selectors import pending_staff_invitations, primary_post, rooms_visible_to, staff_visible_to

from . import selectors, services


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


# --- End-of-session feedback ----------------------------------------------------------------


@staff_required()
def room_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Review every attending child's summary, add notes, and send them all with one button."""
    room = get_object_or_404(rooms_visible_to(request.user).filter(nursery=request.staff_post.nursery), pk=pk)
    day = timezone.localdate()
    sessions = selectors.feedback_sessions(room, day)
    chosen = request.GET.get("session") or request.POST.get("session")
    session = next((s for s in sessions if str(s.pk) == chosen), None) or selectors.current_session(sessions)
    if request.method == "POST" and session is not None:
        notes = {
            int(key[5:]): value for key, value in request.POST.items() if key.startswith("note-") and key[5:].isdigit()
        }
        result = services.send_room_feedback(room=room, session=session, day=day, notes=notes, by=request.user)
        if result.already_sent:
            names = get_text_list([child.known_as for child in result.already_sent], "and")
            messages.info(request, f"{names}: feedback had already been sent, so it was not sent again.")
        if result.sent:
            report_dispatch(
                request,
                result.dispatch,
                f"Feedback sent for {len(result.sent)} {'child' if len(result.sent) == 1 else 'children'}. "
                "Families can read it now.",
            )
        return redirect(f"{request.path}?session={session.pk}")
    rows = selectors.feedback_rows(room, session, day) if session else []
    context = room_context(request, room) | {
        "sessions": sessions,
        "session": session,
        "rows": rows,
        "waiting": [row for row in rows if not row.feedback or row.feedback.status != row.feedback.Status.SENT],
        "running": session is not None and timezone.localtime().time() < session.ends_at,
    }
    return render(request, "keyworker/room_feedback.html", context)


@manager_required
def undelivered_feedback(request: HttpRequest) -> HttpResponse:
    """Feedback e-mails that failed, for the manager to see (and try again once the problem is fixed)."""
    return render(
        request,
        "keyworker/undelivered_feedback.html",
        {
            "emails": selectors.undelivered_feedback_emails(request.user)[:200],
            "max_attempts": services.MAX_EMAIL_ATTEMPTS,
        },
    )


@require_POST
@manager_required
def retry_feedback_email(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(selectors.undelivered_feedback_emails(request.user), pk=pk)
    report_dispatch(
        request, services.retry_feedback_email(email=email), f"Trying again to e-mail {email.recipient.email}."
    )
    return redirect("keyworker:undelivered_feedback")


@login_required
def family_today(request: HttpRequest) -> HttpResponse:
    """The "today" part of the parent's home, fetched again every minute while the page is open."""
    return render(request, "keyworker/_family_today.html")


@login_required
def feedback_history(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(children_of_guardian(request.user), pk=pk)
    feedback = selectors.feedback_for_guardian(request.user).filter(child=child)[:100]
    return render(request, "keyworker/feedback_history.html", {"child": child, "feedback": feedback})


@require_POST
@login_required
def feedback_email_preference(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(Guardianship.objects.filter(user=request.user), child_id=pk)
    on = request.POST.get("email") == "on"
    set_feedback_by_email(guardianship=link, on=on)
    messages.success(
        request,
        f"You will {'now' if on else 'no longer'} get {link.child.known_as}'s daily feedback by e-mail"
        f"{'' if on else '. It is still here every day'}.",
    )
    return redirect("keyworker:my_children")


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
