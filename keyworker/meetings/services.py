"""Writes for meetings with families (consultations): times offered, requests, bookings, notes, and the
notice (in the app and by e-mail through the outbox) the other side gets of each change."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent, Guardianship
from children.notices import news_recipients, news_unsubscribe_url
from children.services import record_event
from core.outbox import queue_mail
from keyworker.models import Consultation, ConsultationNotice, ConsultationSlot
from keyworker.selectors import key_person_on
from nursery.models import StaffMember

from . import selectors

SLOT_TAKEN = "Sorry, this time has just been booked by another family. Please choose another time."


def _is_family(user: User, child: Child) -> bool:
    return Guardianship.objects.filter(user=user, child=child).exists()


def _notify(
    consultation: Consultation,
    kind: str,
    *,
    actor: User,
    event: str,
    template: str = "keyworker/email/meeting",
    extra: dict | None = None,
) -> None:
    """Tell the other side (the key person, or the child's family), once per event, in the app and by e-mail
    (family members who turned these e-mails off see the notice only)."""
    child = consultation.child
    if _is_family(actor, child):
        recipients = User.objects.filter(pk=consultation.key_person.user_id)
        opt_outs: dict[int, str] = {}
    else:
        recipients = User.objects.filter(guardianships__child=child, guardianships__has_parental_responsibility=True)
        opt_outs = {
            link.user_id: news_unsubscribe_url(link)
            for link in news_recipients(child, has_parental_responsibility=True)
        }
    url = settings.SITE_URL + reverse("keyworker:meeting", args=[consultation.pk])
    for recipient in recipients.exclude(pk=actor.pk):
        notice, created = ConsultationNotice.objects.get_or_create(
            consultation=consultation, recipient=recipient, event=event, defaults={"kind": kind, "actor": actor}
        )
        wants_email = recipient.pk == consultation.key_person.user_id or recipient.pk in opt_outs
        if created and wants_email:
            queue_mail(
                key=f"meeting-notice:{notice.pk}:{recipient.pk}",
                kind="Meeting notice",
                to=recipient,
                template=template,
                context={"notice": notice, "meeting": consultation, "url": url, **(extra or {})},
                nursery_id=child.nursery_id,
                unsubscribe_url=opt_outs.get(recipient.pk, ""),
            )


@transaction.atomic
def offer_slot(
    *, key_person: StaffMember, starts_at: datetime, minutes: int, place: str, where: str = ""
) -> ConsultationSlot:
    if starts_at <= timezone.now():
        raise ValidationError("Choose a time in the future.")
    if minutes <= 0:
        raise ValidationError("A meeting needs a length.")
    # The key person's row is the lock: two offers at once cannot both pass the overlap check.
    StaffMember.objects.select_for_update().filter(pk=key_person.pk).first()
    ends_at = starts_at + timedelta(minutes=minutes)
    for other in ConsultationSlot.objects.filter(
        key_person=key_person,
        withdrawn_at__isnull=True,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - timedelta(days=1),
    ):
        if other.starts_at + timedelta(minutes=other.minutes) > starts_at:
            when = timezone.localtime(other.starts_at)
            raise ValidationError(
                f"You already offer {when:%H:%M} on {when:%A %-d %B} ({other.minutes} minutes): "
                "one person cannot be in two meetings at once."
            )
    return ConsultationSlot.objects.create(
        key_person=key_person, starts_at=starts_at, minutes=minutes, place=place, where=where.strip()
    )


def withdraw_slot(*, slot: ConsultationSlot) -> None:
    if slot.consultations.filter(status=Consultation.Status.BOOKED).exists():
        raise ValidationError("A family has booked this time: cancel the meeting first, so they are told.")
    slot.withdrawn_at = timezone.now()
    slot.save(update_fields=["withdrawn_at"])


@transaction.atomic
def request_meeting(*, child: Child, by: User, message: str, preferred_times: str) -> Consultation:
    """A family asks their child's key person for a meeting."""
    key_person = key_person_on(child)
    if key_person is None:
        raise ValidationError(f"{child.known_as} has no key person yet: please ask the nursery's manager.")
    if not message.strip():
        raise ValidationError("Say briefly what you would like to talk about.")
    consultation = Consultation.objects.create(
        child=child,
        key_person=key_person,
        requested_by=by,
        message=message.strip(),
        preferred_times=preferred_times.strip(),
    )
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CREATED, what="Meeting asked for")
    _notify(consultation, ConsultationNotice.Kind.REQUESTED, actor=by, event="requested")
    return consultation


