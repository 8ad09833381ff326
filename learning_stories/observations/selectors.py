"""Reads for observations: the author's drafts, the review queue, what the capture page shows (children and
photo cards), what families have added, and one ``access_*`` function per way of opening an entry or photo."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.access import Viewer
from children.day.models import Attendance
from children.models import Child, ConsentPurpose
from children.selectors import children_in_staff_care, children_with_consent, not_left_by
from nursery.models import Nursery
from nursery.selectors import managed_nursery_ids, staff_nursery_ids

from ..faces.selectors import shown_to_family
from ..models import Comment, NextStep, Observation, ObservationChild, ObservationPhoto
from ..next_steps.selectors import StepToClose, steps_to_close
from ..story.selectors import photo_children, viewer_of, viewer_of_entry, with_story_details


def staff_observations(user: User) -> QuerySet[Observation]:
    """Every observation at the nurseries where the user works."""
    return Observation.objects.filter(nursery_id__in=staff_nursery_ids(user))


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


def children_for_capture(user: User, nursery: Nursery, *, draft: Observation | None = None) -> QuerySet[Child]:
    """Children of the nursery a practitioner may observe, youngest rooms first: those on roll today (started,
    and not past their last day), and any child already in ``draft`` (a draft about a child who has since
    left can still be finished)."""
    today = timezone.localdate()
    offered = Q(start_date__lte=today) & not_left_by(today)
    if draft is not None:
        offered |= Q(pk__in=ObservationChild.objects.filter(observation=draft).values("child_id"))
    return (
        children_in_staff_care(user)
        .filter(offered, nursery=nursery)
        .order_by("room__min_age_months", "room__name", "first_name", "last_name")
    )


def children_here_now(children: QuerySet[Child]) -> set[int]:
    """Which of these children are signed in today and not yet signed out, in one query."""
    stays = Attendance.objects.filter(
        child__in=children.order_by().values("pk"), day=timezone.localdate(), signed_out_at__isnull=True
    )
    return set(stays.values_list("child_id", flat=True))


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


# --- The capture page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaptureChild:
    """A child offered on the capture page, with what the page shows beside them."""

    child: Child
    tagged: bool  # chosen for this observation
    no_photo_consent: bool  # their family has not agreed to photos in their own story
    next_steps: str = ""  # planned for them in this observation
    open_steps: tuple[StepToClose, ...] = ()  # their open next steps this observation may show achieved


@dataclass(frozen=True)
class PhotoCard:
    """One photo of a draft, with each child offered and whether they are ticked as in it."""

    photo: ObservationPhoto
    chosen: bool  # who is in it was chosen by hand; otherwise it follows the tagged children
    choices: tuple[tuple[CaptureChild, bool], ...]


def _without_photo_consent(children: list[Child]) -> set[int]:
    ids = [child.pk for child in children]
    return set(ids) - children_with_consent(ids, ConsentPurpose.PHOTOS_OWN_STORY)


def capture_children(
    children: list[Child],
    *,
    tagged: set[int],
    observation: Observation | None,
    typed_next_steps: dict[int, str],
    ticked_steps: set[int] | None,
) -> list[CaptureChild]:
    """Every child offered, in order: tagged or not, photo consent, their next steps as typed (or as saved
    in ``observation``) and their open steps, ticked as the form had them (``ticked_steps``) or as saved.
    Two queries besides the observation's children."""
    no_consent = _without_photo_consent(children)
    saved = {link.child_id: link.next_steps for link in observation.child_links.all()} if observation else {}
    open_steps = steps_to_close(children, observation, ticked=ticked_steps)
    return [
        CaptureChild(
            child=child,
            tagged=child.pk in tagged,
            no_photo_consent=child.pk in no_consent,
            next_steps=typed_next_steps.get(child.pk, saved.get(child.pk, "")),
            open_steps=one_per_wording(open_steps[child.pk]),
        )
        for child in children
    ]


def _wording(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".")


def one_per_wording(steps: Iterable[StepToClose]) -> tuple[StepToClose, ...]:
    """A child's open steps, those with the same words (the same next step typed on several observations)
    as one, the oldest: one "this shows it achieved" box each, ticked if any of them is. Ticking it shows
    all of them achieved (``with_same_wording``)."""
    kept: dict[str, StepToClose] = {}
    for item in steps:
        first = kept.setdefault(_wording(item.step.text), item)
        if item.claimed and not first.claimed:
            kept[_wording(item.step.text)] = StepToClose(step=first.step, claimed=True)
    return tuple(kept.values())


def with_same_wording(step_ids: Iterable[int], *, entry: Observation | None = None) -> list[int]:
    """The ticked open steps and every other open step of the same child in the same words (shown as one
    box by ``one_per_wording``), but those ``entry`` set itself. Two queries, none when nothing is ticked."""
    step_ids = set(step_ids)
    if not step_ids:
        return []
    wanted = {
        (child_id, _wording(text))
        for child_id, text in NextStep.objects.filter(pk__in=step_ids).values_list("child_id", "text")
    }
    same = NextStep.objects.filter(child_id__in={child_id for child_id, _ in wanted}, status=NextStep.Status.OPEN)
    if entry is not None:
        same = same.exclude(observation=entry)
    same = same.values_list("pk", "child_id", "text")
    return sorted(step_ids | {pk for pk, child_id, text in same if (child_id, _wording(text)) in wanted})


