"""The "Set up your nursery" checklist: its steps, whether each is done, and a manager's confirmations.

This app sits below children and learning stories, so each app adds its own steps from its
AppConfig.ready() with ``register_step``; the nursery's own steps are registered below.
A step is done when the records show it (``is_done``), or when a manager has confirmed it where no
record shows the decision (the nursery's ``setup_confirmed`` list, for steps with ``confirm_label``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from .models import Nursery, StaffInvitation


@dataclass(frozen=True)
class Step:
    key: str
    order: int
    title: str
    explanation: str  # plain words: what this is and why it matters
    url_name: str  # where the step is done
    link_label: str
    is_done: Callable[[Nursery], bool]
    # Further pages for the same step, as (label, URL name); a name that does not resolve is left out.
    more_links: tuple[tuple[str, str], ...] = ()
    # Where no record shows the decision: the button with which a manager keeps things as they are.
    confirm_label: str = ""
    # What the nursery has now, in a short sentence (e.g. the framework in use).
    current: Callable[[Nursery], str] | None = None


@dataclass
class StepState:
    step: Step
    done: bool
    url: str
    links: list[tuple[str, str]] = field(default_factory=list)
    current: str = ""


_steps: dict[str, Step] = {}


def register_step(step: Step) -> None:
    _steps[step.key] = step


def steps() -> list[Step]:
    return sorted(_steps.values(), key=lambda step: step.order)


def step_keys() -> list[str]:
    return [step.key for step in steps()]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # a page another part of KeyStory has not added (yet)
        return None


def checklist(nursery: Nursery) -> list[StepState]:
    """Every step, in order, with whether it is done for this nursery."""
    confirmed = set(nursery.setup_confirmed or [])
    states = []
    for step in steps():
        links = [(label, url) for label, name in step.more_links if (url := _url(name))]
        states.append(
            StepState(
                step=step,
                done=step.key in confirmed or step.is_done(nursery),
                url=_url(step.url_name) or "",
                links=links,
                current=step.current(nursery) if step.current else "",
            )
        )
    return states


def is_complete(nursery: Nursery) -> bool:
    confirmed = set(nursery.setup_confirmed or [])
    return all(step.key in confirmed or step.is_done(nursery) for step in steps())


@transaction.atomic
def confirm_step(*, nursery: Nursery, key: str) -> None:
    """Record that a manager has decided this step (only steps that can be confirmed)."""
    step = _steps.get(key)
    if step is None or not step.confirm_label:
        raise ValueError(f"The set-up step {key!r} cannot be confirmed.")
    locked = Nursery.objects.select_for_update().get(pk=nursery.pk)
    if key not in locked.setup_confirmed:
        locked.setup_confirmed = [*locked.setup_confirmed, key]
        locked.save(update_fields=["setup_confirmed"])
    nursery.setup_confirmed = locked.setup_confirmed


def _has_other_staff(nursery: Nursery) -> bool:
    pending = StaffInvitation.objects.filter(
        nursery=nursery, invitation__accepted_at__isnull=True, invitation__revoked_at__isnull=True
    )
    return nursery.staff.count() > 1 or pending.exists()


register_step(
    Step(
        key="details",
        order=10,
        title="Nursery details",
        explanation="Your nursery's name, address, phone number, e-mail address and Ofsted number, and "
        "whether all staff sign in with a code from their phone as well as their password.",
        url_name="nursery:details",
        link_label="Fill in the details",
        is_done=lambda nursery: bool(nursery.address.strip()),
        current=lambda nursery: "All staff use two-step sign-in." if nursery.staff_two_factor_required else "",
    )
)
register_step(
    Step(
        key="rooms",
        order=20,
        title="Rooms",
        explanation="Each room with the ages of the children it takes and how many places it has. "
        "Registers, the care log and staff-to-child ratios are kept room by room.",
        url_name="nursery:rooms",
        link_label="Add rooms",
        is_done=lambda nursery: nursery.rooms.active().exists(),
    )
)
register_step(
    Step(
        key="sessions",
        order=30,
        title="Session times",
        explanation="The sessions you offer, such as mornings, afternoons or full days. Children are booked "
        "into them and staff work them.",
        url_name="nursery:sessions",
        link_label="Set session times",
        is_done=lambda nursery: nursery.sessions.exists(),
    )
)
register_step(
    Step(
        key="staff",
        order=60,
        title="Invite your staff",
        explanation="Each member of staff gets an e-mail with a link to set their own password.",
        url_name="nursery:invite_staff",
        link_label="Invite staff",
        is_done=_has_other_staff,
    )
)
