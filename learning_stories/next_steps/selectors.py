"""Reads for next steps: a child's open, achieved and dropped steps as the viewer may see them, and one step
for staff to change."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from children.access import Viewer
from children.models import Child
from children.selectors import children_in_staff_care

from ..models import NextStep, Observation
from ..story.selectors import viewer_of


def open_next_steps(children: Iterable[Child] | QuerySet[Child]) -> QuerySet[NextStep]:
    """The open next steps of these children (a queryset or a list of children or ids), oldest first.

    Count them per child with ``.values("child").annotate(Count("pk"))``.
    """
    ids = children if isinstance(children, QuerySet) else [getattr(c, "pk", c) for c in children]
    return (
        NextStep.objects.filter(child__in=ids, status=NextStep.Status.OPEN)
        .select_related("child", "area")  # not the observation: joining it made PostgreSQL scan all of them
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


@dataclass(frozen=True)
class StepToClose:
    """An open next step a new entry may show achieved, and whether its box is ticked."""

    step: NextStep
    claimed: bool


def steps_to_close(
    children: Iterable[Child], observation: Observation | None, *, ticked: set[int] | None = None
) -> dict[int, list[StepToClose]]:
    """For the capture and tagging pages: each child's open steps (but those this observation set), claimed
    when this observation already shows them achieved or, for a form sent back, when ``ticked``. One query."""
    by_child: dict[int, list[StepToClose]] = {getattr(c, "pk", c): [] for c in children}
    # Only what the boxes show: a room's children have hundreds of open steps between them.
    steps = open_next_steps(list(by_child)).select_related(None).only("child", "text", "achieved_by")
    if observation is not None:
        steps = steps.exclude(observation=observation)
    for step in steps:
        if ticked is not None:
            claimed = step.pk in ticked
        else:
            claimed = observation is not None and step.achieved_by_id == observation.pk
        by_child[step.child_id].append(StepToClose(step=step, claimed=claimed))
    return by_child


def access_next_step(user: User, pk: int) -> NextStep:
    """A next step of a child in the user's care as staff, to change it; anyone else gets 404."""
    return get_object_or_404(NextStep.objects.select_related("child"), pk=pk, child__in=children_in_staff_care(user))
