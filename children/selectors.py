"""Reads for children and families. Every query about children starts from these."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.caching import cached
from core.request_memo import remembered
from nursery.models import Nursery, Room
from nursery.selectors import managed_nursery_ids, staff_nursery_ids

from . import care_team
from .models import (
    AllAboutMe,
    Child,
    ConfidentialNote,
    Consent,
    ConsentPurpose,
    GuardianInvitation,
    Guardianship,
    HomeChange,
    PhotoConsent,
)

OWN = ConsentPurpose.PHOTOS_OWN_STORY
OTHERS = ConsentPurpose.PHOTOS_OTHERS_STORIES


def children_visible_to(user: User) -> QuerySet[Child]:
    """Children of the nurseries where the user works, and the user's own children."""
    if not user.is_authenticated:
        return Child.objects.none()
    own = children_of_guardian(user).values("pk")
    return Child.objects.filter(Q(nursery_id__in=staff_nursery_ids(user)) | Q(pk__in=own)).select_related(
        "room", "nursery"
    )


# Each nursery's children's names (core.caching, per nursery): bumped whenever a child is saved or removed.
NURSERY_CHILDREN = "children"


def nursery_children_names(nursery_id: int) -> list[tuple[int, str, str]]:
    """(id, first name, preferred name) of every child of the nursery, leavers too: what a family's view of a
    text is checked against so that no other child's name shows. Cached, read afresh after any change."""
    return cached(
        NURSERY_CHILDREN,
        nursery_id,
        "names",
        lambda: list(
            Child.objects.filter(nursery_id=nursery_id).order_by("pk").values_list("pk", "first_name", "preferred_name")
        ),
    )


def family_nursery_access_days(user: User) -> list[tuple[int, int]]:
    """(nursery id, leaver access days) of each nursery where the user is a child's parent or carer, the child
    gone or not: read once per request (core.request_memo)."""
    if not user.is_authenticated:
        return []
    return remembered(
        ("family_nurseries", user.pk),
        lambda: list(
            Nursery.objects.filter(children__guardianships__user=user)
            .values_list("pk", "leaver_access_days")
            .distinct()
        ),
    )


def children_of_guardian(user: User, *, with_parental_responsibility: bool = False) -> QuerySet[Child]:
    """The user's own children (as parent or carer), whatever their staff posts; with
    ``with_parental_responsibility``, only those the user holds it for (what goes beyond the story, such as
    checks, plans, meetings and consents, is theirs; a grandparent who collects does not see it).

    A child who has left stays here for the nursery's ``leaver_access_days`` after the last day (so the
    family can download the leaver pack), then drops out: the family's access ends.
    """
    if not user.is_authenticated:
        return Child.objects.none()
    today = timezone.localdate()
    still_readable = Q(leave_date__isnull=True)
    for nursery_id, days in family_nursery_access_days(user):
        still_readable |= Q(nursery_id=nursery_id, leave_date__gte=today - timedelta(days=days))
    links = Q(guardianships__user=user)
    if with_parental_responsibility:
        links &= Q(guardianships__has_parental_responsibility=True)
    return Child.objects.filter(still_readable, links).select_related("room", "nursery")


def family_access_ends(child: Child) -> date | None:
    """The last day a leaver's family can still read the child's record (None while the child has not left)."""
    return child.leave_date + timedelta(days=child.nursery.leaver_access_days) if child.leave_date else None


def children_in_staff_care(user: User) -> QuerySet[Child]:
    """Children at the nurseries where the user works (staff cover every child present)."""
    return Child.objects.filter(nursery_id__in=staff_nursery_ids(user)).select_related("room", "nursery")


def not_left_by(day: date) -> Q:
    """Children still at the nursery on the day (a leaver's last day counts)."""
    return Q(leave_date__isnull=True) | Q(leave_date__gte=day)


def room_in_use_by_children(room: Room, day: date) -> str:
    """Who must move before the room is archived: its children who have not left by the day (starters too)."""
    names = [str(child) for child in Child.objects.filter(room=room).filter(not_left_by(day))]
    return f"Move {', '.join(names)} to another room first." if names else ""


def ages_needing_a_room(nursery: Nursery, day: date) -> list[tuple[str, int]]:
    """For ``nursery.rooms``: each child on roll or starting at the nursery, by name, with their age in months."""
    children = Child.objects.filter(not_left_by(day), nursery=nursery, date_of_birth__isnull=False)
    return [(child.display_name, child.age_in_months(day)) for child in children]


def children_on_roll(user: User, day: date | None = None) -> QuerySet[Child]:
    """Children in the user's care who have started and not yet left on the day."""
    day = day or timezone.localdate()
    return children_in_staff_care(user).filter(not_left_by(day), start_date__lte=day)


def is_guardian(user: User) -> bool:
    return user.is_authenticated and Guardianship.objects.filter(user=user).exists()


def pending_guardian_invitations(user: User) -> QuerySet[GuardianInvitation]:
    """Invitations a manager has sent to families that are not yet accepted."""
    return GuardianInvitation.objects.filter(
        child__nursery_id__in=managed_nursery_ids(user),
        invitation__accepted_at__isnull=True,
        invitation__revoked_at__isnull=True,
    ).select_related("invitation", "child")


def works_at_childs_nursery(user: User, child: Child) -> bool:
    return staff_nursery_ids(user).filter(nursery_id=child.nursery_id).exists()


def can_manage_child(user: User, child: Child) -> bool:
    return managed_nursery_ids(user).filter(nursery_id=child.nursery_id).exists()


def consent_purposes_for(nursery_id: int) -> QuerySet[ConsentPurpose]:
    """The built-in purposes and the ones this nursery added."""
    return ConsentPurpose.objects.filter(Q(nursery__isnull=True) | Q(nursery_id=nursery_id))


