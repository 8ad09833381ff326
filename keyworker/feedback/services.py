"""Writes for end-of-session feedback: saving a room's feedback, publishing it to the family (with its
e-mails, through the outbox) and writing what nobody sent from the care log."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.day.models import Attendance
from children.day.selectors import moment, sessions_attended
from children.models import Child, ChildAuditEvent, Guardianship
from children.services import record_daily_view, record_event, set_feedback_by_email
from core.mail_unsubscribe import EmailSetting, Subscription, unsubscribe_url
from core.outbox import queue_mail
from core.queue import Dispatch, enqueue
from keyworker.models import SessionFeedback
from nursery.models import NurserySession, Room

from .selectors import feedback_rows
from .summaries import scopes_for, summaries

# How long after a session ends the sweep waits for the key person before sending feedback itself.
FEEDBACK_GRACE = timedelta(minutes=30)


@dataclass
class RoomFeedbackSent:
    sent: list[SessionFeedback] = field(default_factory=list)
    already_sent: list[Child] = field(default_factory=list)
    dispatches: list[Dispatch] = field(default_factory=list)


@transaction.atomic
def send_room_feedback(
    *, room: Room, session: NurserySession, day: date, notes: dict[int, str], by: User
) -> RoomFeedbackSent:
    """Save feedback for every child of the room who attended the session and queue its publishing.

    A child whose feedback was already sent (by a colleague or the sweep) is skipped: never twice.
    """
    from keyworker.tasks import publish_feedback  # the task calls this module

    result = RoomFeedbackSent()
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
        result.dispatches.append(enqueue(publish_feedback, feedback.pk))
        result.sent.append(feedback)
    return result


def _feedback_emails(user: User, child_id: int | None) -> Subscription | None:
    link = Guardianship.objects.filter(user=user, child_id=child_id).select_related("child").first()
    if link is None:
        return None
    return Subscription(
        what=f"{link.child.known_as}'s end-of-session feedback by e-mail",
        on=link.feedback_by_email,
        turn_off=lambda: set_feedback_by_email(guardianship=link, on=False),
        settings_url=reverse("keyworker:my_children"),
    )


# The one-click "stop these e-mails" of a feedback e-mail turns off that child's feedback by e-mail (it
# stays on the family's page): the same switch as "Stop e-mails" there.
FEEDBACK_EMAILS = EmailSetting(kind="feedback", url_name="keyworker:feedback_email_off", find=_feedback_emails)


def _recipients(feedback: SessionFeedback) -> list[User]:
    """Family members who receive feedback and asked for it by e-mail."""
    return [
        link.user
        for link in feedback.child.guardianships.filter(
            receives_feedback=True, feedback_by_email=True, user__is_active=True
        ).select_related("user")
    ]


def publish_feedback(*, feedback_id: int) -> bool:
    """Show the feedback in the parent portal and queue the e-mails of those who asked; once only.

    True if it did. Each e-mail is an outbox row keyed by feedback and person, so it goes once.
    """
    with transaction.atomic():
        feedback = (
            SessionFeedback.objects.select_for_update(of=("self",))
            .select_related("child", "session", "written_by")
            .filter(pk=feedback_id)
            .first()
        )
        if feedback is None or feedback.status == SessionFeedback.Status.SENT:
            return False
        feedback.status, feedback.sent_at = SessionFeedback.Status.SENT, timezone.now()
        feedback.save(update_fields=["status", "sent_at"])
        url = f"{settings.SITE_URL}{reverse('keyworker:feedback_history', args=[feedback.child_id])}"
        for user in _recipients(feedback):
            queue_mail(
                key=f"feedback:{feedback.pk}:{user.pk}",
                kind="End-of-session feedback",
                to=user,
                template="keyworker/email/feedback",
                context={"feedback": feedback, "recipient": user, "url": url},
                nursery_id=feedback.child.nursery_id,
                unsubscribe_url=unsubscribe_url(FEEDBACK_EMAILS, user, feedback.child_id),
            )
        record_event(
            child=feedback.child,
            actor=None,
            action=ChildAuditEvent.Action.SHARED,
            what=f"Feedback for the {feedback.session.name.lower()} session sent to the family",
        )
    return True


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


def unpublished_feedback_ids() -> list[int]:
    """Feedback saved but never published: the broker was down, or the sweep has just written it."""
    return list(SessionFeedback.objects.filter(status=SessionFeedback.Status.READY).values_list("pk", flat=True))


def record_family_day_seen(*, user: User, child_ids: Iterable[int]) -> None:
    """Note in each child's record that the family member read the day at nursery and its feedback."""
    record_daily_view(child_ids=child_ids, actor=user, what="The day at nursery and feedback")
