"""Reads for children and families. Every query about children starts from these."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from nursery.selectors import managed_nursery_ids, staff_nursery_ids, staff_posts

from .models import Child, Consent, ConsentPurpose, GuardianInvitation, Guardianship


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


def consent_purposes_for(nursery_id: int) -> QuerySet[ConsentPurpose]:
    """The built-in purposes and the ones this nursery added."""
    return ConsentPurpose.objects.filter(Q(nursery__isnull=True) | Q(nursery_id=nursery_id))


def current_consents(child: Child) -> dict[str, Consent | None]:
    """Each purpose's newest decision for the child (None: never asked, which counts as not given)."""
    latest: dict[str, Consent | None] = {p.code: None for p in consent_purposes_for(child.nursery_id)}
    for decision in child.consents.select_related("purpose", "recorded_by"):  # newest first
        if latest.get(decision.purpose.code) is None:
            latest[decision.purpose.code] = decision
    return latest


def children_with_consent(child_ids: Iterable[int], code: str) -> set[int]:
    """Which of these children currently have consent for the purpose, in one query."""
    decided: dict[int, bool] = {}
    decisions = Consent.objects.filter(child_id__in=list(child_ids), purpose__code=code).values_list(
        "child_id", "granted"
    )
    for child_id, granted in decisions:  # newest first: the first decision per child is the current one
        decided.setdefault(child_id, granted)
    return {child_id for child_id, granted in decided.items() if granted}


def has_consent(child: Child, code: str) -> bool:
    return child.pk in children_with_consent([child.pk], code)


def works_at(user: User, nursery_id: int) -> bool:
    return staff_posts(user).filter(nursery_id=nursery_id).exists()


def family_nursery_ids(user: User) -> QuerySet:
    """Ids of nurseries the user's children go to: a subquery (their families may see who the staff are)."""
    return Child.objects.filter(guardianships__user=user).values("nursery_id")
