"""Writes: sending a message (text and/or a photo), marking a thread read, announcements and their
acknowledgement, and the family's e-mail choice. E-mails are queued in ``notices``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent, Guardianship
from children.selectors import not_left_by
from children.services import record_event
from core.images import ProcessedImage, queue_thumbnail
from nursery.models import Nursery, Room

from . import notices, selectors
from .models import (
    ANNOUNCEMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    Announcement,
    AnnouncementReceipt,
    Conversation,
    EmailChoice,
    Message,
    ReadMark,
)


def send_message(
    *,
    child: Child,
    by: User,
    as_family: bool,
    text: str,
    photo: ProcessedImage | None = None,
    others_in_photo: list[Child] | None = None,
) -> Message:
    """Add a message to the child's conversation (made on the first message); the sender has read up to it.
    The family hears of a message from the nursery by e-mail, as each member chose.

    A photo from the nursery is of the child, with ``others_in_photo`` (other children of the nursery) if any,
    and follows the story's photo consent rules. A family's photo of their own child needs no consent check,
    but a family cannot say other children are in it (they cannot see who those children are)."""
    text = text.strip()
    others = [other for other in others_in_photo or [] if other.pk != child.pk] if photo is not None else []
    if not text and photo is None:
        raise ValidationError("Write a message or add a photo.")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(f"Keep a message under {MESSAGE_MAX_LENGTH} characters ({len(text)} now).")
    if as_family and others:
        raise ValidationError("A family's photo is of their own child: other children cannot be named in it.")
    if any(other.nursery_id != child.nursery_id for other in others):
        raise ValidationError("Choose children of this nursery.")
    if photo is not None and not as_family:
        problems = selectors.photo_consent_problems(child, others)
        if problems:
            raise ValidationError(problems)
    with transaction.atomic():
        conversation, _ = Conversation.objects.select_for_update().get_or_create(child=child)
        now = timezone.now()
        message = Message(conversation=conversation, author=by, from_family=as_family, text=text, sent_at=now)
        if photo is not None:
            message.photo.save("photo.jpg", photo.as_file(), save=False)
        message.save()
        if photo is not None:
            message.children_in_photo.set([child, *others])
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        mark_read(conversation=conversation, user=by, up_to=message.pk)
        record_event(
            child=child,
            actor=by,
            action=ChildAuditEvent.Action.CREATED,
            what=f"Message {'from the family' if as_family else 'to the family'}",
        )
        if photo is not None:
            queue_thumbnail(message)
        if not as_family:
            notices.notify_family_of_message(message=message, child=child)
    return message


def mark_read(*, conversation: Conversation, user: User, up_to: int | None = None) -> None:
    """The user has read the thread up to message ``up_to`` (its newest message by default); never goes back."""
    if up_to is None:
        up_to = conversation.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
    mark, created = ReadMark.objects.get_or_create(
        conversation=conversation, user=user, defaults={"last_read": up_to, "read_at": timezone.now()}
    )
    if not created and mark.last_read < up_to:
        ReadMark.objects.filter(pk=mark.pk, last_read__lt=up_to).update(last_read=up_to, read_at=timezone.now())


def announcement_audience(nursery: Nursery, room: Room | None) -> list[int]:
    """Ids of the family members of children at the nursery (or in the room) who have not left: any guardian,
    as announcements are news for every family member, view-only ones too."""
    children = Child.objects.filter(not_left_by(timezone.localdate()), nursery=nursery)
    if room is not None:
        children = children.filter(room=room)
    return list(
        Guardianship.objects.filter(child__in=children, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def send_announcement(*, nursery: Nursery, room: Room | None, title: str, text: str, by: User) -> Announcement:
    """Send news to every family of the room (or of the nursery): each family member gets a receipt to
    acknowledge, fixed now, so the manager sees exactly who has not read it."""
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise ValidationError("Give the announcement a title and some words.")
    if len(text) > ANNOUNCEMENT_MAX_LENGTH:
        raise ValidationError(f"Keep an announcement under {ANNOUNCEMENT_MAX_LENGTH} characters.")
    if room is not None and room.nursery_id != nursery.pk:
        raise ValidationError("Choose one of this nursery's rooms.")
    with transaction.atomic():
        announcement = Announcement.objects.create(nursery=nursery, room=room, title=title, text=text, sent_by=by)
        users = announcement_audience(nursery, room)
        AnnouncementReceipt.objects.bulk_create(
            AnnouncementReceipt(announcement=announcement, user_id=user_id) for user_id in users
        )
        notices.notify_families_of_announcement(announcement=announcement, user_ids=users)
    return announcement


def acknowledge(*, receipt: AnnouncementReceipt) -> AnnouncementReceipt:
    """The family member has read it ("I've read this"); a second tap changes nothing."""
    if receipt.acknowledged_at is None:
        receipt.acknowledged_at = timezone.now()
        AnnouncementReceipt.objects.filter(pk=receipt.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=receipt.acknowledged_at
        )
    return receipt


def set_email_frequency(*, user: User, frequency: str) -> EmailChoice:
    if frequency not in EmailChoice.Frequency.values:
        raise ValidationError("Choose how often to hear by e-mail.")
    choice, _ = EmailChoice.objects.update_or_create(user=user, defaults={"frequency": frequency})
    return choice
