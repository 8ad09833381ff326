"""Bringing another setting's leaver pack in: the child arrives as enrolling, with their story, all or nothing."""

from datetime import datetime, timedelta
from typing import IO

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.models import ABOUT_ME_FIELDS, AllAboutMe, Child, ChildAuditEvent
from children.services import record_event
from core.images import ImageRejected
from learning_stories.framework.selectors import current_framework_for
from learning_stories.models import (
    Area,
    Aspect,
    Characteristic,
    Comment,
    NextStep,
    Observation,
    ObservationChild,
    ObservationPhoto,
)
from learning_stories.observations.services import add_photo
from nursery.models import Nursery

from ..models import PackImport
from .importer import Pack, PackRejected, open_pack, parse_moment


def import_pack(*, nursery: Nursery, upload: IO[bytes], by: User) -> PackImport:
    """Bring a checked pack in as a new, enrolling child with their story, all or nothing.

    Raises ``PackRejected`` with the reasons. Photos are stored as they are read; if anything fails
    they are deleted again and the transaction leaves no row behind.
    """
    stored: list[str] = []
    try:
        with open_pack(upload) as pack, transaction.atomic():
            return _import(pack, nursery=nursery, by=by, stored=stored)
    except Exception:
        storage = ObservationPhoto._meta.get_field("image").storage
        for name in stored:
            storage.delete(name)
        raise


STAGED_FOLDER = "imports"


