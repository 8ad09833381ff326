"""Reads for the EYFS framework, observations and the learning story, scoped to the person asking.

Framework: which framework a nursery uses and what fits a child's age. Story: staff of a child's nursery
see everything in the child's story, drafts included. A family member sees only the published, not
staff-only entries of the children whose story their link lets them see, other children in a group
observation only as "a friend", and a photo only when every other child in it may appear in other
children's stories.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from children.models import Child, ConsentPurpose, Guardianship
from children.selectors import children_in_staff_care, children_of_guardian, children_with_consent, has_left
from nursery.models import Nursery
from nursery.selectors import managed_nursery_ids, staff_nursery_ids

from .models import (
    Area,
    Aspect,
    Band,
    CharacteristicPart,
    Comment,
    Framework,
    NurseryFramework,
    Observation,
    ObservationChild,
    ObservationPhoto,
    Statement,
)


def frameworks_available() -> QuerySet[Framework]:
    """Framework versions a nursery may choose (superseded versions stay only for old observations)."""
    return Framework.objects.filter(superseded_by__isnull=True)


def default_framework() -> Framework:
    return Framework.objects.get(is_default=True)


def current_framework_for(nursery: Nursery | int) -> Framework:
    """The framework the nursery chose, or the default one (Development Matters) until it chooses."""
    nursery_id = getattr(nursery, "pk", nursery)
    choice = NurseryFramework.objects.filter(nursery_id=nursery_id).select_related("framework").first()
    return choice.framework if choice else default_framework()


def areas_of(framework: Framework) -> QuerySet[Area]:
    """The seven areas, prime first, each with its aspects (early learning goals) prefetched."""
    return framework.areas.prefetch_related(Prefetch("aspects", queryset=Aspect.objects.order_by("order")))


def characteristic_parts_of(framework: Framework) -> QuerySet[CharacteristicPart]:
    return CharacteristicPart.objects.filter(characteristic__framework=framework).select_related("characteristic")


def bands_for_age(framework: Framework, months: int) -> list[Band]:
    """The framework's bands or ranges for a child of this age: ranges overlap, so there may be two."""
    return list(framework.bands.filter(Q(max_months__isnull=True) | Q(max_months__gt=months), min_months__lte=months))


def statements_for(
    *, nursery: Nursery | int, framework: Framework, include_retired: bool = False
) -> QuerySet[Statement]:
    """The framework's statements and this nursery's own ones, ready to group by area and band."""
    nursery_id = getattr(nursery, "pk", nursery)
    statements = Statement.objects.filter(
        Q(nursery__isnull=True) | Q(nursery_id=nursery_id), area__framework=framework
    ).select_related("area", "aspect", "band")
    return statements if include_retired else statements.filter(retired_at__isnull=True)


def suggested_statements(child: Child, on: date | None = None) -> QuerySet[Statement]:
    """Statements for the child's age band(s) in their nursery's framework, for suggesting while tagging.

    Empty when the child's date of birth is not recorded.
    """
    months = child.age_in_months(on or timezone.localdate())
    if months is None:
        return Statement.objects.none()
    framework = current_framework_for(child.nursery_id)
    return statements_for(nursery=child.nursery_id, framework=framework).filter(
        band__in=bands_for_age(framework, months)
    )


# --- Observations and the learning story ---------------------------------------------------------

FRIEND = "a friend"
BALANCE_WINDOWS = (3, 6, 12)  # months shown in the area-balance chart


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a child's story, worked out once per page."""

    user: User
    is_staff: bool
    family_child_ids: frozenset[int] = field(default_factory=frozenset)
    can_contribute: bool = False


def viewer_of(user: User, child: Child) -> Viewer | None:
    """The user's standing for this child's story, or None when they may not see it (the view answers 404)."""
    if children_in_staff_care(user).filter(pk=child.pk).exists():
        return Viewer(user=user, is_staff=True)
    links = list(
        Guardianship.objects.filter(
            user=user, child__in=children_of_guardian(user), child__nursery_id=child.nursery_id, can_view_story=True
        )
    )
    link = next((link for link in links if link.child_id == child.pk), None)
    if link is None:
        return None
    return Viewer(
        user=user,
        is_staff=False,
        family_child_ids=frozenset(link.child_id for link in links),
        can_contribute=link.can_contribute and not has_left(child),
    )


