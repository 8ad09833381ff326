"""What the capture page offers: the children here today (the practitioner's room first), each open next step
once, and markup that reads as one outline; and the review pages' headings."""

import re
import uuid
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from children.tests.factories import AttendanceFactory, ChildFactory
from learning_stories.models import Framework, NextStep, Observation
from learning_stories.tests.factories import NextStepFactory, ObservationFactory
from nursery.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=ZoneInfo("Europe/London"))  # a Monday morning
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def form_data(children, *, action="submit", **extra) -> dict:
    return {
        "client_key": str(uuid.uuid4()),
        "observed_at": "2026-11-23T10:00",
        "children": [c.pk for c in children],
        "text": "Poured water from a jug into a cup.",
        "areas": [Framework.objects.get(is_default=True).areas.get(code="PD").pk],
        "action": action,
        **extra,
    }


def offered(page) -> tuple[list[str], list[str]]:
    """The first names of the children offered at the top of the page, and of those in the other group
    (on the page, or fetched as the page does when the group is opened)."""
    context = page.context
    others = [row.child.first_name for row in context["other_children"]]
    if context["others_url"]:
        others += [row.child.first_name for row in page.client.get(context["others_url"]).context["children"]]
    return ([row.child.first_name for row in context["room_children"]], others)


def test_capture_offers_neither_a_child_who_left_last_week_nor_one_who_starts_next_week(
    login, practitioner, nursery, room, child
):
    ChildFactory(nursery=nursery, room=room, first_name="Gone", leave_date=TODAY - timedelta(days=7))
    ChildFactory(nursery=nursery, room=room, first_name="Soon", start_date=TODAY + timedelta(days=7))
    ChildFactory(nursery=nursery, room=room, first_name="Lastday", leave_date=TODAY)
    ChildFactory(nursery=nursery, room=room, first_name="Firstday", start_date=TODAY)

    page = login(practitioner).get(reverse("stories:new"))

    room_children, others = offered(page)
    assert sorted(room_children + others) == ["Ava", "Firstday", "Lastday"]
    assert "Gone" not in page.content.decode()
    assert "Soon" not in page.content.decode()


def test_capture_refuses_to_tag_a_child_who_has_left(login, practitioner, nursery, room, child):
    gone = ChildFactory(nursery=nursery, room=room, leave_date=TODAY - timedelta(days=7))

    login(practitioner).post(reverse("stories:new"), form_data([child, gone]))

    assert not Observation.objects.exists()


def test_capture_offers_the_practitioners_room_first_with_the_children_signed_in_leading(
    login, practitioner, nursery, room, child, other_child
):
    AttendanceFactory(child=other_child, signed_in_at=NOW - timedelta(hours=2))
    elsewhere = ChildFactory(nursery=nursery, room=RoomFactory(nursery=nursery, name="Caterpillars"), first_name="Leo")
    AttendanceFactory(child=elsewhere, signed_in_at=NOW - timedelta(hours=2))

    page = login(practitioner).get(reverse("stories:new"))

    assert offered(page) == (["Zara", "Ava"], ["Leo"])  # Zara is in, Ava not yet
    assert "<summary>Children in other rooms</summary>" in page.content.decode()


def test_capture_offers_a_manager_with_no_room_the_children_signed_in_first(
    login, manager, nursery, child, other_child
):
    AttendanceFactory(child=other_child, signed_in_at=NOW - timedelta(hours=2))
    AttendanceFactory(child=child, signed_in_at=NOW - timedelta(hours=3), signed_out_at=NOW - timedelta(hours=1))

    page = login(manager).get(reverse("stories:new"))

    assert offered(page) == (["Zara"], ["Ava"])  # Ava has gone home
    assert "<summary>Children not signed in</summary>" in page.content.decode()


def test_a_draft_about_a_child_who_has_since_left_can_still_be_finished(login, practitioner, child):
    staff = login(practitioner)
    staff.post(reverse("stories:new"), form_data([child], action="draft"))
    draft = Observation.objects.get()
    child.leave_date = TODAY - timedelta(days=1)
    child.save()

    page = staff.get(reverse("stories:edit", args=[draft.pk]))
    assert [row.child for row in page.context["children"] if row.tagged] == [child]
    staff.post(reverse("stories:edit", args=[draft.pk]), {**form_data([child]), "client_key": str(draft.client_key)})

    draft.refresh_from_db()
    assert draft.status == Observation.Status.AWAITING_REVIEW


