"""Reads for medicines, and the ``access_*`` fetches: health data is for the staff of the child's nursery
and the child's parents with parental responsibility only (a grandparent who collects does not see it)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from children.access import Viewer
from children.models import Child
from children.selectors import children_in_staff_care, children_of_guardian, holds_parental_responsibility
from nursery.models import StaffMember

from .models import MedicineDose, MedicineRequest


def parents_children(user: User) -> QuerySet[Child]:
    return children_of_guardian(user, with_parental_responsibility=True)


def access_child_to_request(user: User, pk: int) -> Child:
    """One of the user's children they hold parental responsibility for (only they may give written
    permission), and who has not left; 404 for anyone else."""
    child = get_object_or_404(parents_children(user), pk=pk)
    if child.has_left():
        raise Http404("This child has left the nursery.")
    return child


def access_medicine_request(user: User, pk: int) -> tuple[MedicineRequest, Viewer]:
    """A medicine request for the staff of the child's nursery or a parent with parental responsibility;
    404 for anyone else (another family, another nursery, a grandparent)."""
    request = get_object_or_404(
        MedicineRequest.objects.filter(
            Q(child__in=children_in_staff_care(user)) | Q(child__in=parents_children(user))
        ).select_related("child__nursery", "child__room", "consented_by", "withdrawn_by"),
        pk=pk,
    )
    is_staff = children_in_staff_care(user).filter(pk=request.child_id).exists()
    is_parent = holds_parental_responsibility(user, request.child)
    return request, Viewer(user=user, is_staff=is_staff, may_write=is_staff, is_parent=is_parent)


def access_request_for_dose(user: User, pk: int) -> MedicineRequest:
    """A medicine request of a child at a nursery where the user works, to record a dose; 404 otherwise."""
    return get_object_or_404(
        MedicineRequest.objects.filter(child__in=children_in_staff_care(user)).select_related("child"), pk=pk
    )


def access_dose_to_acknowledge(user: User, pk: int) -> MedicineDose:
    """A dose given to one of the user's children (with parental responsibility), for them to read; or 404."""
    return get_object_or_404(MedicineDose.objects.filter(child__in=parents_children(user)), pk=pk)


def witnesses_for(child: Child, *, giver: User) -> QuerySet[User]:
    """Who may witness a dose: another member of staff in post at the child's nursery."""
    posts = StaffMember.objects.in_post().filter(nursery_id=child.nursery_id)
    return User.objects.filter(pk__in=posts.values("user_id")).exclude(pk=giver.pk).order_by("full_name")


def requests_of(child: Child) -> QuerySet[MedicineRequest]:
    return child.medicine_requests.select_related("consented_by", "withdrawn_by").prefetch_related(
        "doses__given_by", "doses__witness"
    )


def active_on(day: date) -> Q:
    """Requests whose permission stands on ``day``."""
    return Q(withdrawn_at__isnull=True, starts_on__lte=day, ends_on__gte=day)


@dataclass
class DueMedicine:
    """One medicine a child has permission for today: the times asked for and the doses given so far."""

    request: MedicineRequest
    doses: list[MedicineDose] = field(default_factory=list)

    @property
    def child(self) -> Child:
        return self.request.child

    @property
    def times(self) -> list[time]:
        return self.request.time_list

    @property
    def first_time(self) -> time:
        return self.times[0] if self.times else time.max


def due_today(children: QuerySet[Child], day: date) -> list[DueMedicine]:
    """The day's medicines for these children (two queries), earliest time first: what the room gives."""
    due = {
        request.pk: DueMedicine(request)
        for request in MedicineRequest.objects.filter(active_on(day), child__in=children).select_related("child")
    }
    for dose in MedicineDose.objects.filter(request_id__in=list(due), day=day).select_related("given_by", "witness"):
        due[dose.request_id].doses.append(dose)
    for item in due.values():
        item.doses.sort(key=lambda dose: dose.given_at)
    return sorted(due.values(), key=lambda item: (item.first_time, item.child.known_as))


def doses_for_family(user: User, day: date) -> dict[int, list[MedicineDose]]:
    """Per child: doses given today and any still unread, for a parent with parental responsibility."""
    doses: dict[int, list[MedicineDose]] = defaultdict(list)
    for dose in (
        MedicineDose.objects.filter(child__in=parents_children(user))
        .filter(Q(day=day) | Q(acknowledged_at__isnull=True))
        .select_related("request", "child", "given_by", "witness")
        .order_by("given_at")
    ):
        doses[dose.child_id].append(dose)
    return doses


def unacknowledged_doses(nursery_id: int) -> QuerySet[MedicineDose]:
    """Doses given at the nursery that no parent has read yet, oldest first: the managers follow these up."""
    return (
        MedicineDose.objects.filter(child__nursery_id=nursery_id, acknowledged_at__isnull=True)
        .select_related("request", "child", "given_by", "witness")
        .order_by("given_at")
    )
