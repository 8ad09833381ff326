"""Reads for meetings with families: who sees which meeting (``access_meeting``, ``access_slot``), free
times, and the prepared summary."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.access import Viewer
from children.models import Child
from children.selectors import children_in_staff_care, children_of_guardian
from keyworker.models import Consultation, ConsultationNotice, ConsultationSlot
from learning_stories.models import Assessment
from learning_stories.next_steps.selectors import open_next_steps
from learning_stories.story.selectors import shared_with_families, with_story_details
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


def access_meeting(user: User, pk: int, *, change: bool = False) -> tuple[Consultation, Viewer]:
    """A meeting the user may see, with their standing, or 404: any member of staff of the child's nursery
    (to cover) and the family with parental responsibility.

    With ``change``, staff other than the meeting's key person or a manager get 403; the family may change
    (cancel, move) their own meetings.
    """
    meeting = meetings_for_staff(user).filter(pk=pk).first()
    if meeting is None:
        meeting = get_object_or_404(meetings_for_family(user), pk=pk)
        return meeting, Viewer(user=user, is_staff=False, may_write=True, is_parent=True)
    is_manager = managed_nursery_ids(user).filter(nursery_id=meeting.child.nursery_id).exists()
    may_write = is_manager or meeting.key_person.user_id == user.pk
    if change and not may_write:
        raise PermissionDenied("Only the key person or a manager can change this meeting.")
    return meeting, Viewer(user=user, is_staff=True, may_write=may_write, may_manage=is_manager)


def access_slot(user: User, pk: int, *, for_child: Child | None = None) -> ConsultationSlot:
    """A time offered for meetings, or 404.

    With ``for_child`` (whom the caller has already checked the user may book for), any time offered at
    that child's nursery; the service then checks it is their key person's. Without, only a time the user
    offered themselves (to withdraw it).
    """
    if for_child is not None:
        return get_object_or_404(ConsultationSlot, pk=pk, key_person__nursery=for_child.nursery_id)
    return get_object_or_404(ConsultationSlot, pk=pk, key_person__user=user, key_person__is_active=True)


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