def staff_observations(user: User) -> QuerySet[Observation]:
    """Every observation at the nurseries where the user works."""
    return Observation.objects.filter(nursery_id__in=staff_nursery_ids(user))


def shared_with_families() -> Q:
    return Q(status=Observation.Status.PUBLISHED, staff_only=False)


def viewer_of_entry(user: User, observation: Observation) -> Viewer | None:
    """The user's standing for one entry, or None when they may not see it: staff of its nursery see it
    all; a family member sees it once it is shared with families, if one of their children is in it."""
    if staff_nursery_ids(user).filter(nursery_id=observation.nursery_id).exists():
        return Viewer(user=user, is_staff=True)
    if observation.status != Observation.Status.PUBLISHED or observation.staff_only:
        return None
    links = list(
        Guardianship.objects.filter(
            user=user, child__in=children_of_guardian(user), can_view_story=True
        ).select_related("child")
    )
    in_entry = set(observation.child_links.values_list("child_id", flat=True))
    in_it = [link for link in links if link.child_id in in_entry]
    if not in_it:
        return None
    return Viewer(
        user=user,
        is_staff=False,
        family_child_ids=frozenset(link.child_id for link in links),
        can_contribute=any(link.can_contribute and not has_left(link.child) for link in in_it),
    )


def observation_for(user: User, pk: int) -> tuple[Observation, Viewer]:
    """An observation the user may open, with the viewer's standing (raises DoesNotExist otherwise)."""
    observation = Observation.objects.select_related("author", "nursery").get(pk=pk)
    viewer = viewer_of_entry(user, observation)
    if viewer is None:
        raise Observation.DoesNotExist
    return observation, viewer


def review_queue(user: User) -> QuerySet[Observation]:
    """Observations waiting for a manager of the user's nurseries, oldest first."""
    return with_story_details(
        Observation.objects.filter(
            nursery_id__in=managed_nursery_ids(user), status=Observation.Status.AWAITING_REVIEW
        ).order_by("submitted_at", "pk")
    )


def drafts_of(user: User) -> QuerySet[Observation]:
    """The user's own unfinished and returned observations."""
    return (
        staff_observations(user)
        .filter(
            author=user,
            source=Observation.Source.NURSERY,
            status__in=[Observation.Status.DRAFT, Observation.Status.RETURNED],
        )
        .prefetch_related(Prefetch("child_links", queryset=ObservationChild.objects.select_related("child")))
        .order_by("-updated_at")
    )


def with_story_details(entries: QuerySet[Observation]) -> QuerySet[Observation]:
    """Everything a story card shows, in a fixed number of queries whatever the number of entries."""
    return entries.select_related("author").prefetch_related(
        "areas",
        Prefetch("child_links", queryset=ObservationChild.objects.select_related("child")),
        Prefetch("photos", queryset=ObservationPhoto.objects.prefetch_related("children")),
    )


def story_entries(child: Child, viewer: Viewer) -> QuerySet[Observation]:
    """The child's timeline, newest first: all of it for staff, what is shared for the family."""
    entries = Observation.objects.filter(child_links__child=child)
    if not viewer.is_staff:
        entries = entries.filter(shared_with_families())
    return entries.order_by("-observed_at", "-pk")


def comments_on(entries: list[Observation], child: Child) -> dict[int, list[Comment]]:
    """Comments on these entries in this child's story, by entry id, in one query."""
    by_entry: dict[int, list[Comment]] = {entry.pk: [] for entry in entries}
    for comment in Comment.objects.filter(observation__in=entries, child=child).select_related("author"):
        by_entry[comment.observation_id].append(comment)
    return by_entry


def photo_children(photo: ObservationPhoto, observation: Observation) -> list[Child]:
    """Who is in the photo: chosen by staff, or else the observation's children (prefetched)."""
    if photo.children_chosen:
        return list(photo.children.all())
    return [link.child for link in observation.child_links.all()]


