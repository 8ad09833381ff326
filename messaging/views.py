"""Messages and announcements pages. Thin: reads in selectors, writes in services."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from children.models import ChildAuditEvent
from children.services import record_event
from core.mail_unsubscribe import one_click_view
from core.private_media import private_file_response
from nursery.current import current_post
from nursery.models import Room
from nursery.permissions import staff_required

from . import selectors, services
from .forms import AnnouncementForm, EmailChoiceForm, MessageForm
from .models import Message
from .notices import MESSAGE_EMAILS


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Every conversation the person takes part in, newest first with unread counts; families also see
    announcements waiting for them."""
    post = current_post(request)
    family_rows = selectors.inbox_rows(request.user, as_family=True)
    if post is None and not family_rows and not selectors.announcements_for_family(request.user).exists():
        raise PermissionDenied("Messages are for families and the nursery's staff.")
    team_rows = selectors.inbox_rows(request.user, as_family=False, nursery_id=post.nursery_id) if post else []
    waiting = list(selectors.announcements_for_family(request.user).filter(acknowledged_at__isnull=True)[:20])
    hours = {row.child.nursery_id: row.child.nursery for row in family_rows}
    return render(
        request,
        "messaging/inbox.html",
        {
            "post": post,
            "family_rows": family_rows,
            "team_rows": team_rows,
            "waiting": waiting,
            "opening_hours": [(nursery, selectors.opening_hours(nursery)) for nursery in hours.values()],
        },
    )


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    """One child's messages; sending one (text and/or a photo). A bad photo or an over-long text comes back with
    what was typed kept."""
    child, side = selectors.access_conversation_child(request.user, pk)
    others = None if side.as_family else selectors.children_who_may_be_in_photo(child)
    form = MessageForm(child=child, others=others)
    if request.method == "POST":
        if not side.may_send:
            raise PermissionDenied(side.reason)
        form = MessageForm(request.POST, request.FILES, child=child, others=others)
        if form.is_valid():
            try:
                services.send_message(
                    child=child,
                    by=request.user,
                    as_family=side.as_family,
                    text=form.cleaned_data["text"],
                    photo=form.cleaned_data["photo"],
                    others_in_photo=list(form.cleaned_data.get("others_in_photo") or []),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                flash.success(request, "Message sent.")
                return redirect("messaging:conversation", pk=child.pk)
    found = selectors.conversation_of(child)
    thread = selectors.thread(found)
    if found is not None and request.method == "GET":
        services.mark_read(conversation=found, user=request.user)
    selectors.add_receipts(thread, found, as_family=side.as_family)
    record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Messages")
    return render(
        request,
        "messaging/conversation.html",
        {
            "child": child,
            "side": side,
            "thread": thread,
            "form": form,
            "opening_hours": selectors.opening_hours(child.nursery),
        },
        status=400 if form.errors else 200,
    )


@login_required
def photo(request: HttpRequest, pk: int, size: str = "full") -> HttpResponse:
    """A message's photo, for the people in that child's conversation only (404 for anyone else), and for the
    family only while consent still allows it (checked now, not when it was sent)."""
    message = get_object_or_404(Message.objects.select_related("conversation"), pk=pk)
    try:
        _, side = selectors.access_conversation_child(request.user, message.conversation.child_id)
    except PermissionDenied:
        raise Http404("No such photo.") from None
    if side.as_family and selectors.withheld_photo_ids([message], message.conversation.child_id):
        raise Http404("No such photo.")
    if size == "thumb":
        return private_file_response(request, message.photo_thumbnail or message.photo)
    return private_file_response(request, message.photo)


def _rooms_for(post) -> tuple:
    if post.is_manager:
        return Room.objects.active().filter(nursery=post.nursery), True
    return Room.objects.active().filter(pk=post.room_id, nursery=post.nursery), False


@staff_required()
def announcements(request: HttpRequest) -> HttpResponse:
    """The nursery's announcements with how many families have read each; sending a new one (managers to
    any room or everyone, other staff to their own room)."""
    post = request.staff_post
    rooms, whole = _rooms_for(post)
    form = AnnouncementForm(request.POST or None, rooms=rooms, whole_nursery=whole)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.send_announcement(
                nursery=post.nursery,
                room=form.cleaned_data["room"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            flash.success(request, "Announcement sent.")
            return redirect("messaging:announcement", pk=announcement.pk)
    return render(
        request,
        "messaging/announcements.html",
        {
            "form": form,
            "may_send": rooms.exists() or whole,
            "announcements": selectors.announcements_for_staff(post.nursery_id)[:50],
        },
        status=400 if form.errors else 200,
    )


@login_required
def announcement(request: HttpRequest, pk: int) -> HttpResponse:
    """A family member reads it and says so; the manager (and whoever sent it) sees who has not read it yet."""
    found, receipt, may_report = selectors.access_announcement(request.user, pk)
    waiting, done = selectors.acknowledgement_report(found) if may_report else ([], [])
    return render(
        request,
        "messaging/announcement.html",
        {"announcement": found, "receipt": receipt, "may_report": may_report, "waiting": waiting, "done": done},
    )


@require_POST
@login_required
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    found, receipt, _ = selectors.access_announcement(request.user, pk)
    if receipt is None:
        raise Http404("This announcement was not sent to you.")
    services.acknowledge(receipt=receipt)
    flash.success(request, "Thank you: the nursery can see you have read it.")
    return redirect("messaging:announcement", pk=found.pk)


@login_required
def email_preference(request: HttpRequest) -> HttpResponse:
    """A family member chooses how they hear of messages by e-mail: straight away, once a day, or not at all."""
    if not selectors.family_links_for_messages(request.user).exists():
        raise PermissionDenied("This page is for families.")
    form = EmailChoiceForm(request.POST or None, initial={"frequency": selectors.email_frequency(request.user)})
    if request.method == "POST" and form.is_valid():
        services.set_email_frequency(user=request.user, frequency=form.cleaned_data["frequency"])
        flash.success(request, "Saved.")
        return redirect("messaging:email_preference")
    return render(request, "messaging/email_preference.html", {"form": form})


email_off = one_click_view(MESSAGE_EMAILS)
