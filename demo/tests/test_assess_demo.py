"""The demo's trackers against figures counted by hand from demo/assess_demo.py.

Butterflies is Priya's key group (10 children: Zara, Jack, Poppy, Alfie, Rosie, Finley, Sienna, Harry,
Evie, Mohammed); Rainbows has 11 (Ava, George, Lily, Max, Grace, Jacob, Amelia, Ethan, Sofia, Reuben,
Hallie). Caterpillars are not assessed, so they count in no denominator.
"""

from datetime import date

import pytest

from children.models import Child
from demo.data import load_demo
from keyworker.selectors import assignments_on
from learning_stories.assessments.tracker import Cohort, tracker, trend
from learning_stories.models import Assessment, AssessmentPoint, Band
from nursery.models import Nursery, StaffMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_demo()


def figures(nursery: Nursery, point_name: str, child_ids, cohort: Cohort | None = None) -> dict[str, tuple]:
    point = AssessmentPoint.objects.get(nursery=nursery, name=point_name)
    grid = tracker(nursery=nursery, point=point, child_ids=child_ids, cohort=cohort or Cohort())
    return {f.area.code: (f.on_track, f.assessed, f.percent) for f in grid.figures}


def priyas_group(nursery: Nursery, point_name: str) -> list[int]:
    point = AssessmentPoint.objects.get(nursery=nursery, name=point_name)
    priya = StaffMember.objects.get(user__email="priya@rainbow.example")
    return list(assignments_on(point.ends_on).filter(key_person=priya).values_list("child_id", flat=True))


def test_butterflies_at_term_3_counted_by_hand(demo):
    # CL behind: Jack, Harry, Mohammed -> 7 of 10. PSED: Harry -> 9 of 10. L: Mohammed -> 9 of 10.
    # UW and EAD: Evie not assessed -> 9 of 9.
    assert figures(demo, "Term 3 review", priyas_group(demo, "Term 3 review")) == {
        "CL": (7, 10, 70),
        "PD": (10, 10, 100),
        "PSED": (9, 10, 90),
        "L": (9, 10, 90),
        "M": (10, 10, 100),
        "UW": (9, 9, 100),
        "EAD": (9, 9, 100),
    }


def test_butterflies_at_term_1_counted_by_hand(demo):
    # CL: Zara, Jack, Alfie, Harry, Mohammed behind -> 5 of 10. PD: Poppy. PSED: Jack, Harry.
    # L: Zara, Harry, Mohammed. M: Alfie, Mohammed.
    room = Child.objects.filter(nursery=demo, room__name="Butterflies").values_list("pk", flat=True)
    assert figures(demo, "Term 1 review", room) == {
        "CL": (5, 10, 50),
        "PD": (9, 10, 90),
        "PSED": (8, 10, 80),
        "L": (7, 10, 70),
        "M": (8, 10, 80),
        "UW": (10, 10, 100),
        "EAD": (10, 10, 100),
    }


def test_whole_nursery_at_term_3_counted_by_hand(demo):
    # 21 children assessed. CL behind: Jack, Harry, Mohammed, Jacob -> 17 of 21 = 81%.
    # M behind: Jacob, Reuben -> 19 of 21 = 90%. UW: Evie not assessed -> 20 of 20.
    everyone = Child.objects.filter(nursery=demo).values_list("pk", flat=True)
    result = figures(demo, "Term 3 review", everyone)
    assert result["CL"] == (17, 21, 81)
    assert result["M"] == (19, 21, 90)
    assert result["UW"] == (20, 20, 100)
    assert result["PD"] == (21, 21, 100)


def test_cohort_filters_counted_by_hand(demo):
    everyone = Child.objects.filter(nursery=demo).values_list("pk", flat=True)
    # EAL and assessed: Zara, Mohammed, Sofia (Noah is in Caterpillars). CL: Mohammed behind -> 2 of 3.
    assert figures(demo, "Term 3 review", everyone, Cohort(eal=True))["CL"] == (2, 3, 67)
    # 3 and 4-year-olds at Term 3: the 11 Rainbows children. CL: Jacob behind -> 10 of 11.
    older = Band.objects.get(framework__is_default=True, name="3 and 4-year-olds")
    assert figures(demo, "Term 3 review", everyone, Cohort(band=older))["CL"] == (10, 11, 91)
    # SEND: Harry and Zara (SEN support), Jacob (EHC plan). Harry and Jacob behind in CL at Term 3 -> 1 of 3.
    assert figures(demo, "Term 3 review", everyone, Cohort(send=True))["CL"] == (1, 3, 33)
    # Girls assessed: Zara, Poppy, Rosie, Sienna, Evie, Ava, Lily, Grace, Amelia, Sofia, Hallie; none behind in CL.
    assert figures(demo, "Term 3 review", everyone, Cohort(sex="female"))["CL"] == (11, 11, 100)


def test_butterflies_trend_in_communication_and_language(demo):
    # CL behind in Butterflies: 5 at Term 1, 4 at Term 2 (Zara, Jack, Harry, Mohammed), 3 at Term 3.
    room = Child.objects.filter(nursery=demo, room__name="Butterflies").values_list("pk", flat=True)
    areas, points = trend(nursery=demo, child_ids=room, cohort=Cohort())
    cl = [area.code for area in areas].index("CL")
    assert [(p.point.name, p.figures[cl].percent) for p in points] == [
        ("Term 1 review", 50),
        ("Term 2 review", 60),
        ("Term 3 review", 70),
    ]


def test_loading_the_assessment_demo_twice_adds_nothing(demo):
    counts = (AssessmentPoint.objects.count(), Assessment.objects.count())
    load_demo()
    assert (AssessmentPoint.objects.count(), Assessment.objects.count()) == counts
    assert counts[0] == 3


def test_demo_assessments_fall_in_each_childs_time_and_the_points_window(demo):
    for assessment in Assessment.objects.select_related("child", "point"):
        assert assessment.child.start_date <= assessment.assessed_on
        assert assessment.point.starts_on <= assessment.assessed_on <= assessment.point.ends_on


@pytest.mark.parametrize("day", [date(2027, 7, 20), date(2028, 2, 29)])
def test_figures_are_the_same_whichever_day_the_demo_is_loaded(day):
    # Ages (and so who is in their reception year) move with the day; the counts must not.
    nursery = load_demo(today=day)
    everyone = Child.objects.filter(nursery=nursery).values_list("pk", flat=True)
    assert figures(nursery, "Term 3 review", priyas_group(nursery, "Term 3 review"))["CL"] == (7, 10, 70)
    assert figures(nursery, "Term 3 review", everyone)["M"] == (19, 21, 90)