def photo_cards(photos: Iterable[ObservationPhoto], children: list[CaptureChild]) -> list[PhotoCard]:
    """Each photo (its children prefetched) with every child offered, ticked when in it: those chosen by hand,
    or else the tagged children."""
    tagged = {offered.child.pk for offered in children if offered.tagged}
    cards = []
    for photo in photos:
        in_it = {child.pk for child in photo.children.all()} if photo.children_chosen else tagged
        choices = tuple((offered, offered.child.pk in in_it) for offered in children)
        cards.append(PhotoCard(photo=photo, chosen=photo.children_chosen, choices=choices))
    return cards


def new_photo_card(photo: ObservationPhoto, children: list[Child]) -> PhotoCard:
    """The card of a photo just added to a draft, which names the draft's children (the page's script then
    follows the children tapped since). One query for consent, one for who is in it."""
    in_it = {child.pk for child in photo.children.all()}
    no_consent = _without_photo_consent(children)
    offered = [CaptureChild(child=c, tagged=c.pk in in_it, no_photo_consent=c.pk in no_consent) for c in children]
    [card] = photo_cards([photo], offered)
    return card


# --- Opening one entry or photo ------------------------------------------------------------------


def access_observation(user: User, pk: int) -> tuple[Observation, Viewer]:
    """An entry the user may read, with their standing: staff of its nursery, or a family whose child is in
    it once it is shared with families. Anyone else gets 404."""
    observation = Observation.objects.select_related("author", "nursery").filter(pk=pk).first()
    viewer = viewer_of_entry(user, observation) if observation is not None else None
    if viewer is None:
        raise Http404("No such observation.")
    return observation, viewer


def access_comment_thread(user: User, pk: int, child_id: str) -> tuple[Observation, Child, Viewer]:
    """The entry and the child whose thread of comments the user may write in: staff, or the child's family
    when their link includes commenting. A child not in the entry, or not theirs, answers 404."""
    observation, viewer = access_observation(user, pk)
    child = next(
        (link.child for link in observation.child_links.select_related("child") if str(link.child_id) == child_id),
        None,
    )
    if child is None or not (viewer.is_staff or child.pk in viewer.family_child_ids):
        raise Http404("No such child in this entry.")
    if not viewer.is_staff and not viewer_of(user, child).can_contribute:
        raise Http404("Your link to this child does not include commenting.")
    return observation, child, viewer


def access_draft(user: User, pk: int) -> Observation:
    """One of the user's own observations written at the nursery (draft, returned or sent): only its author
    edits it; a colleague's answers 404."""
    draft = get_object_or_404(staff_observations(user), pk=pk, source=Observation.Source.NURSERY)
    if draft.author_id != user.pk:
        raise Http404("Only the author edits an observation.")
    return draft


def access_observation_to_review(user: User, pk: int) -> Observation:
    """An observation waiting for a manager of its nursery (the user's review queue), or 404."""
    return get_object_or_404(review_queue(user), pk=pk)


def access_home_entry(user: User, pk: int) -> Observation:
    """A family's home contribution at a nursery where the user works, for staff to tag its areas; or 404."""
    return get_object_or_404(staff_observations(user).filter(source=Observation.Source.HOME), pk=pk)


def access_photo(user: User, pk: int) -> tuple[ObservationPhoto, Viewer]:
    """A photo the user may see, with their standing: whoever may read its entry, and for a family only when
    every other child in it has agreed to appear in other families' stories or can be blurred
    (faces.selectors.shown_to_family). Anyone else gets 404."""
    photo = (
        ObservationPhoto.objects.select_related("observation")
        .prefetch_related("children", "faces")
        .filter(pk=pk)
        .first()
    )
    viewer = viewer_of_entry(user, photo.observation) if photo is not None else None
    if viewer is None:
        raise Http404("No such photo.")
    if not viewer.is_staff:
        in_photo = {child.pk for child in photo_children(photo, photo.observation)}
        everyone = in_photo | {face.child_id for face in photo.faces.all() if face.child_id}
        shared = children_with_consent(everyone - viewer.family_child_ids, ConsentPurpose.PHOTOS_OTHERS_STORIES)
        if not shown_to_family(photo, in_photo, viewer.family_child_ids, shared):
            raise Http404("No such photo.")
    return photo, viewer


def face_editable_observations(user: User) -> QuerySet[Observation]:
    """Entries whose photos' faces the user may name, add or remove: their own draft (or returned one), and a
    published entry they wrote or that belongs to a nursery they manage (to put right a wrongly named face)."""
    return staff_observations(user).filter(
        Q(author=user, status__in=[Observation.Status.DRAFT, Observation.Status.RETURNED])
        | Q(status=Observation.Status.PUBLISHED) & (Q(author=user) | Q(nursery_id__in=managed_nursery_ids(user)))
    )


def access_face_photo(user: User, pk: int) -> ObservationPhoto:
    """A photo whose faces the user may change (``face_editable_observations``); anyone else's answers 404."""
    return get_object_or_404(
        ObservationPhoto.objects.select_related("observation"),
        pk=pk,
        observation__in=face_editable_observations(user),
    )


def access_draft_photo(user: User, pk: int) -> ObservationPhoto:
    """A photo of one of the user's own observations, for its author to remove; anyone else's answers 404."""
    return get_object_or_404(
        ObservationPhoto.objects.select_related("observation"),
        pk=pk,
        observation__in=staff_observations(user).filter(author=user),
    )
