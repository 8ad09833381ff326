"""What a key person needs to know about each key child at a glance: age, next session, what is due.

Later issues add their own due items (observations, checks, feedback) in their own templates.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import User
from children.absences.selectors import upcoming_absences_for
from children.models import Child
from children.selectors import unread_home_changes_for, with_photo_consent
from nursery.models import NurserySession

from .dashboard import gap_items, story_gaps
from .personal_plans.selectors import plan_due_item
from .selectors import assignments_on

LOOK_AHEAD_DAYS = 14
NEW_KEY_CHILD_DAYS = 28

# Higher apps add their own reminders (e.g. transitions: a starter needing a settling-in plan) without this
# app importing them: each source gets the children and today, and answers {child id: [reminders]}.
DueSource = Callable[[list[Child], date], dict[int, Iterable[str]]]
_due_sources: list[DueSource] = []


def register_due_items(source: DueSource) -> None:
    if source not in _due_sources:
        _due_sources.append(source)


@dataclass(frozen=True)
class NextSession:
    day: date
    session: NurserySession


def next_session(child: Child, today: date, *, look_ahead: int = LOOK_AHEAD_DAYS) -> NextSession | None:
    """The child's next booked session from today (uses prefetched bookings)."""
    bookings = list(child.bookings.all())
    for offset in range(look_ahead):
        day = today + timedelta(days=offset)
        if (child.start_date and day < child.start_date) or (child.leave_date and day > child.leave_date):
            continue
        todays = sorted((b.session for b in bookings if b.weekday == day.weekday()), key=lambda s: s.starts_at)
        if todays:
            return NextSession(day, todays[0])
    return None


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February
        return date(born.year + years, 3, 1)


def due_items(child: Child, today: date, key_person_since: date | None, *, home_changes: int = 0) -> list[str]:
    """Plain reminders of the key person's duties that fall due for this child."""
    due = []
    if home_changes:
        due.append(f"{home_changes} change{'s' if home_changes > 1 else ''} at home from the family to read.")
    if child.start_date and child.start_date > today:
        # The settling-in plan's own reminder (transitions) says what is still to do before that day.
        due.append(f"Starts on {child.start_date:%A %-d %B}.")
    if key_person_since and today - key_person_since < timedelta(days=NEW_KEY_CHILD_DAYS):
        due.append("New to your key group: get to know the family and the child's routines.")
    if child.date_of_birth is None:
        due.append("No date of birth recorded: ask the office to add it (ratios depend on it).")
    else:
        for years in (2, 3):
            birthday = _birthday(child.date_of_birth, years)
            if today <= birthday <= today + timedelta(days=LOOK_AHEAD_DAYS * 2):
                due.append(f"Turns {years} on {birthday:%A %-d %B}.")
    if not child.bookings.all():
        due.append("No sessions booked yet.")
    return due


def key_child_notes(children: list[Child], user: User, today: date) -> list[Child]:
    """Add ``next_session``, ``due``, ``gaps``, ``photo_consent`` and ``reported_off`` (what the family reported,
    today and in the next two weeks) to each key child (bookings come prefetched), and put the children with
    gaps in their learning story first."""
    since = dict(
        assignments_on(today).filter(key_person__user=user, child__in=children).values_list("child_id", "starts_on")
    )  # allocated starters have no spell yet today, so are not "new to the group" until they start
    home_changes = unread_home_changes_for(child.pk for child in children)
    gaps = story_gaps(children, today)
    reported_off = upcoming_absences_for((child.pk for child in children), today, days=LOOK_AHEAD_DAYS)
    extra = [source(children, today) for source in _due_sources] if children else []
    for child in with_photo_consent(children):
        child.next_session = next_session(child, today)
        child.gaps = gaps[child.pk]
        child.reported_off = reported_off.get(child.pk, [])
        child.gaps.unread += home_changes.get(child.pk, 0)
        child.due = gap_items(child.gaps) + due_items(
            child, today, since.get(child.pk), home_changes=home_changes.get(child.pk, 0)
        )
        for items in extra:
            child.due += items.get(child.pk, [])
        if plan_item := plan_due_item(child, today):  # children annotated by personal_plans.with_plan_review
            child.due.append(plan_item)
    children.sort(key=lambda child: (child.gaps.rank, -(child.gaps.days_since or 0)))  # stable: names stay in order
    return children
