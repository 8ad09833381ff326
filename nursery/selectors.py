"""Reads for the nursery app, scoped to what the asking user may see, and its ``access_*`` fetches."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import SecurityEvent, User
from accounts.tablet import is_pin_user
from accounts.two_factor import authenticator, required_because
from core.request_memo import remembered

from .models import Nursery, NurserySession, Room, StaffAbsence, StaffInvitation, StaffMember


def staff_posts(user: User) -> QuerySet[StaffMember]:
    """The user's posts held today (usually one): a leaver's post ends on their leaving date."""
    if not user.is_authenticated:
        return StaffMember.objects.none()
    return StaffMember.objects.in_post().filter(user=user).select_related("nursery", "room")


def all_posts(user: User) -> list[StaffMember]:
    """Every post the user has had, ended or not, with nursery and room: read once per request
    (core.request_memo), since the sign-in checks, the page and its navigation all ask."""
    if not user.is_authenticated:
        return []
    posts = remembered(
        ("all_posts", user.pk), lambda: list(StaffMember.objects.filter(user=user).select_related("nursery", "room"))
    )
    if is_pin_user(user):  # a PIN session on a room's tablet: no manager's powers (StaffMember.is_manager)
        for post in posts:
            post.in_pin_session = True
    return posts


def posts_held(user: User) -> list[StaffMember]:
    """``staff_posts`` as a list, managing posts first, then by nursery (as ``primary_post`` ranks them)."""
    today = timezone.localdate()
    held = [post for post in all_posts(user) if post.is_active and (post.leaves_on is None or post.leaves_on > today)]
    return sorted(held, key=lambda post: (post.role not in StaffMember.MANAGING_ROLES, post.nursery_id))


def staff_nursery_ids(user: User) -> QuerySet:
    """Ids of nurseries where the user works: a subquery for scoping other apps' queries."""
    return staff_posts(user).values("nursery_id")


def managed_nursery_ids(user: User) -> QuerySet:
    """Ids of nurseries the user manages: none in a PIN session on a room's tablet (managing needs a full
    sign-in)."""
    if is_pin_user(user):
        return StaffMember.objects.none().values("nursery_id")
    return staff_posts(user).managing().values("nursery_id")


def staff_roles(user: User, *, nursery_id: int | None = None) -> set[str]:
    """The user's roles as staff (at ``nursery_id`` only, when given), plus "senco" for the SEN co-ordinator.

    A deputy also counts as "manager" and a room leader as "practitioner", whose rights they hold.
    """
    roles = set()
    posts = [post for post in posts_held(user) if nursery_id is None or post.nursery_id == nursery_id]
    for role, is_senco in ((post.role, post.is_senco) for post in posts):
        roles.add(role)
        if role in StaffMember.MANAGING_ROLES:
            roles.add(StaffMember.Role.MANAGER)
        elif role == StaffMember.Role.ROOM_LEADER:
            roles.add(StaffMember.Role.PRACTITIONER)
        if is_senco:
            roles.add("senco")
    return roles


def rooms_visible_to(user: User) -> QuerySet[Room]:
    return Room.objects.filter(nursery_id__in=staff_nursery_ids(user))


def access_room(user: User, pk: int, *, nursery_id: int | None = None) -> Room:
    """A room of a nursery where the user works (only of ``nursery_id``, the nursery a page works in, when
    given), or 404."""
    rooms = rooms_visible_to(user)
    return get_object_or_404(rooms if nursery_id is None else rooms.filter(nursery_id=nursery_id), pk=pk)


def staff_visible_to(user: User) -> QuerySet[StaffMember]:
    """Colleagues at the user's nurseries."""
    return StaffMember.objects.filter(nursery_id__in=staff_nursery_ids(user)).select_related("user", "room", "nursery")


def access_staff_member(user: User, pk: int, *, nursery_id: int | None = None) -> StaffMember:
    """A colleague at one of the user's nurseries (only at ``nursery_id``, when given), or 404."""
    colleagues = staff_visible_to(user)
    if nursery_id is not None:
        colleagues = colleagues.filter(nursery_id=nursery_id)
    return get_object_or_404(colleagues, pk=pk)