def decorate(entries: list[Observation], viewer: Viewer) -> list[Observation]:
    """Name children and hide photos as this viewer may see them; one consent query for the whole page.

    Sets ``entry.named`` (name per child, "a friend" for other families' children), ``entry.shown_text``
    and ``entry.shown_photos``.
    """
    others: set[int] = set()
    for entry in entries:
        for photo in entry.photos.all():
            others |= {c.pk for c in photo_children(photo, entry)} - viewer.family_child_ids
    may_appear = (
        children_with_consent(others, ConsentPurpose.PHOTOS_OTHERS_STORIES) if others and not viewer.is_staff else set()
    )
    for entry in entries:
        children = [link.child for link in entry.child_links.all()]
        entry.named = [name_for(c, viewer) for c in children]
        entry.shown_text = entry.text if viewer.is_staff else redact(entry.text, children, viewer)
        entry.shown_voice = entry.child_voice if viewer.is_staff else redact(entry.child_voice, children, viewer)
        entry.shown_photos = [
            photo
            for photo in entry.photos.all()
            if viewer.is_staff or {c.pk for c in photo_children(photo, entry)} - viewer.family_child_ids <= may_appear
        ]
        entry.hidden_photo_count = len(entry.photos.all()) - len(entry.shown_photos)
        entry.next_steps_shown = [
            (name_for(link.child, viewer), link.next_steps)
            for link in entry.child_links.all()
            if link.next_steps and (viewer.is_staff or link.child_id in viewer.family_child_ids)
        ]
    return entries


def name_for(child: Child, viewer: Viewer) -> str:
    if viewer.is_staff or child.pk in viewer.family_child_ids:
        return child.known_as
    return FRIEND


def names_in(child: Child) -> set[str]:
    return {name for name in (child.first_name, child.preferred_name) if name}


def redact(text: str, children: list[Child], viewer: Viewer) -> str:
    """Replace other families' children's names with "a friend" (best effort: staff are also warned at capture)."""
    names = set().union(*(names_in(c) for c in children if c.pk not in viewer.family_child_ids)) if children else set()
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", _friend, text, flags=re.IGNORECASE)
    return text


def _friend(match: re.Match) -> str:
    before = match.string[: match.start()].rstrip()
    return FRIEND.capitalize() if not before or before[-1] in ".!?\n" else FRIEND


def names_mentioned(text: str, children: list[Child], nursery_children: list[Child]) -> list[str]:
    """Names of children in the text that another family would read: any child of the nursery in a group
    observation, or any child not tagged in it."""
    tagged = {c.pk for c in children}
    found = []
    for other in nursery_children:
        if other.pk in tagged and len(tagged) == 1:
            continue
        for name in names_in(other):
            if re.search(rf"\b{re.escape(name)}\b", text, flags=re.IGNORECASE) and name not in found:
                found.append(name)
    return found


def area_balance(entries: QuerySet[Observation], areas: list[Area]) -> list[dict]:
    """Entries per area in the last 3, 6 and 12 months, in one query, so gaps stand out."""
    now = timezone.now()
    windows = {
        f"m{months}": Count(
            "observations",
            filter=Q(
                observations__in=entries.values("pk"),
                observations__observed_at__gte=now - timedelta(days=round(30.44 * months)),
            ),
            distinct=True,
        )
        for months in BALANCE_WINDOWS
    }
    counts = {
        row["pk"]: row for row in Area.objects.filter(pk__in=[a.pk for a in areas]).values("pk").annotate(**windows)
    }
    return [
        {"area": area, **{months: counts.get(area.pk, {}).get(f"m{months}", 0) for months in BALANCE_WINDOWS}}
        for area in areas
    ]


def balance_rows(balance: list[dict], window: int) -> list[dict]:
    """One window of the chart: each area's count and its bar as a share of the busiest area."""
    most = max((row[window] for row in balance), default=0) or 1
    return [{"area": row["area"], "count": row[window], "percent": round(100 * row[window] / most)} for row in balance]


