"""Reads for the EYFS framework, observations and the learning story, scoped to the person asking.

Framework: which framework a nursery uses and what fits a child's age. Story: staff of a child's nursery
see everything in the child's story, drafts included. A family member sees only the published, not
staff-only entries of the children whose story their link lets them see, other children in a group
observation only as "a friend", and a photo only when every other child in it may appear in other
children's stories.
"""

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from children import care_team
from children.models import Child, ConsentPurpose, Guardianship, months_between
from children.selectors import (
    can_manage_child,
    children_in_staff_care,
    children_of_guardian,
    children_with_consent,
    has_left,
    not_left_by,
)
from nursery.models import Nursery
from nursery.selectors import managed_nursery_ids, staff_nursery_ids

from .models import (
    Area,
    Aspect,
    Assessment,
    AssessmentPoint,
    Band,
    CharacteristicPart,
    Comment,
    Framework,
    NextStep,
    NurseryFramework,
    Observation,
    ObservationChild,
    ObservationPhoto,
    ProgressCheck,
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


def family_viewer(child: Child) -> Viewer:
    """The child as their family sees them, for documents not tied to whoever asked (the leaver pack)."""
    return Viewer(user=None, is_staff=False, family_child_ids=frozenset({child.pk}))


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
    nursery_children = [] if viewer.is_staff else children_to_redact(entry.nursery_id for entry in entries)
    for entry in entries:
        children = [link.child for link in entry.child_links.all()]
        entry.named = [name_for(c, viewer) for c in children]
        entry.shown_text = entry.text if viewer.is_staff else redact(entry.text, nursery_children, viewer)
        entry.shown_voice = (
            entry.child_voice if viewer.is_staff else redact(entry.child_voice, nursery_children, viewer)
        )
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


def children_to_redact(nursery_ids: Iterable[int]) -> list[Child]:
    """Every child of these nurseries, names only: what ``redact`` checks a text against, so a family
    reads no other child's name, tagged in the entry or only typed into it. One query (none for none)."""
    ids = set(nursery_ids)
    return list(Child.objects.filter(nursery_id__in=ids).only("pk", "first_name", "preferred_name")) if ids else []


def redact(text: str, children: list[Child], viewer: Viewer) -> str:
    """Replace other families' children's names with "a friend" (best effort: staff are also warned at capture)."""
    names = set().union(*(names_in(c) for c in children if c.pk not in viewer.family_child_ids)) if children else set()
    # The family's own children keep their names even where another child shares one.
    names -= set().union(*(names_in(c) for c in children if c.pk in viewer.family_child_ids)) if children else set()
    if not names or not text:
        return text
    pattern = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.sub(rf"\b(?:{pattern})\b", _friend, text, flags=re.IGNORECASE)


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


# --- Next steps -----------------------------------------------------------------------------------


def open_next_steps(children: Iterable[Child] | QuerySet[Child]) -> QuerySet[NextStep]:
    """The open next steps of these children (a queryset or a list of children or ids), oldest first.

    Count them per child with ``.values("child").annotate(Count("pk"))``.
    """
    ids = children if isinstance(children, QuerySet) else [getattr(c, "pk", c) for c in children]
    return (
        NextStep.objects.filter(child__in=ids, status=NextStep.Status.OPEN)
        .select_related("child", "area", "observation")
        .order_by("child__first_name", "created_at", "pk")
    )


def visible_to_family() -> Q:
    """Next steps a family may read: those not set from a staff-only or unshared observation."""
    shared = Q(observation__staff_only=False, observation__status=Observation.Status.PUBLISHED)
    return Q(observation__isnull=True) | shared


@dataclass
class ChildNextSteps:
    open: list[NextStep]
    achieved: list[NextStep]
    dropped: list[NextStep]


def next_steps_of(child: Child, viewer: Viewer, *, achieved_limit: int | None = None) -> ChildNextSteps:
    """The child's next steps as this viewer may see them, in one query.

    Families see no dropped steps, and an achieved step's observation (``step.shown_entry``) only when
    that entry is shared with them; staff see everything.
    """
    steps = NextStep.objects.filter(child=child).select_related("area", "achieved_by", "observation", "set_by")
    if not viewer.is_staff:
        steps = steps.filter(visible_to_family()).exclude(status=NextStep.Status.DROPPED)
    grouped = ChildNextSteps(open=[], achieved=[], dropped=[])
    for step in steps.order_by("-closed_at", "-created_at", "-pk"):
        entry = step.achieved_by
        step.shown_entry = (
            entry
            if entry is not None
            and (viewer.is_staff or (entry.status == Observation.Status.PUBLISHED and not entry.staff_only))
            else None
        )
        getattr(grouped, step.status).append(step)
    grouped.open.reverse()  # oldest open step first: the one waiting longest
    if achieved_limit is not None:
        grouped.achieved = grouped.achieved[:achieved_limit]
    return grouped


def next_steps_panel(request, child: Child) -> dict:
    """The child page's next steps section: open steps and the latest achieved ones."""
    viewer = viewer_of(request.user, child)
    if viewer is None:
        return {"hidden": True}
    return {"child": child, "viewer": viewer, "steps": next_steps_of(child, viewer, achieved_limit=3)}


def steps_to_close(children: Iterable[Child], observation: Observation | None) -> dict[int, list[NextStep]]:
    """For the capture page: each child's open steps (excluding the ones this observation set), with
    ``step.claimed`` when this observation already shows it achieved. One query."""
    by_child: dict[int, list[NextStep]] = {getattr(c, "pk", c): [] for c in children}
    steps = open_next_steps(list(by_child))
    if observation is not None:
        steps = steps.exclude(observation=observation)
    for step in steps:
        step.claimed = observation is not None and step.achieved_by_id == observation.pk
        by_child[step.child_id].append(step)
    return by_child


# --- The progress check at age two ---------------------------------------------------------------

# The statutory window: from the second birthday until the day before the third (24 to 35 whole months).
CHECK_DUE_FROM_MONTHS = 24
# Fewer than three months left before the window closes: the check is overdue and goes to the top.
CHECK_OVERDUE_FROM_MONTHS = 33
CHECK_WINDOW_ENDS_MONTHS = 36


def months_after(born: date, months: int) -> date:
    """The day a child born on ``born`` is ``months`` old, as ``months_between`` counts it: a child
    born on 29 February (or the 31st) turns a month older on the last day of a shorter month."""
    year, month = divmod(born.year * 12 + born.month - 1 + months, 12)
    return date(year, month + 1, min(born.day, monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class CheckDue:
    """A child whose progress check at two is still to be shared with the family."""

    child: Child
    months: int
    overdue: bool
    window_closes: date  # the third birthday: the check must be done before it
    check: ProgressCheck | None  # a draft already started


def progress_checks_due(children: QuerySet[Child], *, on: date) -> list[CheckDue]:
    """Children on roll on ``on``, aged 24 to 35 months, with no check shared with the family or completed.

    Overdue (33 months or more) first, then by age, oldest first. Two queries whatever the number of
    children. A child on their third birthday is no longer listed: the statutory window has closed.
    """
    candidates = list(
        children.filter(
            not_left_by(on),
            start_date__lte=on,
            # A loose window in the database; ``months_between`` decides exactly below.
            date_of_birth__lte=on - timedelta(days=700),
            date_of_birth__gt=on - timedelta(days=1130),
        )
        .exclude(progress_checks__status__in=[ProgressCheck.Status.SHARED, ProgressCheck.Status.COMPLETED])
        .order_by("date_of_birth", "pk")
    )
    in_window = [
        (child, months)
        for child in candidates
        if CHECK_DUE_FROM_MONTHS <= (months := months_between(child.date_of_birth, on)) < CHECK_WINDOW_ENDS_MONTHS
    ]
    drafts = {
        check.child_id: check
        for check in ProgressCheck.objects.filter(
            child__in=[child for child, _ in in_window], status=ProgressCheck.Status.DRAFT
        ).order_by("child", "-pk")
    }
    return [
        CheckDue(
            child=child,
            months=months,
            overdue=months >= CHECK_OVERDUE_FROM_MONTHS,
            window_closes=months_after(child.date_of_birth, CHECK_WINDOW_ENDS_MONTHS),
            check=drafts.get(child.pk),
        )
        for child, months in in_window
    ]


def missed_progress_checks(children: QuerySet[Child], *, on: date) -> list[Child]:
    """Children on roll on ``on`` who turned three here without a check shared with their family: the
    window has closed, but the key person should know (and may still write it). One query."""
    candidates = children.filter(
        not_left_by(on), start_date__lte=on, date_of_birth__lte=on - timedelta(days=3 * 365)
    ).exclude(progress_checks__status__in=[ProgressCheck.Status.SHARED, ProgressCheck.Status.COMPLETED])
    return [
        child
        for child in candidates.order_by("date_of_birth", "pk")
        if months_between(child.date_of_birth, on) >= CHECK_WINDOW_ENDS_MONTHS
        and child.start_date < months_after(child.date_of_birth, CHECK_WINDOW_ENDS_MONTHS)
    ]


def progress_checks_for_staff(user: User) -> QuerySet[ProgressCheck]:
    """Checks of children at the nurseries where the user works."""
    return ProgressCheck.objects.filter(child__nursery_id__in=staff_nursery_ids(user))


def progress_checks_for_family(user: User) -> QuerySet[ProgressCheck]:
    """Checks shared with the user as a parent with parental responsibility (never a draft), while the
    family may still read the child's record (a leaver's family loses them with the rest of it)."""
    return ProgressCheck.objects.filter(
        child__in=children_of_guardian(user, with_parental_responsibility=True),
        status__in=[ProgressCheck.Status.SHARED, ProgressCheck.Status.COMPLETED],
    )


@dataclass(frozen=True)
class CheckReader:
    """Who is reading a progress check: staff of the child's nursery, a parent of the child, or both (a
    practitioner whose own child attends adds the family's view as a parent)."""

    user: User
    is_staff: bool
    may_write: bool  # the child's key person or a manager: write, share, complete, hand over
    is_parent: bool = False  # a parent with parental responsibility: reads it once shared, adds their view


def progress_check_for(user: User, pk: int) -> tuple[ProgressCheck, CheckReader]:
    """The check with how the user may use it (raises DoesNotExist for another family or nursery)."""
    check = (
        progress_checks_for_staff(user).select_related("child__nursery", "child__room", "written_by").filter(pk=pk)
    ).first()
    if check is not None:
        return check, CheckReader(
            user=user,
            is_staff=True,
            may_write=may_write_progress_check(user, check.child),
            is_parent=progress_checks_for_family(user).filter(pk=pk).exists(),
        )
    check = progress_checks_for_family(user).select_related("child__nursery", "child__room", "written_by").get(pk=pk)
    return check, CheckReader(user=user, is_staff=False, may_write=False, is_parent=True)


def may_assess(user: User, child: Child) -> bool:
    """Assessments are the key person's judgement (with their buddy, as co-key person) or a manager's:
    a colleague covering the room observes the child but does not overwrite the judgements."""
    return can_manage_child(user, child) or care_team.is_close_team(user, child)


def may_write_progress_check(user: User, child: Child) -> bool:
    """The key person writes the check (their duty); managers may too, e.g. when the key person is away."""
    return can_manage_child(user, child) or care_team.is_key_person(user, child)


def prime_areas_for(nursery_id: int) -> list[Area]:
    """The three prime areas of the nursery's framework: the progress check summarises these."""
    return list(current_framework_for(nursery_id).areas.filter(kind=Area.Kind.PRIME).order_by("order"))


def evidence_for_check(child: Child, *, since: date) -> list[Observation]:
    """Recent published observations of the child tagged with a prime area, to write the check beside."""
    return list(
        Observation.objects.filter(
            child_links__child=child, status=Observation.Status.PUBLISHED, observed_at__date__gte=since
        )
        .filter(areas__kind=Area.Kind.PRIME)
        .distinct()
        .prefetch_related("areas")
        .order_by("-observed_at")[:12]
    )


def latest_assessments_for_check(child: Child) -> list[Assessment]:
    """The child's latest assessment in each prime area (the "assess" pages write them)."""
    latest: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(child=child, area__kind=Area.Kind.PRIME)
        .select_related("area", "point", "band")
        .order_by("-assessed_on", "-pk")
    ):
        latest.setdefault(assessment.area_id, assessment)
    return list(latest.values())


def progress_check_panel(request, child: Child) -> dict:
    """The child page's progress check section: due/overdue and the checks the viewer may open."""
    user = request.user
    if children_in_staff_care(user).filter(pk=child.pk).exists():
        checks = list(ProgressCheck.objects.filter(child=child))
        [due] = progress_checks_due(Child.objects.filter(pk=child.pk), on=timezone.localdate()) or [None]
        return {
            "child": child,
            "is_staff": True,
            "checks": checks,
            "due": due,
            "may_write": may_write_progress_check(user, child),
            "hidden": not checks and due is None,  # a baby, or a child past three with no check here
        }
    checks = list(progress_checks_for_family(user).filter(child=child))
    return {"child": child, "is_staff": False, "checks": checks, "hidden": not checks}


# --- Assessments ---------------------------------------------------------------------------------

EVIDENCE_MONTHS = 6  # how far before an assessment point the observations offered as evidence go back
EVIDENCE_PER_AREA = 12


def assessment_points_of(nursery: Nursery | int) -> QuerySet[AssessmentPoint]:
    return AssessmentPoint.objects.filter(nursery_id=getattr(nursery, "pk", nursery))


def is_reception_age(child: Child, on: date) -> bool:
    """In the school year the child starts school (England: aged 4 on 31 August before it), when the key
    person judges the early learning goals rather than an age band."""
    if child.date_of_birth is None:
        return False
    september = on.year if on.month >= 9 else on.year - 1
    cutoff = date(september, 8, 31)
    born = child.date_of_birth
    age = cutoff.year - born.year - ((cutoff.month, cutoff.day) < (born.month, born.day))
    return age == 4


def bands_at(bands: Iterable[Band], child: Child, on: date) -> list[Band]:
    """The bands (from those already loaded) for the child's age on the day: ranges overlap, so maybe two."""
    months = child.age_in_months(on)
    if months is None:
        return []
    return [b for b in bands if b.min_months <= months and (b.max_months is None or months < b.max_months)]


def band_for(bands: Iterable[Band], child: Child, on: date) -> Band | None:
    """The first band (in the framework's order) for the child's age on the day."""
    return next(iter(bands_at(bands, child, on)), None)


def evidence_for(child: Child, point: AssessmentPoint) -> dict[int, list[Observation]]:
    """The child's shared and staff-only entries tagged with each area in the months before the point,
    newest first, by area id (one query plus one for the areas)."""
    since = point.starts_on - timedelta(days=round(30.44 * EVIDENCE_MONTHS))
    entries = (
        Observation.objects.filter(
            child_links__child=child,
            status=Observation.Status.PUBLISHED,
            observed_at__date__gte=since,
            observed_at__date__lte=point.ends_on,
        )
        .prefetch_related("areas")
        .order_by("-observed_at", "-pk")
        .distinct()
    )
    by_area: dict[int, list[Observation]] = {}
    for entry in entries:
        for area in entry.areas.all():
            found = by_area.setdefault(area.pk, [])
            if len(found) < EVIDENCE_PER_AREA:
                found.append(entry)
    return by_area


def assessments_for(child: Child) -> QuerySet[Assessment]:
    """The child's assessments at every point, oldest point first, with what each page shows of them."""
    return (
        Assessment.objects.filter(child=child)
        .select_related("point", "area", "aspect", "band", "assessed_by")
        .prefetch_related("observations")
        .order_by("point__starts_on", "point__pk", "area__order", "aspect__order")
    )


@dataclass
class PointSummary:
    """What was judged about one child at one assessment point, area by area."""

    point: AssessmentPoint
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def areas_on_track(self) -> int:
        return sum(1 for cell in area_cells(self.assessments).values() if cell.on_track)

    @property
    def areas_assessed(self) -> int:
        return len(area_cells(self.assessments))

    @property
    def by_area(self) -> list[tuple[Area, "AreaCell", list[Assessment]]]:
        """Each area judged: its overall judgement and the assessments behind it (one, or its goals)."""
        cells = area_cells(self.assessments)
        grouped: dict[int, tuple[Area, AreaCell, list[Assessment]]] = {}
        for assessment in self.assessments:
            grouped.setdefault(assessment.area_id, (assessment.area, cells[assessment.area.code], []))[2].append(
                assessment
            )
        return list(grouped.values())


@dataclass(frozen=True)
class AreaCell:
    """One child's judgement in one area: an area assessment, or the area's early learning goals together."""

    label: str
    on_track: bool
    band: str = ""


def area_cells(assessments: Iterable[Assessment]) -> dict[str, AreaCell]:
    """By area code (the same in every framework, so a nursery that changes framework keeps its history;
    areas must be loaded): the area's judgement, or for early learning goals "Expected" only when every
    goal judged in the area is expected (the way the EYFS profile counts a good level of development)."""
    whole: dict[str, AreaCell] = {}
    goals: dict[str, list[Assessment]] = {}
    for assessment in assessments:
        code = assessment.area.code
        if assessment.aspect_id is None:
            band = assessment.band.name if assessment.band_id else ""
            whole[code] = AreaCell(assessment.get_judgement_display(), assessment.is_on_track, band)
        else:
            goals.setdefault(code, []).append(assessment)
    for code, judged in goals.items():
        if code not in whole:
            expected = all(a.is_on_track for a in judged)
            whole[code] = AreaCell("Expected" if expected else "Emerging", expected, "Early learning goals")
    return whole


def assessment_summaries(child: Child, viewer: Viewer | None = None) -> list[PointSummary]:
    """The child's assessments grouped by point, newest point first. For a family ``viewer`` another
    child's name in a reason reads "a friend", as in the story."""
    summaries: dict[int, PointSummary] = {}
    nursery_children = children_to_redact([child.nursery_id]) if viewer is not None and not viewer.is_staff else []
    for assessment in assessments_for(child):
        if nursery_children:
            assessment.rationale = redact(assessment.rationale, nursery_children, viewer)
        summaries.setdefault(assessment.point_id, PointSummary(point=assessment.point)).assessments.append(assessment)
    return list(reversed(summaries.values()))


def assessment_panel(request, child: Child) -> dict:
    """The child page's development section: how the latest assessment point went, for staff and family."""
    viewer = viewer_of(request.user, child)
    if viewer is None:
        return {"hidden": True}
    summaries = assessment_summaries(child)
    return {"child": child, "viewer": viewer, "latest": summaries[0] if summaries else None}