def test_capture_shows_each_open_next_step_once(login, practitioner, child):
    repeated = "Offer Ava more chances to try this."
    for _ in range(3):  # the same words planned on three observations
        NextStepFactory(child=child, text=repeated)
    NextStepFactory(child=child, text="Pour from a jug to a cup.")

    page = login(practitioner).get(reverse("stories:new")).content.decode()

    assert page.count(f"This shows “{repeated}” achieved") == 1
    assert page.count("This shows “Pour from a jug to a cup.” achieved") == 1


def test_ticking_a_step_planned_twice_in_the_same_words_shows_both_achieved(login, practitioner, child, nursery):
    nursery.observations_need_review = False
    nursery.save()
    first, again = (NextStepFactory(child=child, text="Offer Ava more chances to try this.") for _ in range(2))
    other = NextStepFactory(child=child, text="Pour from a jug to a cup.")

    login(practitioner).post(reverse("stories:new"), form_data([child], achieved_step=[first.pk]))

    entry = Observation.objects.get()
    assert entry.status == Observation.Status.PUBLISHED
    for step in (first, again):
        step.refresh_from_db()
        assert (step.status, step.achieved_by) == (NextStep.Status.ACHIEVED, entry)
    other.refresh_from_db()
    assert other.status == NextStep.Status.OPEN


def test_the_capture_pages_toggle_chips_carry_no_autocomplete_attribute(login, practitioner, child):
    page = login(practitioner).get(reverse("stories:new")).content.decode()

    toggles = re.findall(r"<input[^>]*btn-check[^>]*>", page)
    assert toggles
    assert not [tag for tag in toggles if "autocomplete" in tag]


def heading_levels(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def assert_no_skipped_heading(html: str) -> None:
    levels = heading_levels(html)
    assert levels[0] == 1
    for before, after in pairwise(levels):
        assert after <= before + 1, f"the headings go from h{before} to h{after}: {levels}"


def test_the_review_queue_and_an_observation_never_skip_a_heading_level(login, manager, nursery, child):
    entry = ObservationFactory(nursery=nursery, children=[child], status=Observation.Status.AWAITING_REVIEW)
    boss = login(manager)

    queue = boss.get(reverse("stories:review_queue")).content.decode()
    assert "Publish to the family" in queue
    assert_no_skipped_heading(queue)
    assert_no_skipped_heading(boss.get(reverse("stories:observation", args=[entry.pk])).content.decode())


def test_the_story_timeline_keeps_its_entries_under_the_timeline_heading(login, practitioner, nursery, child):
    ObservationFactory(nursery=nursery, children=[child])

    page = login(practitioner).get(reverse("stories:story", args=[child.pk])).content.decode()

    assert_no_skipped_heading(page)
    assert 'h3 class="h6 mb-1" id="entry-' in page


def test_children_from_other_rooms_are_fetched_only_when_their_list_is_opened(
    login, practitioner, nursery, room, child
):
    elsewhere = ChildFactory(nursery=nursery, room=RoomFactory(nursery=nursery, name="Caterpillars"), first_name="Leo")
    staff = login(practitioner)

    page = staff.get(reverse("stories:new"))
    html = page.content.decode()
    assert "Leo" not in html
    assert f'data-url="{page.context["others_url"]}"' in html.replace("&amp;", "&")

    fragment = staff.get(page.context["others_url"]).content.decode()
    assert f'value="{elsewhere.pk}"' in fragment  # Leo's chip
    assert f'name="next_steps_{elsewhere.pk}"' in fragment  # and his next-step box
    assert f'value="{child.pk}"' not in fragment  # Ava is on the page already


def test_a_draft_about_a_child_from_another_room_offers_the_other_rooms_straight_away(
    login, practitioner, nursery, room, child
):
    elsewhere = ChildFactory(nursery=nursery, room=RoomFactory(nursery=nursery, name="Caterpillars"), first_name="Leo")
    staff = login(practitioner)
    staff.post(reverse("stories:new"), form_data([elsewhere], action="draft"))

    page = staff.get(reverse("stories:edit", args=[Observation.objects.get().pk]))

    assert page.context["others_url"] == ""
    assert '<details class="mt-2" id="other-rooms" open>' in page.content.decode()
    assert [row.child for row in page.context["other_children"] if row.tagged] == [elsewhere]
