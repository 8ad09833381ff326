"""Reads for end-of-session feedback: the room's sessions and summaries to review, and what families read."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from children.day.models import CareEntry, Incident
from children.day.selectors import care_log, sessions_attended
from children.models import Child, Guardianship
from children.selectors import children_of_guardian
from keyworker.models import SessionFeedback
from keyworker.selectors import assignments_on
from nursery.models import NurserySession, Room, StaffMember

from .summaries import scopes_for, summaries


@dataclass
class FeedbackRow:
    """One child on a room's feedback page: the summary to review and any feedback already saved."""

    child: Child
    summary: str
    feedback: SessionFeedback | None
    key_person: StaffMember | None


def feedback_sessions(room: Room, day: date, *, now: datetime | None = None) -> list[NurserySession]:
    """The sessions that children of the room attended on the day, in time order."""
    attended = sessions_attended(Child.objects.filter(room=room), day, now=now)
    return sorted(
        {session for sessions in attended.values() for session in sessions}, key=lambda s: (s.starts_at, s.ends_at)
    )


def current_session(sessions: list[NurserySession], *, now: datetime | None = None) -> NurserySession | None:
    """The session whose end is nearest to now, among those already started: the one to give feedback for."""
    local = timezone.localtime(now or timezone.now()).time()
    started = [s for s in sessions if s.starts_at <= local] or sessions
    return min(started, key=lambda s: abs(_seconds(s.ends_at) - _seconds(local)), default=None)


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def feedback_rows(room: Room, session: NurserySession, day: date, *, now: datetime | None = None) -> list[FeedbackRow]:
    """Every child of the room who attended the session, with the summary from today's records."""
    attended = sessions_attended(Child.objects.filter(room=room), day, now=now)
    children = list(
        Child.objects.filter(pk__in=[pk for pk, sessions in attended.items() if session in sessions]).order_by(
            "first_name", "last_name"
        )
    )
    existing = {f.child_id: f for f in SessionFeedback.objects.filter(child__in=children, session=session, day=day)}
    fresh = summaries(scopes_for(children, session, day, attended))
    key_people = {
        spell.child_id: spell.key_person
        for spell in assignments_on(day).filter(child__in=children).select_related("key_person__user")
    }
    return [
        FeedbackRow(
            child=child,
            summary=existing[child.pk].summary if child.pk in existing else fresh[child.pk],
            feedback=existing.get(child.pk),
            key_person=key_people.get(child.pk),
        )
        for child in children
    ]


def feedback_for_guardian(user: User) -> QuerySet[SessionFeedback]:
    """Feedback the family can read: published, about their own children, newest first."""
    return SessionFeedback.objects.filter(
        child__in=children_of_guardian(user), status=SessionFeedback.Status.SENT
    ).select_related("child", "session", "written_by")


@dataclass
class FamilyDay:
    """What a family member sees of one child's day so far."""

    link: Guardianship
    log: list[CareEntry] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    feedback: list[SessionFeedback] = field(default_factory=list)

    @property
    def child(self) -> Child:
        return self.link.child


def family_day(user: User, day: date) -> list[FamilyDay]:
    """Today's care log, accident reports still to read and sent feedback for each of the user's children
    who receive daily feedback: five queries, however many children."""
    days = {
        link.child_id: FamilyDay(link)
        for link in Guardianship.objects.filter(user=user, receives_feedback=True).select_related("child")
    }
    for entry in care_log(list(days), day).select_related(None).select_related("by"):
        days[entry.child_id].log.append(entry)
    for incident in Incident.objects.filter(child_id__in=list(days)).filter(
        Q(day=day) | Q(acknowledged_at__isnull=True)
    ):
        days[incident.child_id].incidents.append(incident)
    for feedback in feedback_for_guardian(user).filter(child_id__in=list(days), day=day).order_by("session__starts_at"):
        days[feedback.child_id].feedback.append(feedback)
    return list(days.values())