def _check_slot(slot: ConsultationSlot, child: Child) -> None:
    key_person = key_person_on(child)
    if key_person is None or slot.key_person_id != key_person.pk:
        raise ValidationError(f"That time is not offered by {child.known_as}'s key person.")
    if slot.withdrawn_at is not None or slot.starts_at <= timezone.now():
        raise ValidationError("That time is no longer available. Please choose another.")


def _take_slot(consultation: Consultation, slot: ConsultationSlot) -> None:
    """Save the booking; the database's one-booking-per-slot constraint decides between two families."""
    try:
        with transaction.atomic():
            consultation.save()
    except IntegrityError:
        raise ValidationError(SLOT_TAKEN, code="slot_taken") from None


@transaction.atomic
def book_slot(*, child: Child, slot: ConsultationSlot, by: User, message: str = "") -> Consultation:
    """Book an offered time for a child, answering the family's open request for a meeting if there is one."""
    _check_slot(slot, child)
    if Consultation.objects.filter(selectors.live_booking(), slot=slot).exists():
        raise ValidationError(SLOT_TAKEN, code="slot_taken")
    consultation = (
        Consultation.objects.filter(child=child, key_person=slot.key_person, status=Consultation.Status.REQUESTED)
        .order_by("created_at")
        .first()
    ) or Consultation(child=child, key_person=slot.key_person, requested_by=by)
    consultation.slot = slot
    consultation.status = Consultation.Status.BOOKED
    consultation.booked_by, consultation.booked_at = by, timezone.now()
    consultation.message = consultation.message or message.strip()
    _take_slot(consultation, slot)
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Meeting booked")
    _notify(consultation, ConsultationNotice.Kind.BOOKED, actor=by, event=f"booked:{slot.pk}")
    return consultation


@transaction.atomic
def move_meeting(*, consultation: Consultation, slot: ConsultationSlot, by: User) -> Consultation:
    """Rebook a meeting into another offered time (the old one becomes free again)."""
    if consultation.status != Consultation.Status.BOOKED:
        raise ValidationError("Only a booked meeting can be moved.")
    _check_slot(slot, consultation.child)
    moved_from = consultation.slot
    consultation.slot = slot
    consultation.booked_by, consultation.booked_at = by, timezone.now()
    _take_slot(consultation, slot)
    record_event(child=consultation.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Meeting moved")
    # Each move is its own event (moving back to an earlier time must tell the other side again).
    event = f"moved:{slot.pk}:{consultation.booked_at.timestamp()}"
    _notify(
        consultation,
        ConsultationNotice.Kind.MOVED,
        actor=by,
        event=event,
        template="keyworker/email/meeting_moved",  # "moved from … to …", not "booked"
        extra={"moved_from": moved_from},
    )
    return consultation


@transaction.atomic
def cancel_meeting(*, consultation: Consultation, by: User) -> Consultation:
    if consultation.status in (Consultation.Status.HELD, Consultation.Status.CANCELLED):
        return consultation
    consultation.status = Consultation.Status.CANCELLED
    consultation.cancelled_by = by
    consultation.save(update_fields=["status", "cancelled_by"])
    record_event(child=consultation.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Meeting cancelled")
    _notify(consultation, ConsultationNotice.Kind.CANCELLED, actor=by, event="cancelled")
    return consultation


@transaction.atomic
def write_meeting_notes(*, consultation: Consultation, notes: str, agreed_summary: str, by: User) -> Consultation:
    """After the meeting: notes for staff, and a summary agreed with the family that the family reads."""
    if consultation.status not in (Consultation.Status.BOOKED, Consultation.Status.HELD):
        raise ValidationError("Notes are written for a meeting that was booked.")
    if not (notes.strip() or agreed_summary.strip()):
        raise ValidationError("Write the notes or the agreed summary.")
    consultation.status = Consultation.Status.HELD
    consultation.notes, consultation.agreed_summary = notes.strip(), agreed_summary.strip()
    consultation.notes_by, consultation.notes_at = by, timezone.now()
    consultation.save()
    record_event(child=consultation.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Meeting notes")
    if consultation.agreed_summary:
        _notify(consultation, ConsultationNotice.Kind.NOTES, actor=by, event="notes")
    return consultation


def mark_notices_read(*, user: User) -> int:
    return ConsultationNotice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
