"""The group owner's overview across nurseries: the figures, what is behind them, and what they cost."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from children.tests.factories import BookingFactory, ChildFactory
from keyworker.group_overview import group_overview
from keyworker.tests.factories import KeyPersonAssignmentFactory
from learning_stories.models import Observation
from learning_stories.tests.factories import ObservationFactory
from nursery.models import NurseryGroup, StaffMember
from nursery.tests.factories import NurseryFactory, NurserySessionFactory, RoomFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 4)  # a Wednesday; "this week" runs to Tuesday 10 March


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.combine(TODAY, time(10, 0), LONDON), tick=False):
        yield


def seen(child, days_ago: int, **kwargs) -> Observation:
    when = datetime.combine(TODAY - timedelta(days=days_ago), time(11, 0), LONDON)
    return ObservationFactory(nursery=child.nursery, children=[child], observed_at=when, **kwargs)


@pytest.fixture
def group():
    return NurseryGroup.objects.create(name="Rainbow Group")


@pytest.fixture
def owner(group):
    user = UserFactory(full_name="Gill Owner")
    group.owners.add(user)
    return user


@pytest.fixture
def two_nurseries(group):
    """Rainbow: three on roll, two without a key person (one's key person has left), two not observed for two
    weeks, one check due. Meadow: two on roll, one room session short of staff, one check overdue."""
    rainbow = NurseryFactory(name="Rainbow Nursery", group=group)
    meadow = NurseryFactory(name="Meadow Nursery", group=group)
    kp = StaffMemberFactory(nursery=rainbow)
    gone = StaffMemberFactory(nursery=rainbow, leaves_on=TODAY - timedelta(days=3))

    ava = ChildFactory(nursery=rainbow, first_name="Ava")
    KeyPersonAssignmentFactory(child=ava, key_person=kp)
    seen(ava, 1)
    ben = ChildFactory(nursery=rainbow, first_name="Ben")  # no key person
    seen(ben, 21)
    seen(ben, 2, status=Observation.Status.DRAFT)  # a draft does not count
    cleo = ChildFactory(nursery=rainbow, first_name="Cleo", date_of_birth=date(2024, 1, 1))  # 26 months
    KeyPersonAssignmentFactory(child=cleo, key_person=gone)
    ChildFactory(nursery=rainbow, first_name="Lenny", leave_date=TODAY - timedelta(days=30))  # left
    ChildFactory(nursery=rainbow, first_name="Stella", start_date=TODAY + timedelta(days=5))  # not started

    room = RoomFactory(nursery=meadow, name="Sunflowers")
    mkp = StaffMemberFactory(nursery=meadow, room=room)
    new = ChildFactory(nursery=meadow, room=room, first_name="Nia", start_date=TODAY - timedelta(days=7))
    KeyPersonAssignmentFactory(child=new, key_person=mkp, starts_on=new.start_date)
    BookingFactory(child=new, session=NurserySessionFactory(nursery=meadow), weekday=0)  # Monday, no staff in
    older = ChildFactory(nursery=meadow, first_name="Omar", date_of_birth=date(2023, 5, 1))  # 34 months
    KeyPersonAssignmentFactory(child=older, key_person=mkp)
    seen(older, 13)
    return rainbow, meadow


def figures_of(overview, nursery):
    row = next(row for row in overview.nurseries if row.nursery == nursery)
    return (row.on_roll, row.without_key_person, row.not_observed, row.shortfalls, row.checks_due, row.checks_overdue)


def test_overview_figures_are_right_for_two_nurseries(group, two_nurseries):
    rainbow, meadow = two_nurseries
    overview = group_overview(group)
    assert figures_of(overview, rainbow) == (3, 2, 2, 0, 1, 0)
    assert figures_of(overview, meadow) == (2, 0, 0, 1, 1, 1)
    assert [row.nursery for row in overview.nurseries] == [meadow, rainbow]
    assert overview.totals.on_roll == 5


def test_another_groups_children_never_count(group, two_nurseries, other_nursery):
    other_nursery.group = NurseryGroup.objects.create(name="Sunflower Group")
    other_nursery.save(update_fields=["group"])
    ChildFactory(nursery=other_nursery)
    assert group_overview(group).totals.on_roll == 5


def test_each_figure_links_through_to_the_names_behind_it(login, owner, group, two_nurseries):
    rainbow, _ = two_nurseries
    client = login(owner)
    page = client.get(reverse("keyworker:group_overview", args=[group.pk])).content.decode()
    detail = reverse("keyworker:group_nursery", args=[rainbow.pk])
    for anchor in ("on-roll", "key-person", "ratios", "observations", "checks"):
        assert f'href="{detail}#{anchor}"' in page
    assert "Not observed for 2 weeks" in page  # the page says which gap it counts
    names = client.get(detail).content.decode()
    assert "Ben" in names
    assert "Cleo" in names
    assert "Lenny" not in names
    assert "Stella" not in names
    assert 'data-testid="current-nursery">Rainbow Nursery' in names  # the page says which nursery it is about


def test_an_owner_who_works_at_a_nursery_switches_to_it_from_its_figures(login, owner, group, two_nurseries):
    rainbow, meadow = two_nurseries
    StaffMemberFactory(user=owner, nursery=rainbow, role=StaffMember.Role.MANAGER)
    StaffMemberFactory(user=owner, nursery=meadow, role=StaffMember.Role.MANAGER)
    client = login(owner)
    assert "Rainbow Nursery today" in client.get(reverse("keyworker:overview")).content.decode()
    client.get(reverse("keyworker:group_nursery", args=[meadow.pk]))
    assert "Meadow Nursery today" in client.get(reverse("keyworker:overview")).content.decode()


def add_children(nursery, count: int) -> None:
    """More children of every kind the figures count: with and without a key person, observed or not."""
    room = nursery.rooms.first() or RoomFactory(nursery=nursery)
    kp = StaffMemberFactory(nursery=nursery, room=room)
    session = NurserySessionFactory(nursery=nursery)
    for n in range(count):
        child = ChildFactory(nursery=nursery, room=room, date_of_birth=date(2023, 9, 1) + timedelta(days=30 * n))
        BookingFactory(child=child, session=session, weekday=n % 5)
        if n % 2:
            KeyPersonAssignmentFactory(child=child, key_person=kp)
        if n % 3:
            seen(child, n % 20)


def test_the_overview_query_count_does_not_grow_with_the_number_of_children(
    login, owner, group, two_nurseries, django_assert_num_queries
):
    client = login(owner)
    pages = [
        reverse("keyworker:group_overview", args=[group.pk]),
        reverse("keyworker:group_nursery", args=[two_nurseries[0].pk]),
    ]
    for nursery in two_nurseries:
        add_children(nursery, 2)
    small = {}
    for url in pages:
        client.get(url)  # warm per-process caches (framework, sessions)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        small[url] = len(queries)
    for nursery in two_nurseries:
        add_children(nursery, 25)
    for url in pages:
        with django_assert_num_queries(small[url]):
            assert client.get(url).status_code == 200
