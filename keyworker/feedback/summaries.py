"""The summary a family reads at the end of a session, assembled from sources.

Each source turns what the nursery recorded into lines for the summary: the care log, and the day's
published observations from the learning story. Sources work on all the children of a room at once so
the feedback page runs a fixed number of queries.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.text import get_text_list

from children.day.models import CareEntry, clock
from children.day.selectors import care_log, incidents_for, session_window
from children.models import Child
from learning_stories.models import Observation
from learning_stories.story.selectors import shared_entries_on
from nursery.models import NurserySession


@dataclass(frozen=True)
class FeedbackScope:
    """One child's session: the feedback covers what happened between ``start`` and ``end``."""

    child: Child
    session: NurserySession
    day: date
    start: datetime
    end: datetime

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


# A source takes the scopes of one day and gives, per child id, the lines it adds to the summary.
Source = Callable[[list[FeedbackScope]], dict[int, list[str]]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def scopes_for(
    children: list[Child], session: NurserySession, day: date, attended: dict[int, list[NurserySession]]
) -> list[FeedbackScope]:
    return [
        FeedbackScope(child, session, day, *session_window(session, day, attended.get(child.pk, [session])))
        for child in children
    ]


def summaries(scopes: list[FeedbackScope]) -> dict[int, str]:
    """Each child's summary, one line per topic, from every registered source."""
    lines: dict[int, list[str]] = defaultdict(list)
    for source in _sources:
        for child_id, added in source(scopes).items():
            lines[child_id] += added
    return {
        scope.child.pk: "\n".join(lines[scope.child.pk]) or "Nothing was written in the care log for this session."
        for scope in scopes
    }


def _with_time(entry: CareEntry, text: str) -> str:
    return f"{_clause(text)} at {clock(entry.at)}"


def _clause(text: str) -> str:
    """A note or report as part of a sentence: its own closing full stop dropped, as the line adds one
    (never "on KeyStory..")."""
    return text.strip().rstrip(".").rstrip()


def care_log_source(scopes: list[FeedbackScope]) -> dict[int, list[str]]:
    """Meals, sleep, nappies and toileting, personal care, notes and any accident, in two queries."""
    if not scopes:
        return {}
    by_child = {scope.child.pk: scope for scope in scopes}
    day = scopes[0].day
    topics: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entry in care_log(list(by_child), day):
        if not by_child[entry.child_id].covers(entry.at):
            continue
        kind = entry.kind
        if kind == CareEntry.Kind.MEAL:
            topics[entry.child_id]["Food and drink"].append(
                f"{entry.get_meal_display().lower()} ({entry.get_amount_display().lower()})"
            )
        elif kind == CareEntry.Kind.SLEEP:
            topics[entry.child_id]["Sleep"].append(entry.summary[0].lower() + entry.summary[1:])
        elif kind in (CareEntry.Kind.NAPPY, CareEntry.Kind.TOILET):
            topics[entry.child_id]["Nappies and toilet"].append(
                _with_time(entry, f"{entry.get_kind_display().lower()} {entry.get_condition_display().lower()}")
            )
        else:
            topics[entry.child_id][entry.get_kind_display()].append(_with_time(entry, entry.note))
    for incident in incidents_for(list(by_child), day):
        if by_child[incident.child_id].covers(incident.happened_at):
            topics[incident.child_id][incident.get_kind_display().split(" (")[0]].append(
                f"{incident.what_happened} ({incident.where}, {clock(incident.happened_at)}). "
                "Please read the full report on KeyStory."
            )
    return {
        child_id: [f"{topic}: {get_text_list([_clause(i) for i in items], 'and')}." for topic, items in found.items()]
        for child_id, found in topics.items()
    }


register_source(care_log_source)


def story_source(scopes: list[FeedbackScope]) -> dict[int, list[str]]:
    """The session's published observations, by area only: their text may name other children."""
    if not scopes:
        return {}
    by_child = {scope.child.pk: scope for scope in scopes}
    found: dict[int, list[Observation]] = defaultdict(list)
    for link in shared_entries_on(by_child, scopes[0].day):
        if by_child[link.child_id].covers(link.observation.observed_at):
            found[link.child_id].append(link.observation)
    lines = {}
    for child_id, entries in found.items():
        areas = sorted({area.name for entry in entries for area in entry.areas.all()})
        count = f"{len(entries)} new entr{'ies' if len(entries) > 1 else 'y'} in the learning story"
        lines[child_id] = [f"Learning: {count}" + (f" ({get_text_list(areas, 'and')})." if areas else ".")]
    return lines


register_source(story_source)
