"""Writes for a key person asking a family to meet: the request with one to three times, the family's answer
(a time taken, or another proposed), and the booking. An agreed time is booked through ``services.offer_slot``
and ``services.book_slot``, so it is an ordinary consultation with the prepared summary and the usual notices."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent
from children.notices import news_recipients, news_unsubscribe_url
from children.services import record_event
from core.outbox import queue_mail
from keyworker.models import Consultation, ConsultationSlot, MeetingRequest
from keyworker.selectors import key_person_on

from . import services
from .ask_selectors import OPEN, may_ask_to_meet

ASK_AHEAD = timedelta(days=92)  # a meeting a key person asks for is soon; three months catches a wrong year
MAX_TIMES = 3


def check_time(when: datetime, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if when <= now:
        raise ValidationError("Choose a time in the future.")
    if when > now + ASK_AHEAD:
        raise ValidationError("Choose a time within the next three months.")


def _clean_times(times: list[datetime | None]) -> list[datetime]:
    chosen = sorted({when for when in times if when is not None})
    if not chosen:
        raise ValidationError("Suggest at least one time.")
    if len(chosen) > MAX_TIMES:
        raise ValidationError(f"Suggest at most {MAX_TIMES} times.")
    for when in chosen:
        check_time(when)
    return chosen


def _set_times(meeting_request: MeetingRequest, times: list[datetime]) -> None:
    padded = [*times, None, None][:MAX_TIMES]
    meeting_request.first_time, meeting_request.second_time, meeting_request.third_time = padded


def _tell_family(meeting_request: MeetingRequest, *, event: str) -> None:
    """E-mail the child's family (those with parental responsibility who have not turned off news e-mails);
    everyone with parental responsibility sees the request on their home page either way."""
    url = settings.SITE_URL + reverse("keyworker:family_meeting_request", args=[meeting_request.pk])
    for link in news_recipients(meeting_request.child, has_parental_responsibility=True):
        queue_mail(
            key=f"meeting-request:{meeting_request.pk}:{event}:{link.user_id}",
            kind="Meeting request",
            to=link.user,
            template="keyworker/email/meeting_request",
            context={"meeting_request": meeting_request, "recipient": link.user, "url": url},
            nursery_id=meeting_request.child.nursery_id,
            unsubscribe_url=news_unsubscribe_url(link),
        )


def _check_family(meeting_request: MeetingRequest, by: User) -> None:
    if not meeting_request.child.guardianships.filter(user=by, has_parental_responsibility=True).exists():
        raise PermissionDenied("Only the child's family can answer.")


def _check_care_team(meeting_request: MeetingRequest, by: User) -> None:
    if not may_ask_to_meet(by, meeting_request.child):
        raise PermissionDenied("Only the child's key person, their buddy or a manager can do this.")


@transaction.atomic
def ask_to_meet(
    *,
    child: Child,
    by: User,
    reason: str,
    times: list[datetime | None],
    urgent: bool = False,
    place: str = ConsultationSlot.Place.IN_PERSON,
) -> MeetingRequest:
    """The care team asks the child's family to meet their key person at one of ``times``."""
    if not may_ask_to_meet(by, child):
        raise PermissionDenied("Only the child's key person, their buddy or a manager can ask the family to meet.")
    key_person = key_person_on(child)
    if key_person is None:
        raise ValidationError(f"{child.known_as} has no key person yet: choose one first.")
    if not reason.strip():
        raise ValidationError("Say briefly, in words the family understands, what you would like to talk about.")
    meeting_request = MeetingRequest(
        child=child, key_person=key_person, asked_by=by, reason=reason.strip(), urgent=urgent, place=place
    )
    _set_times(meeting_request, _clean_times(times))
    meeting_request.save()
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CREATED, what="Family asked to meet")
    _tell_family(meeting_request, event="asked")
    return meeting_request


