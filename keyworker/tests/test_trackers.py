"""The tracker pages: which children each scope counts, the figures, the trend and the CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from children.models import Child, ChildAuditEvent
from children.tests.factories import ChildFactory
from keyworker.tests.factories import KeyPersonAssignmentFactory
from learning_stories.assessments.tracker import Cohort, tracker, trend
from learning_stories.tests.factories import AssessmentFactory, AssessmentPointFactory, area
from nursery.tests.factories import StaffMemberFactory
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(nursery):
    return AssessmentPointFactory(nursery=nursery, name="Autumn term")


def assessed_children(count: int, *, nursery, room, point, key_person, behind_every: int = 0) -> list[Child]:
    """Children with CL and PD judged; every ``behind_every``-th one not on track in CL."""
    children = []
    for n in range(count):
        child = ChildFactory(nursery=nursery, room=room)
        KeyPersonAssignmentFactory(child=child, key_person=key_person)
        behind = behind_every and n % behind_every == 0
        AssessmentFactory(child=child, point=point, judgement="not_on_track" if behind else "on_track")
        AssessmentFactory(child=child, point=point, area=area("PD"))
        children.append(child)
    return children


def test_tracker_figures_take_the_same_number_of_queries_for_3_or_30_children(nursery, room, point, practitioner_post):
    def count() -> int:
        ids = Child.objects.filter(nursery=nursery).values_list("pk", flat=True)
        cache.clear()  # counted cold: the framework's areas come from the cache once read
        with CaptureQueriesContext(connection) as captured:
            tracker(nursery=nursery, point=point, child_ids=ids, cohort=Cohort(eal=False))
            trend(nursery=nursery, child_ids=ids, cohort=Cohort(eal=False))
        return len(captured)

    assessed_children(3, nursery=nursery, room=room, point=point, key_person=practitioner_post)
    few = count()
    assessed_children(27, nursery=nursery, room=room, point=point, key_person=practitioner_post)
    assert count() == few


def test_tracker_page_takes_the_same_number_of_queries_however_many_children(
    login, manager, nursery, room, point, practitioner_post
):
    client = login(manager)
    url = reverse("keyworker:tracker") + f"?point={point.pk}&scope=room-{room.pk}"
    assessed_children(2, nursery=nursery, room=room, point=point, key_person=practitioner_post)
    few = queries_for(client, url)
    assessed_children(20, nursery=nursery, room=room, point=point, key_person=practitioner_post)
    assert queries_for(client, url) == few


def test_tracker_counts_on_track_per_area_for_a_key_group(nursery, room, point, practitioner_post):
    mine = assessed_children(4, nursery=nursery, room=room, point=point, key_person=practitioner_post, behind_every=2)
    someone_else = StaffMemberFactory(nursery=nursery, room=room)
    assessed_children(3, nursery=nursery, room=room, point=point, key_person=someone_else, behind_every=1)

    grid = tracker(nursery=nursery, point=point, child_ids=[c.pk for c in mine], cohort=Cohort())

    cl, pd = grid.figures[0], grid.figures[1]
    assert (cl.area.code, cl.on_track, cl.assessed, cl.percent) == ("CL", 2, 4, 50)
    assert (pd.area.code, pd.on_track, pd.assessed, pd.percent) == ("PD", 4, 4, 100)
    assert grid.figures[2].percent is None  # nobody assessed in PSED


def test_practitioner_sees_their_own_key_group_first_with_chart_and_table(
    login, practitioner, nursery, room, point, practitioner_post
):
    assessed_children(2, nursery=nursery, room=room, point=point, key_person=practitioner_post, behind_every=2)
    page = login(practitioner).get(reverse("keyworker:tracker")).content.decode()
    assert "Priya Practitioner&#x27;s key group at Autumn term" in page
    assert "1 of 2" in page
    assert '<svg class="trend-chart"' in page
    assert "Per cent on track per area at each assessment point" in page  # the table for screen readers


def test_tracker_csv_export_has_the_grid_and_is_recorded_for_each_child(
    login, manager, nursery, room, point, practitioner_post
):
    children = assessed_children(
        3, nursery=nursery, room=room, point=point, key_person=practitioner_post, behind_every=3
    )
    response = login(manager).get(reverse("keyworker:tracker_csv") + f"?point={point.pk}&scope=nursery")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Child", "Room", "Communication and Language", "Physical Development"]
    assert len(rows) == 1 + 3 + 3  # header, children, blank line and two lines of figures
    assert rows[-2][2:4] == ["2 of 3", "3 of 3"]
    assert rows[-1][2:4] == ["67%", "100%"]
    exported = ChildAuditEvent.objects.filter(action=ChildAuditEvent.Action.EXPORTED, actor=manager)
    assert set(exported.values_list("child_id", flat=True)) == {c.pk for c in children}


def test_another_nurserys_assessment_point_shows_nothing(login, other_manager, point, child):
    AssessmentFactory(child=child, point=point)
    page = login(other_manager).get(reverse("keyworker:tracker") + f"?point={point.pk}").content.decode()
    assert child.display_name not in page
    assert "Select a valid choice" in page


def test_a_child_in_two_overlapping_ranges_counts_in_either_range(nursery, room, point, practitioner_post):
    from learning_stories.models import NurseryFramework
    from learning_stories.tests.factories import band, framework

    NurseryFramework.objects.create(nursery=nursery, framework=framework("birth-to-5-matters"))
    child = assessed_children(1, nursery=nursery, room=room, point=point, key_person=practitioner_post)[0]
    child.date_of_birth = point.ends_on.replace(year=point.ends_on.year - 2)  # 24 months: ranges 3 and 4
    child.save()

    def counted(name: str) -> int:
        cohort = Cohort(band=band(name, of="birth-to-5-matters"))
        return len(tracker(nursery=nursery, point=point, child_ids=[child.pk], cohort=cohort).rows)

    assert [counted(name) for name in ("Range 2", "Range 3", "Range 4", "Range 5")] == [0, 1, 1, 0]


def test_judgements_made_before_the_nursery_changed_framework_still_count(nursery, room, point, practitioner_post):
    from learning_stories.models import NurseryFramework
    from learning_stories.tests.factories import framework

    children = assessed_children(2, nursery=nursery, room=room, point=point, key_person=practitioner_post)
    NurseryFramework.objects.create(nursery=nursery, framework=framework("birth-to-5-matters"))
    grid = tracker(nursery=nursery, point=point, child_ids=[c.pk for c in children], cohort=Cohort())
    assert (grid.figures[0].area.code, grid.figures[0].on_track, grid.figures[0].assessed) == ("CL", 2, 2)


def test_a_name_in_the_tracker_csv_is_never_read_as_a_formula(login, manager, nursery, room, point, practitioner_post):
    child = assessed_children(1, nursery=nursery, room=room, point=point, key_person=practitioner_post)[0]
    child.first_name = "=HYPERLINK"
    child.save()
    response = login(manager).get(reverse("keyworker:tracker_csv") + f"?point={point.pk}&scope=nursery")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0].startswith("'=HYPERLINK")


def test_percentages_round_half_up_as_a_hand_count_does():
    from learning_stories.assessments.tracker import AreaFigure

    assert AreaFigure(area=None, assessed=8, on_track=1).percent == 13
    assert AreaFigure(area=None, assessed=8, on_track=7).percent == 88
    assert AreaFigure(area=None, assessed=3, on_track=2).percent == 67
    assert AreaFigure(area=None, assessed=0).percent is None


def test_only_managers_download_the_tracker_as_a_spreadsheet(login, practitioner, point):
    response = login(practitioner).get(reverse("keyworker:tracker_csv") + f"?point={point.pk}&scope=nursery")
    assert response.status_code == 403
    page = login(practitioner).get(reverse("keyworker:tracker") + f"?point={point.pk}").content.decode()
    assert reverse("keyworker:tracker_csv") not in page


def test_the_trend_counts_each_point_as_the_grid_at_that_point_does(nursery, room, practitioner_post):
    from learning_stories.models import Aspect

    today = timezone.localdate()
    autumn = AssessmentPointFactory(
        nursery=nursery, starts_on=today - timedelta(days=120), ends_on=today - timedelta(days=90)
    )
    spring = AssessmentPointFactory(nursery=nursery, starts_on=today - timedelta(days=30), ends_on=today)
    goals = list(Aspect.objects.filter(area=area("PD"))[:2])

    def judge(child, point, judgement, *, of=None, aspect=None):
        AssessmentFactory(child=child, point=point, area=of or area("CL"), aspect=aspect, judgement=judgement)

    steady, mixed, newcomer, leaver = (ChildFactory(nursery=nursery, room=room) for _ in range(4))
    newcomer.start_date = today - timedelta(days=60)
    leaver.leave_date = today - timedelta(days=60)
    for child in (newcomer, leaver):
        child.save()
    for point in (autumn, spring):
        for child in (steady, mixed, newcomer, leaver):
            judge(child, point, "on_track")
        # Early learning goals: on track in an area only when every goal judged in it is expected.
        judge(steady, point, "expected", of=area("PD"), aspect=goals[0])
        judge(steady, point, "emerging", of=area("PD"), aspect=goals[1])
        judge(mixed, point, "expected", of=area("PD"), aspect=goals[0])
    # The area's own judgement wins over its goals; of two frameworks' areas with one code, the latest.
    judge(mixed, spring, "not_on_track", of=area("PD"))
    judge(mixed, spring, "not_on_track", of=area("CL", of="birth-to-5-matters"))

    ids = [c.pk for c in (steady, mixed, newcomer, leaver)]
    for cohort in (Cohort(), Cohort(sex="nobody")):
        _areas, points = trend(nursery=nursery, child_ids=ids, cohort=cohort)
        for trend_point in points:
            grid = tracker(nursery=nursery, point=trend_point.point, child_ids=ids, cohort=cohort)
            assert [(f.assessed, f.on_track) for f in trend_point.figures] == [
                (f.assessed, f.on_track) for f in grid.figures
            ]
    _areas, (autumn_trend, spring_trend) = trend(nursery=nursery, child_ids=ids, cohort=Cohort())
    cl, pd = autumn_trend.figures[:2]
    assert (cl.assessed, cl.on_track, pd.assessed, pd.on_track) == (3, 3, 2, 1)
    cl, pd = spring_trend.figures[:2]
    assert (cl.assessed, cl.on_track, pd.assessed, pd.on_track) == (3, 2, 2, 0)


def test_the_trend_counts_a_new_or_changed_judgement_at_once(nursery, room, point, practitioner_post):
    children = assessed_children(2, nursery=nursery, room=room, point=point, key_person=practitioner_post)
    ids = [child.pk for child in children]

    def on_track_in_cl() -> tuple[int, int]:
        _areas, points = trend(nursery=nursery, child_ids=ids, cohort=Cohort())
        figure = next(figure for figure in points[-1].figures if figure.area.code == "CL")
        return figure.on_track, figure.assessed

    assert on_track_in_cl() == (2, 2)  # counted, and cached
    judgement = children[0].assessments.get(area__code="CL")
    judgement.judgement = "not_on_track"
    judgement.save()
    assert on_track_in_cl() == (1, 2)
    children[1].leave_date = point.starts_on - timedelta(days=1)  # left before the point: no longer counted
    children[1].save()
    assert on_track_in_cl() == (0, 1)


def test_the_trend_opens_while_the_cache_is_down(nursery, room, point, practitioner_post):
    from unittest import mock

    from core.tests.test_caching import DownCache

    children = assessed_children(2, nursery=nursery, room=room, point=point, key_person=practitioner_post)
    with mock.patch("core.caching.cache", DownCache()):
        _areas, (only,) = trend(nursery=nursery, child_ids=[c.pk for c in children], cohort=Cohort())
    assert (only.figures[0].assessed, only.figures[0].on_track) == (2, 2)


def test_a_child_changed_while_the_trend_is_counted_is_not_kept_under_the_new_version(
    nursery, room, point, practitioner_post
):
    from unittest import mock

    from learning_stories.assessments import tracker as tracker_module

    children = assessed_children(2, nursery=nursery, room=room, point=point, key_person=practitioner_post)
    ids = [c.pk for c in children]
    loaded = tracker_module._children

    def load_then_change(*args):
        found = loaded(*args)
        children[0].leave_date = point.starts_on - timedelta(days=1)  # left before the point: not counted
        children[0].save()
        return found

    with mock.patch.object(tracker_module, "_children", side_effect=load_then_change):
        trend(nursery=nursery, child_ids=ids, cohort=Cohort())  # counts the rows as they were read
    _areas, (only,) = trend(nursery=nursery, child_ids=ids, cohort=Cohort())
    assert only.figures[0].assessed == 1
