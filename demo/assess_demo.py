"""Assessments in the demo: three past assessment points, every Butterflies and Rainbows child judged in
all seven areas at each, and the cohort details trackers filter by (sex, English as an additional
language, SEND, funded hours).

The judgements are written out below so the tracker's figures can be counted by hand (the demo tests
do): everything is on track except what ``NOT_ON_TRACK`` lists, and Evie was not assessed in two areas
at the latest point. Points sit a fixed number of days before the day the demo is loaded, so the
figures are the same whenever it is loaded. Idempotent: points and assessments are found by their
natural keys, and cohort details are only set on children who have none yet.
"""

from datetime import date, timedelta

from django.db import transaction

from accounts.models import User
from children.models import Child, Funding, SendStatus, Sex
from learning_stories.assessments.selectors import band_for, is_reception_age
from learning_stories.framework.selectors import current_framework_for
from learning_stories.models import Area, Assessment, AssessmentPoint, Observation
from nursery.models import Nursery

# name, first day and last day (days before today); children are assessed on the last day.
POINTS = [("Term 1 review", 98, 92), ("Term 2 review", 56, 50), ("Term 3 review", 21, 14)]
ROOMS_ASSESSED = ("Butterflies", "Rainbows")  # babies in Caterpillars are still settling in

NOT_ON_TRACK = {
    "Term 1 review": {
        "Zara": {"CL", "L"},
        "Jack": {"CL", "PSED"},
        "Poppy": {"PD"},
        "Alfie": {"CL", "M"},
        "Harry": {"CL", "PSED", "L"},
        "Mohammed": {"CL", "L", "M"},
        "Ava": {"M"},
        "George": {"CL", "PSED"},
        "Max": {"L"},
        "Jacob": {"CL", "M", "UW"},
        "Sofia": {"CL"},
        "Reuben": {"L", "M"},
    },
    "Term 2 review": {
        "Zara": {"CL"},
        "Jack": {"CL"},
        "Alfie": {"M"},
        "Harry": {"CL", "PSED"},
        "Mohammed": {"CL", "L"},
        "George": {"CL"},
        "Jacob": {"CL", "M"},
        "Sofia": {"CL"},
        "Reuben": {"M"},
    },
    "Term 3 review": {
        "Jack": {"CL"},
        "Harry": {"CL", "PSED"},
        "Mohammed": {"CL", "L"},
        "Jacob": {"CL", "M"},
        "Reuben": {"M"},
    },
}
NOT_ASSESSED = {"Term 3 review": {"Evie": {"UW", "EAD"}}}  # Evie was off for most of that window

FEMALE = {"Isla", "Freya", "Ivy", "Mia", "Nell", "Zara", "Poppy", "Rosie", "Sienna", "Evie"}
FEMALE |= {"Ava", "Lily", "Grace", "Amelia", "Sofia", "Hallie"}
EAL = {"Noah", "Zara", "Mohammed", "Sofia"}
# Zara has the demo speech and language plan (demo/dash_demo.py), so she has SEN support too.
SEND = {"Harry": SendStatus.SEN_SUPPORT, "Jacob": SendStatus.EHC_PLAN, "Zara": SendStatus.SEN_SUPPORT}
TWO_YEAR_FUNDED = {"Jack", "Rosie", "Harry"}
EXTENDED_HOURS = {"Ava", "George", "Grace"}

WHY = {
    True: "Seen often in play over the term, without help: in line with what we expect at this age.",
    False: "Not yet seen often without help; the key person has planned next steps with the family.",
}


def set_cohorts(nursery: Nursery) -> None:
    """Sex, EAL, SEND and funding for demo children that have none recorded yet (never overwriting what
    a manager, or another part of the demo, has set)."""
    for child in Child.objects.filter(nursery=nursery, sex="").select_related("room"):
        child.sex = Sex.FEMALE if child.first_name in FEMALE else Sex.MALE
        child.english_additional_language |= child.first_name in EAL
        if child.send_status == SendStatus.NONE:
            child.send_status = SEND.get(child.first_name, SendStatus.NONE)
        if child.funding == Funding.NONE and child.first_name in TWO_YEAR_FUNDED:
            child.funding = Funding.TWO_YEAR
        elif child.funding == Funding.NONE and child.room and child.room.name == "Rainbows":
            child.funding = Funding.EXTENDED if child.first_name in EXTENDED_HOURS else Funding.UNIVERSAL
        child.save(update_fields=["sex", "english_additional_language", "send_status", "funding"])


@transaction.atomic
def load_assess_demo(nursery: Nursery, today: date) -> None:
    set_cohorts(nursery)
    framework = current_framework_for(nursery)
    areas = list(framework.areas.prefetch_related("aspects"))
    bands = list(framework.bands.all())
    priya = User.objects.get(email="priya@rainbow.example")
    children = list(
        Child.objects.filter(nursery=nursery, room__name__in=ROOMS_ASSESSED).select_related("room").order_by("pk")
    )
    for name, first, last in POINTS:
        point, _ = AssessmentPoint.objects.get_or_create(
            nursery=nursery,
            name=name,
            defaults={"starts_on": today - timedelta(days=first), "ends_on": today - timedelta(days=last)},
        )
        if point.assessments.exists():
            continue
        for child in children:
            _assess(child, point, areas, bands, by=priya)


def _assess(child: Child, point: AssessmentPoint, areas: list[Area], bands: list, *, by: User) -> None:
    behind = NOT_ON_TRACK[point.name].get(child.first_name, set())
    skipped = NOT_ASSESSED.get(point.name, {}).get(child.first_name, set())
    day = point.ends_on
    reception = is_reception_age(child, day)
    evidence = _evidence(child, day)
    judged, links = [], []
    for area in areas:
        if area.code in skipped:
            continue
        on_track = area.code not in behind
        common = {"child": child, "point": point, "area": area, "assessed_on": day, "assessed_by": by}
        if reception:  # the early learning goals: behind means the area's first goal is still emerging
            for index, aspect in enumerate(area.aspects.all()):
                expected = on_track or index > 0
                judgement = Assessment.Judgement.EXPECTED if expected else Assessment.Judgement.EMERGING
                judged.append(Assessment(aspect=aspect, judgement=judgement, rationale=WHY[expected], **common))
                links.append(evidence.get(area.pk, []))
        else:
            judgement = Assessment.Judgement.ON_TRACK if on_track else Assessment.Judgement.NOT_ON_TRACK
            band = band_for(bands, child, day)
            judged.append(Assessment(band=band, judgement=judgement, rationale=WHY[on_track], **common))
            links.append(evidence.get(area.pk, []))
    for assessment, entries in zip(Assessment.objects.bulk_create(judged), links, strict=True):
        assessment.observations.set(entries)


def _evidence(child: Child, day: date) -> dict[int, list[Observation]]:
    """The child's shared demo entries from the months before the day, at most two per area."""
    by_area: dict[int, list[Observation]] = {}
    entries = Observation.objects.filter(
        child_links__child=child,
        status=Observation.Status.PUBLISHED,
        observed_at__date__lte=day,
        observed_at__date__gte=day - timedelta(days=180),
    ).prefetch_related("areas")
    for entry in entries.order_by("-observed_at"):
        for area in entry.areas.all():
            if len(by_area.setdefault(area.pk, [])) < 2:
                by_area[area.pk].append(entry)
    return by_area
