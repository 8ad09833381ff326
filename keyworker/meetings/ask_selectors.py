"""Reads for a key person asking a family to meet: who may ask, who sees which request, and the requests a
family or a key person has open."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.models import Child
from children.selectors import children_in_staff_care, children_of_guardian
from keyworker.models import MeetingRequest
from keyworker.selectors import may_read_confidential_notes
from nursery.models import StaffMember

OPEN = [MeetingRequest.Status.WAITING, MeetingRequest.Status.PROPOSED]
ANSWERED_SHOWN_FOR = timedelta(days=14)  # the key person sees an accepted request on their page this long


def may_ask_to_meet(user: User, child: Child) -> bool:
    """The child's care team: their key person, the buddy who shares their care, and the managers (the same
    people who read the family's confidential notes)."""
    return may_read_confidential_notes(user, child)


def _related(requests: QuerySet[MeetingRequest]) -> QuerySet[MeetingRequest]:
    return requests.select_related("child", "key_person__user", "asked_by", "consultation__slot")


def requests_for_family(user: User) -> QuerySet[MeetingRequest]:
    """Requests about the user's own children, for those with parental responsibility (who may arrange
    meetings, as with ``meetings_for_family``)."""
    children = children_of_guardian(user, with_parental_responsibility=True)
    return _related(MeetingRequest.objects.filter(child__in=children))


def open_requests_for_family(user: User, children=None) -> QuerySet[MeetingRequest]:
    requests = requests_for_family(user).filter(status__in=OPEN)
    if children is not None:
        requests = requests.filter(child__in=children)
    return requests.order_by("-urgent", "created_at")


def requests_for_staff(user: User) -> QuerySet[MeetingRequest]:
    return _related(MeetingRequest.objects.filter(child__in=children_in_staff_care(user)))


def requests_of_key_person(post: StaffMember) -> QuerySet[MeetingRequest]:
    """A key person's requests still open, and those the family answered lately (so they see the answer)."""
    recent = Q(status=MeetingRequest.Status.ACCEPTED, answered_at__gte=timezone.now() - ANSWERED_SHOWN_FOR)
    return _related(MeetingRequest.objects.filter(Q(status__in=OPEN) | recent, key_person=post)).order_by("-updated_at")


def access_request_as_family(user: User, pk: int) -> MeetingRequest:
    return get_object_or_404(requests_for_family(user), pk=pk)


def access_request_as_staff(user: User, pk: int) -> MeetingRequest:
    """A request about a child of the user's nursery, or 404; 403 for anyone not on the child's care team,
    since the reason and the family's note may be about the child's health or a worry (as messages are)."""
    meeting_request = get_object_or_404(requests_for_staff(user), pk=pk)
    if not may_ask_to_meet(user, meeting_request.child):
        raise PermissionDenied("Only the child's key person, their buddy or a manager can open this.")
    return meeting_request


def access_child_to_ask_about(user: User, pk: int) -> Child:
    """A child of the user's nursery whose family the user may ask to meet: 404 for other nurseries' children,
    403 for staff not on the child's care team."""
    child = get_object_or_404(children_in_staff_care(user), pk=pk)
    if not may_ask_to_meet(user, child):
        raise PermissionDenied("Only the child's key person, their buddy or a manager can ask the family to meet.")
    return child