def access_staff_photo(user: User, pk: int) -> StaffMember:
    """A member of staff whose photo the user may change: their own, or anyone's at a nursery they manage;
    another colleague's is 403."""
    member = access_staff_member(user, pk)
    if member.user_id != user.pk and not managed_nursery_ids(user).filter(nursery_id=member.nursery_id).exists():
        raise PermissionDenied("Only managers can change a colleague's photo.")
    return member


def pending_staff_invitations(user: User) -> QuerySet[StaffInvitation]:
    return StaffInvitation.objects.filter(
        nursery_id__in=managed_nursery_ids(user),
        invitation__accepted_at__isnull=True,
        invitation__revoked_at__isnull=True,
    ).select_related("invitation", "room")


def access_staff_invitation(user: User, pk: int) -> StaffInvitation:
    """A staff invitation not yet accepted, of a nursery the user manages, or 404."""
    return get_object_or_404(pending_staff_invitations(user), pk=pk)


def access_session(user: User, pk: int, *, nursery_id: int) -> NurserySession:
    """A session of ``nursery_id``, which the user manages (the nursery the page works in), or 404."""
    sessions = NurserySession.objects.filter(nursery_id=nursery_id, nursery_id__in=managed_nursery_ids(user))
    return get_object_or_404(sessions, pk=pk)


def access_absence(user: User, pk: int, *, nursery_id: int) -> StaffAbsence:
    """An absence of a member of staff of ``nursery_id``, which the user manages, or 404."""
    absences = StaffAbsence.objects.filter(
        staff__nursery_id=nursery_id, staff__nursery_id__in=managed_nursery_ids(user)
    ).select_related("staff__user")
    return get_object_or_404(absences, pk=pk)


def primary_post(user: User, *, roles: tuple[str, ...] = tuple(StaffMember.Role.values)) -> StaffMember | None:
    """The post a staff page works in: a manager post before a practitioner one."""
    managing_first = Case(When(role__in=StaffMember.MANAGING_ROLES, then=0), default=1)
    return staff_posts(user).filter(role__in=roles).order_by(managing_first, "nursery_id").first()


def absences_from(nursery: Nursery, day: date) -> QuerySet[StaffAbsence]:
    """Absences not over by the day: who is away now and who will be."""
    return StaffAbsence.objects.filter(staff__nursery=nursery, ends_on__gte=day).select_related("staff__user")


# Apps above this one add who else may see a nursery's staff (e.g. the families of its children), as
# functions from a user to a subquery of nursery ids, registered in their AppConfig.ready.
_staff_audiences: list[Callable[[User], QuerySet]] = []


def register_staff_audience(nursery_ids_for: Callable[[User], QuerySet]) -> None:
    if nursery_ids_for not in _staff_audiences:
        _staff_audiences.append(nursery_ids_for)


def staff_known_to(user: User) -> QuerySet[StaffMember]:
    """Staff whom the user may recognise by name and photo: colleagues, and (through registered audiences)
    the staff of the nurseries their children go to."""
    if not user.is_authenticated:
        return StaffMember.objects.none()
    where = Q(nursery_id__in=staff_nursery_ids(user))
    for nursery_ids_for in _staff_audiences:
        where |= Q(nursery_id__in=nursery_ids_for(user))
    return StaffMember.objects.filter(where)


@dataclass(frozen=True)
class TwoFactorState:
    """A member of staff's two-step sign-in, as their manager sees it: on since when, and the last reset."""

    on_since: datetime | None
    last_reset: SecurityEvent | None
    required: bool  # asked to set it up when they next sign in, if it is not on


def two_factor_state(member: StaffMember) -> TwoFactorState:
    device = authenticator(member.user)
    last_reset = (
        SecurityEvent.objects.filter(user=member.user, kind=SecurityEvent.Kind.TWO_FACTOR_RESET)
        .select_related("by")
        .first()
    )
    return TwoFactorState(
        on_since=device.created_at if device else None,
        last_reset=last_reset,
        required=required_because(member.user) is not None,
    )
