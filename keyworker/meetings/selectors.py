"""Reads for meetings with families: who sees which meeting, free times, and the prepared summary."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from children.selectors import (
    children_in_staff_care,
    children_of_guardian,
)
from keyworker.models import (
    Consultation,
    ConsultationNotice,
    ConsultationSlot,
)
from learning_stories.models import Assessment
from learning_stories.selectors import open_next_steps, shared_with_families, with_story_details
from nursery.models import StaffMember
from nursery.selectors import managed_nursery_ids

SUMMARY_WEEKS = 6


def meetings_for_staff(user: User) -> QuerySet[Consultation]:
    """Meetings about children of the user's nurseries."""
    return Consultation.objects.filter(child__in=children_in_staff_care(user)).select_related(
        "child", "key_person__user", "slot", "requested_by"
    )


def meetings_for_family(user: User) -> QuerySet[Consultation]:
    """Meetings about the user's own children, for those with parental responsibility (a grandparent who
    only collects does not see what was discussed)."""
    children = children_of_guardian(user, with_parental_responsibility=True)
    return Consultation.objects.filter(child__in=children).select_related("child", "key_person__user", "slot")


def may_change_meeting(user: User, consultation: Consultation) -> bool:
    """The meeting's key person, or a manager of the nursery; other staff may only read it."""
    return (
        consultation.key_person.user_id == user.pk
        or managed_nursery_ids(user).filter(nursery_id=consultation.child.nursery_id).exists()
    )


def live_booking() -> Q:
    return Q(status__in=[Consultation.Status.BOOKED, Consultation.Status.HELD])


def free_slots(key_person: StaffMember | int, *, now: datetime | None = None) -> QuerySet[ConsultationSlot]:
    """A key person's future slots that nobody has booked."""
    taken = Consultation.objects.filter(live_booking(), slot=OuterRef("pk"))
    return (
        ConsultationSlot.objects.filter(
            key_person=key_person, withdrawn_at__isnull=True, starts_at__gt=now or timezone.now()
        )
        .exclude(Exists(taken))
        .select_related("key_person__user")
    )


def slots_of(post: StaffMember) -> QuerySet[ConsultationSlot]:
    """A key person's slots from today on, each with ``booking`` (its live meeting, if any)."""
    since = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    bookings = Consultation.objects.filter(live_booking()).select_related("child")
    return (
        ConsultationSlot.objects.filter(key_person=post, withdrawn_at__isnull=True, starts_at__gte=since)
        .prefetch_related(Prefetch("consultations", queryset=bookings, to_attr="bookings"))
        .order_by("starts_at")
    )


@dataclass
class MeetingSummary:
    entries: list
    assessments: list
    open_steps: list


def meeting_summary(consultation: Consultation) -> MeetingSummary:
    """What the key person takes into the meeting: the child's shared entries of the last six weeks, their
    latest assessments (the most recent assessment point) and their open next steps."""
    child = consultation.child
    since = timezone.now() - timedelta(weeks=SUMMARY_WEEKS)
    entries = with_story_details(
        child.observations.filter(shared_with_families(), observed_at__gte=since).order_by("-observed_at")
    )
    latest = child.assessments.order_by("-point__starts_on").values("point_id")[:1]
    assessments = Assessment.objects.filter(child=child, point_id__in=latest).select_related(
        "point", "area", "aspect", "band"
    )
    return MeetingSummary(
        entries=list(entries), assessments=list(assessments), open_steps=list(open_next_steps([child]))
    )


def consultation_notices_for(user: User) -> QuerySet[ConsultationNotice]:
    return ConsultationNotice.objects.filter(recipient=user, read_at__isnull=True).select_related(
        "consultation__child", "actor"
    )
