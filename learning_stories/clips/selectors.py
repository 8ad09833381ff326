"""Reads for clips: who is in one, which a viewer may see (the photo consent rules), one clip by id."""

from collections.abc import Iterable

from django.http import Http404
from django.utils import timezone

from accounts.models import User
from children.access import Viewer
from children.models import Child, ConsentPurpose
from children.selectors import children_with_consent

from ..models import Observation, ObservationClip


def clip_children(clip: ObservationClip, observation: Observation) -> list[Child]:
    """Who is in the clip: chosen (a family's clip of their own child), or else the observation's children."""
    if clip.children_chosen:
        return list(clip.children.all())
    return [link.child for link in observation.child_links.all()]


def others_in_clips(entries: Iterable[Observation], viewer: Viewer) -> set[int]:
    """Children in these entries' clips who are not the viewer's own (clips and children prefetched)."""
    others: set[int] = set()
    for entry in entries:
        for clip in entry.clips.all():
            others |= {c.pk for c in clip_children(clip, entry)} - viewer.family_child_ids
    return others


def decorate_clips(entries: Iterable[Observation], viewer: Viewer, may_appear: set[int]) -> None:
    """Set ``entry.shown_clips`` and ``entry.hidden_clip_count``: a family sees a clip only where every other
    child in it may appear in other children's stories (``may_appear``), as for photos."""
    for entry in entries:
        entry.shown_clips = [
            clip
            for clip in entry.clips.all()
            if viewer.is_staff or {c.pk for c in clip_children(clip, entry)} - viewer.family_child_ids <= may_appear
        ]
        entry.hidden_clip_count = len(entry.clips.all()) - len(entry.shown_clips)


def access_clip(user: User, pk: int) -> tuple[ObservationClip, Viewer]:
    """A clip the user may play, with their standing: whoever may read its entry, and for a family only when
    every other child in it has agreed to appear in other families' stories. Anyone else gets 404."""
    from ..story.selectors import viewer_of_entry

    clip = ObservationClip.objects.select_related("observation").prefetch_related("children").filter(pk=pk).first()
    viewer = viewer_of_entry(user, clip.observation) if clip is not None else None
    if viewer is None:
        raise Http404("No such clip.")
    if not viewer.is_staff:
        others = {child.pk for child in clip_children(clip, clip.observation)} - viewer.family_child_ids
        if others - children_with_consent(others, ConsentPurpose.PHOTOS_OTHERS_STORIES):
            raise Http404("No such clip.")
    return clip, viewer


def access_draft_clip(user: User, pk: int) -> ObservationClip:
    """A clip of one of the user's own observations (to remove it, or to see whether it is ready); or 404."""
    from ..observations.selectors import staff_observations

    clip = ObservationClip.objects.select_related("observation").filter(pk=pk).first()
    if clip is None or not staff_observations(user).filter(pk=clip.observation_id, author=user).exists():
        raise Http404("No such clip.")
    return clip


def own_clips(entry: Observation, child: Child, *, alone: bool = False) -> list[ObservationClip]:
    """The clips of a decorated entry (``shown_clips``) in which ``child`` appears, for the leaver pack and
    (``alone``: the child and nobody else) the subject access export. Pass them through
    ``services.ready_clips`` to keep those prepared (and prepare those still waiting)."""
    found = []
    for clip in getattr(entry, "shown_clips", []):
        people = clip_children(clip, entry)
        if people == [child] if alone else child.pk in {c.pk for c in people}:
            found.append(clip)
    return found


def clip_file_name(clip: ObservationClip, entry: Observation) -> str:
    """Its name in a ZIP (leaver pack, subject access export): when, which entry, which clip."""
    extension = ".mp4" if clip.is_video else ".m4a"
    return f"clips/{timezone.localtime(entry.observed_at):%Y-%m-%d}-{entry.pk}-{clip.pk}{extension}"