def _book(meeting_request: MeetingRequest, when: datetime, *, by: User) -> Consultation:
    """Book ``when`` with the child's key person today: a free time they already offer at that minute, or a
    new one offered for this family (so another family cannot take it: it is booked in the same transaction)."""
    key_person = key_person_on(meeting_request.child)
    if key_person is None:
        raise ValidationError(f"{meeting_request.child.known_as} has no key person just now: please ask the nursery.")
    slot = services.selectors.free_slots(key_person).filter(starts_at=when).first()
    if slot is None:
        try:
            slot = services.offer_slot(
                key_person=key_person, starts_at=when, minutes=meeting_request.minutes, place=meeting_request.place
            )
        except ValidationError:
            raise ValidationError(
                "The key person is no longer free at that time. Please choose or propose another time."
            ) from None
    consultation = services.book_slot(child=meeting_request.child, slot=slot, by=by, message=meeting_request.reason)
    meeting_request.status = MeetingRequest.Status.ACCEPTED
    meeting_request.key_person = key_person
    meeting_request.consultation = consultation
    meeting_request.answered_by, meeting_request.answered_at = by, timezone.now()
    meeting_request.save()
    return consultation


@transaction.atomic
def accept_time(*, meeting_request: MeetingRequest, when: datetime, by: User) -> Consultation:
    """The family takes one of the suggested times: it becomes a booked meeting."""
    _check_family(meeting_request, by)
    meeting_request = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    if meeting_request.status != MeetingRequest.Status.WAITING:
        raise ValidationError("This request has already been answered.")
    if when not in meeting_request.times:
        raise ValidationError("Choose one of the times suggested.")
    if when <= timezone.now():
        raise ValidationError("That time has passed. Please propose another time.")
    return _book(meeting_request, when, by=by)


@transaction.atomic
def propose_time(*, meeting_request: MeetingRequest, when: datetime, note: str, by: User) -> MeetingRequest:
    """The family proposes a time of their own (none suggested suits them): the key person answers."""
    _check_family(meeting_request, by)
    meeting_request = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    if meeting_request.status not in OPEN:
        raise ValidationError("This request has already been answered.")
    check_time(when)
    meeting_request.status = MeetingRequest.Status.PROPOSED
    meeting_request.proposed_time, meeting_request.proposal_note = when, note.strip()
    meeting_request.answered_by, meeting_request.answered_at = by, timezone.now()
    meeting_request.save()
    record_event(
        child=meeting_request.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Another meeting time"
    )
    queue_mail(  # the key person answers: tell them now, not only on their page
        key=f"meeting-proposed:{meeting_request.pk}:{meeting_request.answered_at.timestamp()}",
        kind="Meeting time proposed",
        to=meeting_request.key_person.user,
        template="keyworker/email/meeting_proposed",
        context={
            "meeting_request": meeting_request,
            "url": settings.SITE_URL + reverse("keyworker:meeting_request", args=[meeting_request.pk]),
        },
        nursery_id=meeting_request.child.nursery_id,
    )
    return meeting_request


@transaction.atomic
def accept_proposal(*, meeting_request: MeetingRequest, by: User) -> Consultation:
    """The care team takes the time the family proposed: it becomes a booked meeting (the family is told)."""
    _check_care_team(meeting_request, by)
    meeting_request = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    if meeting_request.status != MeetingRequest.Status.PROPOSED or meeting_request.proposed_time is None:
        raise ValidationError("The family has not proposed a time.")
    if meeting_request.proposed_time <= timezone.now():
        raise ValidationError("That time has passed. Suggest new times instead.")
    return _book(meeting_request, meeting_request.proposed_time, by=by)


@transaction.atomic
def suggest_again(*, meeting_request: MeetingRequest, times: list[datetime | None], by: User) -> MeetingRequest:
    """The care team suggests new times (the proposed one does not suit): the family is asked again."""
    _check_care_team(meeting_request, by)
    meeting_request = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    if meeting_request.status not in OPEN:
        raise ValidationError("This request is closed.")
    _set_times(meeting_request, _clean_times(times))
    meeting_request.status = MeetingRequest.Status.WAITING
    meeting_request.save()
    _tell_family(meeting_request, event=f"again:{meeting_request.updated_at.timestamp()}")
    return meeting_request


@transaction.atomic
def cancel_request(*, meeting_request: MeetingRequest, by: User) -> MeetingRequest:
    _check_care_team(meeting_request, by)
    if meeting_request.status in OPEN:
        meeting_request.status = MeetingRequest.Status.CANCELLED
        meeting_request.save(update_fields=["status", "updated_at"])
        record_event(
            child=meeting_request.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Meeting ask withdrawn"
        )
    return meeting_request
