"""Writes for the key person system: end-of-session feedback and its delivery."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Attendance, Child, ChildAuditEvent
from children.selectors import moment, sessions_attended
from children.services import record_event
from config.queue import Dispatch, enqueue
from nursery.models import NurserySession, Room

from .models import FeedbackEmail, SessionFeedback
from .selectors import feedback_rows
from .summaries import scopes_for, summaries

# How long after a session ends the sweep waits for the key person before sending feedback itself.
FEEDBACK_GRACE = timedelta(minutes=30)
# E-mail attempts (the first try and Celery's retries) before a failure is left to the manager.
MAX_EMAIL_ATTEMPTS = 6
# The sweep tries a failed e-mail again once this long has passed since its last attempt.
SWEEP_RETRY_AFTER = timedelta(minutes=15)


@dataclass
class RoomFeedbackSent:
    sent: list[SessionFeedback] = field(default_factory=list)
    already_sent: list[Child] = field(default_factory=list)
    dispatch: Dispatch = field(default_factory=Dispatch)


def _all_queued(dispatches: list[Dispatch]) -> Dispatch:
    """One Dispatch for many: queued only if every one was (callbacks run in order, after theirs)."""
    combined = Dispatch()

    def settle() -> None:
        combined.queued = all(d.queued for d in dispatches)

    transaction.on_commit(settle)
    return combined


@transaction.atomic
def send_room_feedback(
    *, room: Room, session: NurserySession, day: date, notes: dict[int, str], by: User
) -> RoomFeedbackSent:
    """Save feedback for every child of the room who attended the session and queue its delivery.

    A child whose feedback was already sent (by a colleague or the sweep) is skipped: never twice.
    """
    from .tasks import deliver_feedback

    result = RoomFeedbackSent()
    dispatches = []
    for row in feedback_rows(room, session, day):
        note = notes.get(row.child.pk, "").strip()
        feedback, created = SessionFeedback.objects.get_or_create(
            child=row.child,
            session=session,
            day=day,
            defaults={"summary": row.summary, "note": note, "written_by": by},
        )
        if not created:
            feedback = SessionFeedback.objects.select_for_update().get(pk=feedback.pk)
            if feedback.status == SessionFeedback.Status.SENT:
                result.already_sent.append(row.child)
                continue
            feedback.note, feedback.written_by = note, by
            feedback.save(update_fields=["note", "written_by"])
        record_event(
            child=row.child,
            actor=by,
            action=ChildAuditEvent.Action.CREATED,
            what=f"Feedback written for the {session.name.lower()} session",
        )
        dispatches.append(enqueue(deliver_feedback, feedback.pk))
        result.sent.append(feedback)
    result.dispatch = _all_queued(dispatches)
    return result


def _recipients(feedback: SessionFeedback) -> list[User]:
    """Family members who receive feedback and asked for it by e-mail."""
    return [
        link.user
        for link in feedback.child.guardianships.filter(
            receives_feedback=True, feedback_by_email=True, user__is_active=True
        ).select_related("user")
    ]


def publish_feedback(*, feedback_id: int) -> bool:
    """Show the feedback in the parent portal and list who gets it by e-mail; once only. True if it did."""
    with transaction.atomic():
        feedback = SessionFeedback.objects.select_for_update().filter(pk=feedback_id).first()
        if feedback is None or feedback.status == SessionFeedback.Status.SENT:
            return False
        feedback.status, feedback.sent_at = SessionFeedback.Status.SENT, timezone.now()
        feedback.save(update_fields=["status", "sent_at"])
        FeedbackEmail.objects.bulk_create(
            [FeedbackEmail(feedback=feedback, recipient=user) for user in _recipients(feedback)],
            ignore_conflicts=True,
        )
        record_event(
            child=feedback.child,
            actor=None,
            action=ChildAuditEvent.Action.SHARED,
            what=f"Feedback for the {feedback.session.name.lower()} session sent to the family",
        )
    return True


def send_feedback_email(*, email_id: int) -> str:
    """E-mail one family member their copy, unless it already went. Returns the error, or "" when fine.

    The row is locked while sending, so a retried task or a racing worker waits and then sees it sent.
    """
    with transaction.atomic():
        email = (
            FeedbackEmail.objects.select_for_update(of=("self",))
            .select_related("feedback__child", "feedback__session", "feedback__written_by", "recipient")
            .get(pk=email_id)
        )
        if email.sent_at:
            return ""
        email.attempts += 1
        email.last_attempt_at = timezone.now()
        context = {
            "feedback": email.feedback,
            "recipient": email.recipient,
            "url": f"{settings.SITE_URL}{reverse('keyworker:feedback_history', args=[email.feedback.child_id])}",
        }
        try:
            send_mail(
                subject=render_to_string("keyworker/email/feedback_subject.txt", context).strip(),
                message=render_to_string("keyworker/email/feedback.txt", context),
                from_email=None,
                recipient_list=[email.recipient.email],
            )
        except OSError as exc:  # smtplib's errors are OSErrors: the mail server is down or refused us
            email.last_error = f"{type(exc).__name__}: {exc}"[:300]
        else:
            email.sent_at, email.last_error = timezone.now(), ""
        email.save(update_fields=["attempts", "last_attempt_at", "last_error", "sent_at"])
    return email.last_error


def deliver_feedback(*, feedback_id: int) -> list[str]:
    """Publish the feedback and e-mail whoever still needs it. Idempotent; returns the e-mail errors."""
    publish_feedback(feedback_id=feedback_id)
    pending = FeedbackEmail.objects.filter(feedback_id=feedback_id, sent_at__isnull=True).values_list("pk", flat=True)
    return [error for error in (send_feedback_email(email_id=pk) for pk in pending) if error]


def create_missing_feedback(*, now: datetime | None = None) -> list[int]:
    """Feedback from the care log for sessions that ended (plus the grace period) without any. Returns new ids.

    Yesterday is looked at too, so a sweep that did not run overnight still catches the last sessions.
    Two sweeps at once are safe: the unique constraint makes the second one find the first one's row.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = []
    for day in (today - timedelta(days=1), today):
        children = Child.objects.filter(pk__in=Attendance.objects.filter(day=day).values("child_id"))
        attended = sessions_attended(children, day, now=now)
        done = set(SessionFeedback.objects.filter(day=day).values_list("child_id", "session_id"))
        due: dict[NurserySession, list[Child]] = {}
        by_pk = {child.pk: child for child in children.filter(pk__in=list(attended))}
        for child_id, sessions in attended.items():
            for session in sessions:
                if (child_id, session.pk) not in done and moment(day, session.ends_at) + FEEDBACK_GRACE <= now:
                    due.setdefault(session, []).append(by_pk[child_id])
        for session, waiting in due.items():
            written = summaries(scopes_for(waiting, session, day, attended))
            for child in waiting:
                with transaction.atomic():
                    feedback, was_created = SessionFeedback.objects.get_or_create(
                        child=child, session=session, day=day, defaults={"summary": written[child.pk]}
                    )
                if was_created:
                    created.append(feedback.pk)
    return created


def feedback_to_deliver(*, now: datetime | None = None) -> list[int]:
    """Feedback saved but never published (the broker was down), or with an e-mail worth trying again."""
    now = now or timezone.now()
    unpublished = SessionFeedback.objects.filter(status=SessionFeedback.Status.READY).values_list("pk", flat=True)
    quiet_since = now - SWEEP_RETRY_AFTER
    # Failed a while ago, or never tried at all (the worker stopped after publishing).
    stalled = Q(last_attempt_at__lte=quiet_since) | Q(last_attempt_at__isnull=True, feedback__sent_at__lte=quiet_since)
    retry = FeedbackEmail.objects.filter(stalled, sent_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS).values_list(
        "feedback_id", flat=True
    )
    return sorted(set(unpublished) | set(retry))


@transaction.atomic
def retry_feedback_email(*, email: FeedbackEmail) -> Dispatch:
    """A manager asks for another try (after fixing an address or the mail server)."""
    from .tasks import deliver_feedback

    return enqueue(deliver_feedback, email.feedback_id)