def discard_stale_uploads(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Uploaded packs a manager checked but never confirmed or cancelled (closed the tab): not kept."""
    try:
        _, names = default_storage.listdir(STAGED_FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    stale = [f"{STAGED_FOLDER}/{name}" for name in names]
    stale = [name for name in stale if default_storage.get_modified_time(name) < cutoff]
    for name in stale:
        default_storage.delete(name)
    return len(stale)


class _Framework:
    """The importing nursery's current framework, looked up by the pack's codes and names."""

    def __init__(self, nursery: Nursery) -> None:
        self.framework = current_framework_for(nursery)
        self.areas = {area.code.lower(): area for area in Area.objects.filter(framework=self.framework)}
        self.aspects = {aspect.name.lower(): aspect for aspect in Aspect.objects.filter(area__framework=self.framework)}
        self.characteristics = {
            item.name.lower(): item for item in Characteristic.objects.filter(framework=self.framework)
        }

    def area(self, area: dict | None) -> Area | None:
        return self.areas.get(area["code"].lower()) if area else None


def _import(pack: Pack, *, nursery: Nursery, by: User, stored: list[str]) -> PackImport:
    data = pack.data
    child = _enrolling_child(data["child"], nursery=nursery)
    framework = _Framework(nursery)
    now = timezone.now()
    photos = comments = 0
    for number, entry in enumerate(pack.entries, start=1):
        observation = _observation(entry, pack=pack, child=child, framework=framework, now=now)
        for photo in entry.get("photos", []):
            with pack.photo(photo["file"]) as file:
                try:
                    saved, _ = add_photo(observation=observation, upload=file, by=by)
                except ImageRejected as rejected:
                    raise PackRejected(f"The photo {photo['file']} of entry {number}: {rejected.message}") from None
            stored.extend(file.name for file in (saved.image, saved.original) if file)  # the original until prepared
            photos += 1
        for comment in entry.get("comments", []):
            author = comment.get("author", "").strip()
            Comment.objects.create(
                observation=observation,
                child=child,
                author=None,
                by_staff=comment["by"] == "staff",
                text=f"{author}: {comment['text']}" if author else comment["text"],
                created_at=parse_moment(comment["at"]),
                read_at=now,
            )
            comments += 1
    records = _records(data, pack=pack, child=child, framework=framework, now=now)
    record_event(
        child=child,
        actor=by,
        action=ChildAuditEvent.Action.CREATED,
        what=f"Arrived with a leaver pack from {pack.setting}: {len(pack.entries)} entries, {photos} photos",
    )
    return PackImport.objects.create(
        nursery=nursery,
        child=child,
        from_setting=pack.setting[:200],
        format_version=data["version"],
        entries=len(pack.entries),
        photos=photos,
        comments=comments,
        records=records,
        imported_by=by,
    )


def _enrolling_child(person: dict, *, nursery: Nursery) -> Child:
    """The child as the pack names them, with no start date and no room: "joining" until the nursery enrols them."""
    born = person.get("date_of_birth")
    child = Child.objects.create(
        nursery=nursery,
        first_name=person["first_name"].strip(),
        last_name=person["last_name"].strip(),
        preferred_name=person.get("preferred_name", "").strip(),
        date_of_birth=datetime.fromisoformat(born).date() if born else None,
    )
    # What the family said at induction, where the pack's topics are KeyStory's own (allergies above all).
    topics = {key.lower(): text for key, text in person.get("all_about_me", {}).items()}
    about = {
        field: topics.get(field) or topics.get(label.lower(), "")
        for field, label in ABOUT_ME_FIELDS.items()
        if topics.get(field) or topics.get(label.lower())
    }
    if about:
        about["home_languages"] = about.get("home_languages", "")[:200]
        AllAboutMe.objects.create(child=child, **about)
    return child


def _observation(entry: dict, *, pack: Pack, child: Child, framework: _Framework, now: datetime) -> Observation:
    """One story entry as a published observation of this child alone, marked as coming from the other setting."""
    areas = [(item, framework.area(item)) for item in entry.get("areas", [])]
    aspects = [(name, framework.aspects.get(name.lower())) for name in entry.get("aspects", [])]
    characteristics = [(name, framework.characteristics.get(name.lower())) for name in entry.get("characteristics", [])]
    # What the new framework has no match for stays readable in the text.
    notes = []
    if unmatched := [f"{item['name']} ({item['code']})" for item, area in areas if area is None]:
        notes.append(f"Areas of learning at {pack.setting}: {', '.join(unmatched)}.")
    if unmatched := [name for name, aspect in aspects if aspect is None]:
        notes.append(f"Early learning goals: {', '.join(unmatched)}.")
    if unmatched := [name for name, item in characteristics if item is None]:
        notes.append(f"How they learned: {', '.join(unmatched)}.")
    if entry.get("statements"):
        notes.append("Statements: " + "; ".join(entry["statements"]))
    if author := entry.get("author", "").strip():
        notes.append(f"Written by {author}.")
    text = "\n\n".join([entry["text"].strip(), *notes]) if notes else entry["text"].strip()
    observation = Observation.objects.create(
        nursery=child.nursery,
        source=entry["source"],
        author=None,
        observed_at=parse_moment(entry["observed_at"]),
        text=text,
        child_voice=entry.get("child_voice", ""),
        framework=framework.framework,
        status=Observation.Status.PUBLISHED,
        submitted_at=now,
        published_at=now,
        read_at=now,
        imported_from=pack.setting[:200],
    )
    ObservationChild.objects.create(observation=observation, child=child, next_steps=entry.get("next_steps", ""))
    observation.areas.set({area for _, area in areas if area})
    observation.aspects.set({aspect for _, aspect in aspects if aspect})
    observation.characteristics.set({item for _, item in characteristics if item})
    return observation


def _history(
    *, pack: Pack, child: Child, title: str, lines: list[str], on: datetime, framework: _Framework, now: datetime
) -> None:
    """A staff-only entry that keeps part of the other setting's records readable."""
    observation = Observation.objects.create(
        nursery=child.nursery,
        observed_at=on,
        text="\n".join([f"{title} (from {pack.setting})", *lines]),
        framework=framework.framework,
        staff_only=True,
        status=Observation.Status.PUBLISHED,
        submitted_at=now,
        published_at=now,
        read_at=now,
        imported_from=pack.setting[:200],
    )
    ObservationChild.objects.create(observation=observation, child=child)


def _day(value: str) -> datetime:
    return parse_moment(f"{value}T12:00:00")


JUDGEMENTS = {
    "on_track": "on track",
    "not_on_track": "not on track",
    "emerging": "emerging",
    "expected": "expected",
}


def _records(data: dict, *, pack: Pack, child: Child, framework: _Framework, now: datetime) -> int:
    """Assessments, progress checks and the transition report as staff-only history; next steps as next steps."""
    count = 0
    if assessments := data.get("assessments", []):
        lines = [
            f"- {item['point']}, {item['assessed_on']}: {item['area']['name']}"
            + (f", {item['aspect']}" if item.get("aspect") else "")
            + (f" ({item['band']})" if item.get("band") else "")
            + f": {JUDGEMENTS[item['judgement']]}."
            + (f" {item['rationale']}" if item.get("rationale") else "")
            for item in assessments
        ]
        latest = max(item["assessed_on"] for item in assessments)
        _history(
            pack=pack, child=child, title="Assessments", lines=lines, on=_day(latest), framework=framework, now=now
        )
        count += 1
    for check in data.get("progress_checks", []):
        lines = [
            f"- {item['area']['name']}"
            + {True: " (as expected)", False: " (less than expected)"}.get(item.get("on_track"), "")
            + f": {item['summary']}"
            for item in check.get("prime_areas", [])
        ]
        for key, label in (
            ("strengths", "What the child is good at"),
            ("less_than_expected", "Where progress is less than expected"),
            ("setting_plan", "What the nursery planned"),
            ("family_plan", "What the family planned"),
            ("parent_comments", "The family's view"),
        ):
            if check.get(key):
                lines.append(f"{label}: {check[key]}")
        title = "Progress check at age two"
        _history(
            pack=pack, child=child, title=title, lines=lines, on=_day(check["checked_on"]), framework=framework, now=now
        )
        count += 1
    if report := data.get("transition_report"):
        lines = [f"- {code}: {text}" for code, text in report.get("areas", {}).items()]
        for key, label in (
            ("characteristics", "How the child learns"),
            ("interests", "Interests"),
            ("needs", "Needs and support"),
            ("attendance", "Attendance"),
            ("parent_view", "The family's view"),
            ("child_voice", "The child's voice"),
        ):
            if report.get(key):
                lines.append(f"{label}: {report[key]}")
        exported = parse_moment(data["exported_at"])
        _history(
            pack=pack, child=child, title="Transition report", lines=lines, on=exported, framework=framework, now=now
        )
        count += 1
    steps = [
        NextStep(
            child=child,
            text=step["text"],
            area=framework.area(step.get("area")),
            status=step["status"],
            created_at=parse_moment(step["created_at"]) if step.get("created_at") else now,
            closed_at=None if step["status"] == NextStep.Status.OPEN else now,
        )
        for step in data.get("next_steps", [])
    ]
    NextStep.objects.bulk_create(steps)
    return count + len(steps)