def current_consents(child: Child, purposes: Iterable[ConsentPurpose] | None = None) -> dict[str, Consent | None]:
    """Each purpose's newest decision for the child (None: never asked, which counts as not given)."""
    purposes = consent_purposes_for(child.nursery_id) if purposes is None else purposes
    latest: dict[str, Consent | None] = {p.code: None for p in purposes}
    for decision in child.consents.select_related("purpose", "recorded_by"):  # newest first
        if latest.get(decision.purpose.code) is None:
            latest[decision.purpose.code] = decision
    return latest


def consent_rows(child: Child) -> list[tuple[ConsentPurpose, Consent | None]]:
    """Each purpose the child's nursery asks about, in order, with its current decision."""
    purposes = list(consent_purposes_for(child.nursery_id))
    current = current_consents(child, purposes)
    return [(purpose, current[purpose.code]) for purpose in purposes]


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


def guardian_link(user: User, child: Child) -> Guardianship | None:
    """The user's own link to the child as parent or carer, if any."""
    if not user.is_authenticated:
        return None
    return Guardianship.objects.filter(user=user, child=child).first()


def holds_parental_responsibility(user: User, child: Child) -> bool:
    """Consents are a parent's decision, and support plans are read and added to by parents: only a
    guardian with parental responsibility does either. (Managers record a family's consent decision on
    their behalf, from a paper form, by a separate path.)"""
    return children_of_guardian(user, with_parental_responsibility=True).filter(pk=child.pk).exists()


def may_edit_all_about_me(user: User, child: Child) -> bool:
    """The nursery's managers and the child's key person fill in "All about me" with the family."""
    return can_manage_child(user, child) or care_team.is_key_person(user, child)


def consent_history(child: Child) -> QuerySet[Consent]:
    return child.consents.select_related("purpose", "recorded_by")


def photo_consent_states(child_ids: Iterable[int]) -> dict[int, str]:
    """Each child's photo badge state (a ``PhotoConsent`` value), in one query.

    A child with no own-story consent shows "No photos" even if the family agreed to appearing in
    others' stories: the badge is for the person holding the camera, so it errs on the safe side.
    """
    ids = list(child_ids)
    decided: dict[tuple[int, str], bool] = {}
    decisions = Consent.objects.filter(
        child_id__in=ids, purpose__nursery__isnull=True, purpose__code__in=[OWN, OTHERS]
    ).values_list("child_id", "purpose__code", "granted")
    for child_id, code, granted in decisions:  # newest first
        decided.setdefault((child_id, code), granted)
    states = {}
    for child_id in ids:
        if not decided.get((child_id, OWN)):
            states[child_id] = PhotoConsent.NONE
        elif decided.get((child_id, OTHERS)):
            states[child_id] = PhotoConsent.ALL
        else:
            states[child_id] = PhotoConsent.OWN_STORY_ONLY
    return states


def with_photo_consent(children: Iterable[Child]) -> list[Child]:
    """The children, each with ``photo_consent`` set for ``children/_photo_consent_badge.html``."""
    children = list(children)
    states = photo_consent_states(child.pk for child in children)
    for child in children:
        child.photo_consent = states[child.pk]
    return children


def children_per_room(children: QuerySet[Child]) -> dict[int | None, int]:
    """How many of these children each room has (None: no room yet), in one query."""
    return dict(children.order_by().values_list("room_id").annotate(Count("pk")))


def with_alerts(children: QuerySet[Child]) -> QuerySet[Child]:
    """Children with "All about me" loaded in the same query, for ``children/_alerts.html``."""
    return children.select_related("all_about_me")


def all_about_me_of(child: Child) -> AllAboutMe:
    """The child's record, or an empty unsaved one before induction."""
    try:
        return child.all_about_me
    except AllAboutMe.DoesNotExist:
        return AllAboutMe(child=child)


def unread_home_changes(child: Child) -> QuerySet[HomeChange]:
    return child.home_changes.filter(read_at__isnull=True).select_related("proposed_by")


def unread_home_changes_for(child_ids: Iterable[int]) -> dict[int, int]:
    """How many changes at home each child has that staff have not read yet, in one query."""
    rows = (
        HomeChange.objects.filter(child_id__in=list(child_ids), read_at__isnull=True)
        .order_by()
        .values_list("child_id")
        .annotate(Count("pk"))
    )
    return dict(rows)


def confidential_notes_of(child: Child) -> QuerySet[ConfidentialNote]:
    """Every confidential note about the child. Callers check the reader first:
    ``keyworker.selectors.may_read_confidential_notes``."""
    return child.confidential_notes.select_related("written_by")


def own_confidential_notes(user: User, child: Child) -> QuerySet[ConfidentialNote]:
    """The notes this family member wrote about the child (what a parent may read back)."""
    return confidential_notes_of(child).filter(written_by=user, source=ConfidentialNote.Source.FAMILY)


def guardian_nursery_ids(user: User) -> QuerySet:
    """Ids of nurseries where the user's children are (or, as leavers, still readable): a subquery."""
    return children_of_guardian(user).values("nursery_id")


def family_nursery_ids(user: User) -> QuerySet:
    """Ids of nurseries the user's children go to: a subquery (their families may see who the staff are)."""
    return Child.objects.filter(guardianships__user=user).values("nursery_id")


def room_children_names(room: Room) -> list[str]:
    """The names a room's shared tablet shows: the room's children who have started and not left today."""
    today = timezone.localdate()
    children = Child.objects.filter(not_left_by(today), room=room, start_date__lte=today)
    return [child.display_name for child in children.only("first_name", "preferred_name", "last_name")]
