"""Reads for children and families. Every query about children starts from these."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from nursery.selectors import managed_nursery_ids, staff_nursery_ids

from .models import Child, GuardianInvitation, Guardianship


def children_visible_to(user: User) -> QuerySet[Child]:
    """Children of the nurseries where the user works, and the user's own children."""
    if not user.is_authenticated:
        return Child.objects.none()
    own = Guardianship.objects.filter(user=user).values("child_id")
    return Child.objects.filter(Q(nursery_id__in=staff_nursery_ids(user)) | Q(pk__in=own)).select_related(
        "room", "nursery"
    )


def children_of_guardian(user: User) -> QuerySet[Child]:
    """The user's own children (as parent or carer), whatever their staff posts."""
    if not user.is_authenticated:
        return Child.objects.none()
    return Child.objects.filter(guardianships__user=user).select_related("room", "nursery")


def children_in_staff_care(user: User) -> QuerySet[Child]:
    """Children at the nurseries where the user works (staff cover every child present)."""
    return Child.objects.filter(nursery_id__in=staff_nursery_ids(user)).select_related("room", "nursery")


def not_left_by(day: date) -> Q:
    """Children still at the nursery on the day (a leaver's last day counts)."""
    return Q(leave_date__isnull=True) | Q(leave_date__gte=day)


def children_on_roll(user: User, day: date | None = None) -> QuerySet[Child]:
    """Children in the user's care who have started and not yet left on the day."""
    day = day or timezone.localdate()
    return children_in_staff_care(user).filter(not_left_by(day), start_date__lte=day)


def is_guardian(user: User) -> bool:
    return user.is_authenticated and Guardianship.objects.filter(user=user).exists()


def guardianships_of(child: Child) -> QuerySet[Guardianship]:
    return child.guardianships.select_related("user")


def pending_guardian_invitations(user: User) -> QuerySet[GuardianInvitation]:
    """Invitations a manager has sent to families that are not yet accepted."""
    return GuardianInvitation.objects.filter(
        child__nursery_id__in=managed_nursery_ids(user),
        invitation__accepted_at__isnull=True,
        invitation__revoked_at__isnull=True,
    ).select_related("invitation", "child")


def can_manage_child(user: User, child: Child) -> bool:
    return managed_nursery_ids(user).filter(nursery_id=child.nursery_id).exists()
