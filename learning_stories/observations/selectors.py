"""Reads for observations: the author's drafts, the review queue, one entry or photo for the person asking,
the children offered at capture and what families have added."""

from django.db.models import F, Prefetch, QuerySet

from accounts.models import User
from children.access import Viewer
from children.models import Child, ConsentPurpose
from children.selectors import children_in_staff_care, children_with_consent
from nursery.selectors import managed_nursery_ids, staff_nursery_ids

from ..models import Comment, Observation, ObservationChild, ObservationPhoto
from ..story.selectors import photo_children, viewer_of_entry, with_story_details


def staff_observations(user: User) -> QuerySet[Observation]:
    """Every observation at the nurseries where the user works."""
    return Observation.objects.filter(nursery_id__in=staff_nursery_ids(user))


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
