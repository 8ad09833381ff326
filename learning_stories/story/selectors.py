"""Reads for the learning story, scoped to the person asking.

Staff of a child's nursery see everything in the child's story, drafts included. A family member sees
only the published, not staff-only entries of the children whose story their link lets them see, other
children in a group observation only as "a friend", and a photo only when every other child in it may
appear in other children's stories.
"""

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.access import Viewer
from children.models import Child, ConsentPurpose, Guardianship
from children.selectors import (
    children_in_staff_care,
    children_of_guardian,
    children_visible_to,
    children_with_consent,
    nursery_children_names,
)
from nursery.selectors import staff_nursery_ids

from ..clips.selectors import decorate_clips, others_in_clips
from ..faces.selectors import shown_to_family
from ..models import Area, Comment, Observation, ObservationChild, ObservationClip, ObservationPhoto

FRIEND = "a friend"
BALANCE_WINDOWS = (3, 6, 12)  # months shown in the area-balance chart


def may_add_to_story(link: Guardianship, child: Child) -> bool:
    """Whether a family member may add to the child's story (comments, things from home): their link allows it
    and the child has not left (the family of a leaver may still read, but no longer add)."""
    return link.can_contribute and not child.has_left()


def family_viewer(child: Child) -> Viewer:
    """The child as their family sees them, for documents not tied to whoever asked (the leaver pack)."""
    return Viewer(user=None, is_staff=False, family_child_ids=frozenset({child.pk}))


def viewer_of(user: User, child: Child) -> Viewer | None:
    """The user's standing for this child's story, or None when they may not see it (the view answers 404).

    Staff of the child's nursery: ``is_staff``. A family member whose link lets them see the story: their
    children at this nursery (``family_child_ids``) and whether they may add to this child's story.
    """
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
        can_contribute=may_add_to_story(link, child),
    )


def access_story(user: User, pk: int) -> tuple[Child, Viewer]:
    """A child whose learning story (and the records read beside it: next steps, assessments) the user may
    read, with their standing; anyone else gets 404."""
    child = get_object_or_404(children_visible_to(user).select_related("nursery", "room"), pk=pk)
    viewer = viewer_of(user, child)
    if viewer is None:
        raise Http404("No such story.")
    return child, viewer


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
        can_contribute=any(may_add_to_story(link, link.child) for link in in_it),
    )


def with_story_details(entries: QuerySet[Observation]) -> QuerySet[Observation]:
    """Everything a story card shows, in a fixed number of queries whatever the number of entries."""
    return entries.select_related("author").prefetch_related(
        "areas",
        Prefetch("child_links", queryset=ObservationChild.objects.select_related("child")),
        Prefetch("photos", queryset=ObservationPhoto.objects.prefetch_related("children", "faces")),
        Prefetch("clips", queryset=ObservationClip.objects.prefetch_related("children")),
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
    A family sees a photo with other children's faces blurred where that keeps them safe (faces.selectors).

    Sets ``entry.named`` (name per child, "a friend" for other families' children), ``entry.shown_text``
    ``entry.shown_photos`` and ``entry.shown_clips`` (learning_stories.clips).
    """
    others: set[int] = set()
    for entry in entries:
        for photo in entry.photos.all():
            others |= {c.pk for c in photo_children(photo, entry)} - viewer.family_child_ids
            others |= {face.child_id for face in photo.faces.all() if face.child_id} - viewer.family_child_ids
    others |= others_in_clips(entries, viewer)
    may_appear = (
        children_with_consent(others, ConsentPurpose.PHOTOS_OTHERS_STORIES) if others and not viewer.is_staff else set()
    )
    nursery_children = [] if viewer.is_staff else children_to_redact(entry.nursery_id for entry in entries)
    shown = (lambda text: text) if viewer.is_staff else redactor(nursery_children, viewer)
    for entry in entries:
        children = [link.child for link in entry.child_links.all()]
        entry.named = [name_for(c, viewer) for c in children]
        entry.shown_text = shown(entry.text)
        entry.shown_voice = shown(entry.child_voice)
        entry.shown_photos = [
            photo
            for photo in entry.photos.all()
            if viewer.is_staff
            or shown_to_family(photo, {c.pk for c in photo_children(photo, entry)}, viewer.family_child_ids, may_appear)
        ]
        entry.hidden_photo_count = len(entry.photos.all()) - len(entry.shown_photos)
        decorate_clips([entry], viewer, may_appear)
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


def children_to_redact(nursery_ids: Iterable[int]) -> list[Child]:
    """Every child of these nurseries, names only: what ``redact`` checks a text against, so a family
    reads no other child's name, tagged in the entry or only typed into it. From the cache, else one query
    per nursery."""
    return [
        Child(pk=pk, nursery_id=nursery_id, first_name=first, preferred_name=preferred)
        for nursery_id in sorted(set(nursery_ids))
        for pk, first, preferred in nursery_children_names(nursery_id)
    ]


def redact(text: str, children: list[Child], viewer: Viewer) -> str:
    """Replace other families' children's names with "a friend" (best effort: staff are also warned at capture)."""
    return redactor(children, viewer)(text)


def redactor(children: list[Child], viewer: Viewer) -> Callable[[str], str]:
    """``redact`` for many texts read by one viewer: the pattern of a whole nursery's names is built once."""
    names = set().union(*(names_in(c) for c in children if c.pk not in viewer.family_child_ids)) if children else set()
    # The family's own children keep their names even where another child shares one.
    names -= set().union(*(names_in(c) for c in children if c.pk in viewer.family_child_ids)) if children else set()
    if not names:
        return lambda text: text
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternatives})\b", flags=re.IGNORECASE)
    return lambda text: pattern.sub(_friend, text) if text else text


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
    """Entries per area in the last 3, 6 and 12 months, in one query, so gaps stand out.

    It starts from the child's entries (``entries`` is filtered by the child) and joins their area tags,
    so its cost follows the child's story, not the size of the nursery group.
    """
    now = timezone.now()
    since = {months: now - timedelta(days=round(30.44 * months)) for months in BALANCE_WINDOWS}
    # A tag is one (entry, area) pair, unique: counting tags counts entries per area.
    counts = {
        row["area_id"]: row
        for row in Observation.areas.through.objects.filter(
            observation__in=entries.order_by().values("pk"),
            observation__observed_at__gte=since[max(BALANCE_WINDOWS)],
            area_id__in=[area.pk for area in areas],
        )
        .values("area_id")
        .annotate(
            **{
                f"m{months}": Count("pk", filter=Q(observation__observed_at__gte=since[months]))
                for months in BALANCE_WINDOWS
            }
        )
        .order_by()
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