def filter_story(entries: QuerySet[Observation], *, area=None, aspect=None, since=None, until=None) -> QuerySet:
    if area is not None:
        entries = entries.filter(areas=area)
    if aspect is not None:
        entries = entries.filter(aspects=aspect)
    if since is not None:
        entries = entries.filter(observed_at__date__gte=since)
    if until is not None:
        entries = entries.filter(observed_at__date__lte=until)
    return entries.distinct()


def aspects_by_area(framework: Framework | None) -> list[tuple[Area, list[Aspect]]]:
    if framework is None:
        return []
    grouped: dict[int, tuple[Area, list[Aspect]]] = {}
    for aspect in Aspect.objects.filter(area__framework=framework).select_related("area"):
        grouped.setdefault(aspect.area_id, (aspect.area, []))[1].append(aspect)
    return list(grouped.values())


def suggestions_for(children: list[Child]) -> list[tuple[Child, list[Statement]]]:
    """Statements typical of each tagged child's age band, to tick the ones seen (a few queries per child)."""
    today = timezone.localdate()
    return [(child, list(suggested_statements(child, on=today))) for child in children]


def children_for_capture(user: User) -> QuerySet[Child]:
    """Children a practitioner may observe, those in their own room first."""
    return children_in_staff_care(user).order_by("room__min_age_months", "first_name")


def whats_new(child_ids: QuerySet) -> tuple[QuerySet[Comment], QuerySet[Observation]]:
    """Families' comments and home contributions about these children, unread first then newest."""
    comments = (
        Comment.objects.filter(child_id__in=child_ids, by_staff=False)
        .select_related("child", "author", "observation")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at")
    )
    contributions = (
        Observation.objects.filter(source=Observation.Source.HOME, child_links__child_id__in=child_ids)
        .select_related("author")
        .prefetch_related(Prefetch("child_links", queryset=ObservationChild.objects.select_related("child")))
        .order_by(F("read_at").asc(nulls_first=True), "-created_at")
        .distinct()
    )
    return comments, contributions


def photo_for(user: User, pk: int) -> ObservationPhoto:
    """A photo the user may see, with ``photo.viewer`` set (raises DoesNotExist otherwise: the view answers 404)."""
    photo = ObservationPhoto.objects.select_related("observation").prefetch_related("children").get(pk=pk)
    viewer = viewer_of_entry(user, photo.observation)
    if viewer is None:
        raise ObservationPhoto.DoesNotExist
    if not viewer.is_staff:  # every other child in it must have agreed to appear in other families' stories
        others = {child.pk for child in photo_children(photo, photo.observation)} - viewer.family_child_ids
        if others - children_with_consent(others, ConsentPurpose.PHOTOS_OTHERS_STORIES):
            raise ObservationPhoto.DoesNotExist
    photo.viewer = viewer
    return photo


def story_panel(request, child: Child) -> dict:
    """The child page's learning story section: the three latest entries the viewer may see."""
    viewer = viewer_of(request.user, child)
    if viewer is None:
        return {"hidden": True}
    latest = decorate(list(with_story_details(story_entries(child, viewer))[:3]), viewer)
    return {"child": child, "viewer": viewer, "latest": latest}


def shared_entries_on(child_ids: Iterable[int], day: date) -> list[ObservationChild]:
    """Each child's nursery entries of the day that their family can read, with areas, in two queries."""
    return list(
        ObservationChild.objects.filter(
            child_id__in=list(child_ids),
            observation__in=Observation.objects.filter(shared_with_families(), source=Observation.Source.NURSERY),
            observation__observed_at__date=day,
        )
        .select_related("observation")
        .prefetch_related("observation__areas")
        .order_by("observation__observed_at")
    )


def name_photo_people(entries: list[Observation]) -> None:
    """For a manager checking entries: set ``photo.people`` on each photo, as (child, shared beyond their
    family) pairs, so the check shows who is in each photo and who only their own family will see."""
    for entry in entries:
        for photo in entry.photos.all():
            photo.people = photo_children(photo, entry)
    everyone = {child.pk for entry in entries for photo in entry.photos.all() for child in photo.people}
    shared = children_with_consent(everyone, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    for entry in entries:
        for photo in entry.photos.all():
            photo.people = [(child, child.pk in shared) for child in photo.people]
