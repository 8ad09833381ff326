"""End-of-session feedback pages: the room's feedback to review and send, and what the family reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.views import report_dispatch
from children.access import access_own_child, access_own_guardianship
from children.day.models import names_of
from children.day.views import room_context
from children.selectors import children_of_guardian
from children.services import record_daily_view, set_feedback_by_email
from core.ids import parse_id
from core.mail_unsubscribe import one_click_view
from core.queue import all_of
from core.text import SHORT, text_problem
from nursery.permissions import staff_required
from nursery.selectors import access_room

from . import selectors, services


@staff_required()
def room_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Review every attending child's summary, add notes, and send them all with one button."""
    room = access_room(request.user, pk, nursery_id=request.staff_post.nursery_id)
    day = timezone.localdate()
    sessions = selectors.feedback_sessions(room, day)
    chosen = request.GET.get("session") or request.POST.get("session")
    session = next((s for s in sessions if str(s.pk) == chosen), None) or selectors.current_session(sessions)
    posted = request.method == "POST" and session is not None
    notes, refused = {}, {}
    if posted:
        typed = ((key[5:], value) for key, value in request.POST.items() if key.startswith("note-"))
        notes = {child_id: value for written, value in typed if (child_id := parse_id(written)) is not None}
        problems = {child_id: text_problem(value, SHORT, "each note") for child_id, value in notes.items()}
        refused = {child_id: problem for child_id, problem in problems.items() if problem}
    if posted and not refused:
        result = services.send_room_feedback(room=room, session=session, day=day, notes=notes, by=request.user)
        if result.already_sent:
            names = names_of(result.already_sent)
            messages.info(request, f"{names}: feedback had already been sent, so it was not sent again.")
        if result.sent:
            report_dispatch(
                request,
                all_of(result.dispatches),
                f"Feedback sent for {len(result.sent)} {'child' if len(result.sent) == 1 else 'children'}. "
                "Families can read it now.",
            )
        return redirect(f"{request.path}?session={session.pk}")
    rows = selectors.feedback_rows(room, session, day) if session else []
    if refused:  # nothing was sent: every typed note back in its box, the reason under each one refused
        messages.error(request, "Nothing was sent yet: please shorten or correct the note marked below.")
        for row in rows:
            row.typed_note, row.note_error = notes.get(row.child.pk, ""), refused.get(row.child.pk, "")
    record_daily_view(child_ids=[row.child.pk for row in rows], actor=request.user, what="End-of-session feedback")
    context = room_context(request, room) | {
        "refused": bool(refused),
        "sessions": sessions,
        "session": session,
        "rows": rows,
        "waiting": [row for row in rows if not row.feedback or row.feedback.status != row.feedback.Status.SENT],
        "running": session is not None and timezone.localtime().time() < session.ends_at,
    }
    return render(request, "keyworker/room_feedback.html", context)


@login_required
def family_today(request: HttpRequest) -> HttpResponse:
    """The "today" part of the parent's home, fetched again every minute while the page is open."""
    services.record_family_day_seen(
        user=request.user, child_ids=children_of_guardian(request.user).values_list("pk", flat=True)
    )
    return render(request, "keyworker/_family_today.html")


@login_required
def feedback_history(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_own_child(request.user, pk)
    record_daily_view(child_ids=[child.pk], actor=request.user, what="Feedback history")
    feedback = selectors.feedback_for_guardian(request.user).filter(child=child)[:100]
    return render(request, "keyworker/feedback_history.html", {"child": child, "feedback": feedback})


# The link in each feedback e-mail that stops them, without logging in (core.mail_unsubscribe).
feedback_email_off = one_click_view(services.FEEDBACK_EMAILS)


@require_POST
@login_required
def feedback_email_preference(request: HttpRequest, pk: int) -> HttpResponse:
    link = access_own_guardianship(request.user, pk)
    on = request.POST.get("email") == "on"
    set_feedback_by_email(guardianship=link, on=on)
    messages.success(
        request,
        f"You will {'now' if on else 'no longer'} get {link.child.known_as}'s daily feedback by e-mail"
        f"{'' if on else '. It is still here every day'}.",
    )
    return redirect("keyworker:my_children")
