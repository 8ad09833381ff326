"""Writes for next steps: made from a shared observation's next steps or by hand, achieved or dropped."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent
from children.services import record_event

from ..models import Area, Assessment, NextStep, Observation


def steps_from_observation(*, observation: Observation, by: User | None) -> list[NextStep]:
    """Make each child's next steps typed on a shared observation an open next step, and close the steps
    it shows achieved.

    Idempotent: one step per observation and child, found again on a second run. While a step is still
    open its wording follows the observation's; emptied, it is dropped. Achieved or dropped steps stay.
    """
    if observation.status != Observation.Status.PUBLISHED:
        return []
    existing = {step.child_id: step for step in NextStep.objects.filter(observation=observation)}
    made = []
    for link in observation.child_links.all():
        text = link.next_steps.strip()
        step = existing.get(link.child_id)
        if step is None and text:
            made.append(
                NextStep.objects.create(
                    child_id=link.child_id,
                    text=text,
                    observation=observation,
                    set_by=observation.author or by,
                    created_at=observation.published_at or timezone.now(),
                )
            )
        elif step is not None and step.status == NextStep.Status.OPEN and step.text != text:
            step.text = text or step.text
            step.status = NextStep.Status.OPEN if text else NextStep.Status.DROPPED
            step.closed_at = None if text else timezone.now()
            step.save(update_fields=["text", "status", "closed_at"])
    _close_claimed(observation)
    return made


def set_achieved_steps(*, observation: Observation, step_ids: Iterable[int]) -> list[NextStep]:
    """Record which open next steps this observation shows achieved: only steps of the children in it.

    A draft only claims them (``achieved_by``, still open); sharing the observation closes them, so a
    family never reads "achieved" before they can read the entry that shows it.
    """
    wanted = {int(pk) for pk in step_ids}
    allowed = NextStep.objects.filter(
        status=NextStep.Status.OPEN, child__observation_links__observation=observation
    ).exclude(observation=observation)
    chosen = list(allowed.filter(pk__in=wanted))
    if len(chosen) != len(wanted):
        raise ValidationError("Only the open next steps of the children in this observation can be marked achieved.")
    NextStep.objects.filter(achieved_by=observation, status=NextStep.Status.OPEN).exclude(pk__in=wanted).update(
        achieved_by=None
    )
    NextStep.objects.filter(pk__in=wanted).update(achieved_by=observation)
    if observation.status == Observation.Status.PUBLISHED:
        _close_claimed(observation)
    return chosen


def _close_claimed(observation: Observation) -> None:
    steps = list(NextStep.objects.filter(achieved_by=observation, status=NextStep.Status.OPEN).select_related("child"))
    for step in steps:
        record_event(
            child=step.child,
            actor=observation.author,
            action=ChildAuditEvent.Action.CHANGED,
            what=f"Next step achieved (observation {observation.pk})",
        )
    NextStep.objects.filter(pk__in=[s.pk for s in steps]).update(
        status=NextStep.Status.ACHIEVED, closed_at=timezone.now()
    )


def add_next_step(
    *, child: Child, text: str, by: User, area: Area | None = None, assessment: Assessment | None = None
) -> NextStep:
    """A next step staff set by hand, perhaps from one of the child's assessments."""
    if not text.strip():
        raise ValidationError("Write the next step.")
    if assessment is not None and assessment.child_id != child.pk:
        raise ValidationError("That assessment is about another child.")
    step = NextStep.objects.create(
        child=child,
        text=text.strip(),
        area=area or (assessment.area if assessment else None),
        assessment=assessment,
        set_by=by,
    )
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CREATED, what="Next step set")
    return step


def drop_next_step(*, step: NextStep, by: User) -> NextStep:
    """Staff decide a step is no longer needed; an achieved step stays achieved."""
    if step.status == NextStep.Status.OPEN:
        step.status, step.closed_at, step.achieved_by = NextStep.Status.DROPPED, timezone.now(), None
        step.save(update_fields=["status", "closed_at", "achieved_by"])
        record_event(child=step.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Next step dropped")
    return step
