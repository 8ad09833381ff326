"""The weekly planning board: key groups' open next steps, activities planned for them, their evaluation,
and the observation that closes a step (the judged loop)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from children.models import ConsentPurpose
from children.tests.factories import ChildFactory, consent
from keyworker.models import PlannedActivity
from keyworker.planning import selectors, services
from keyworker.tests.factories import KeyPersonAssignmentFactory
from learning_stories.models import NextStep, Observation
from learning_stories.tests.factories import NextStepFactory
from learning_stories.tests.test_capture import form_data
from nursery.tests.factories import StaffMemberFactory
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def week():
    return selectors.monday_of(timezone.localdate())


def board_url(room, week) -> str:
    return f"{reverse('keyworker:plan_board', args=[room.pk])}?week={week.isoformat()}"


def test_the_judged_loop_step_set_planned_evaluated_and_closed_by_a_later_observation(
    login, practitioner, child, nursery, room, week
):
    """A next step is set from an observation, planned into an activity on the board, the activity is
    evaluated, and a later observation closes the step: the board shows it achieved, linked to it."""
    nursery.observations_need_review = False
    nursery.save()
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    staff = login(practitioner)

    staff.post(reverse("stories:new"), form_data([child], **{f"next_steps_{child.pk}": "Pour water from a jug"}))
    step = NextStep.objects.get()
    board = staff.get(board_url(room, week)).content.decode()
    assert "Priya Practitioner's key group" in board
    assert "Pour water from a jug" in board

    response = staff.post(
        f"{reverse('keyworker:plan_add', args=[room.pk])}?week={week.isoformat()}",
        {"title": "Pouring station", "days": ["0", "2"], "next_steps": [step.pk]},
    )
    assert response.status_code == 302
    activity = PlannedActivity.objects.get()
    assert list(activity.next_steps.all()) == [step]
    assert list(activity.children.all()) == [child]
    assert "planned: Pouring station" in staff.get(board_url(room, week)).content.decode()

    response = staff.post(
        reverse("keyworker:plan_evaluate", args=[activity.pk]),
        {"evaluation": "Ava poured carefully with two hands.", "engaged": [child.pk]},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.evaluation.startswith("Ava poured")
    assert list(activity.engaged.all()) == [child]

    staff.post(reverse("stories:new"), form_data([child], text="Poured her own drink.", achieved_step=[step.pk]))
    closing = Observation.objects.exclude(pk=step.observation_id).get()
    step.refresh_from_db()
    assert (step.status, step.achieved_by) == (NextStep.Status.ACHIEVED, closing)
    board = staff.get(board_url(room, week)).content.decode()
    assert "Achieved" in board
    assert reverse("stories:observation", args=[closing.pk]) in board
    assert selectors.planning_board(room, week).activities[0].closed_by == [closing]


def test_the_board_groups_children_by_key_person(nursery, room, child, practitioner_post, week):
    other_key_person = StaffMemberFactory(nursery=nursery, room=room, user__full_name="Ben Baker")
    bens = ChildFactory(nursery=nursery, room=room, first_name="Leo")
    KeyPersonAssignmentFactory(child=bens, key_person=other_key_person)
    nobody = ChildFactory(nursery=nursery, room=room, first_name="Nell")
    NextStepFactory(child=bens, text="Climb the steps")
    groups = selectors.planning_board(room, week).groups
    assert [(g.key_person, [c.first_name for c in g.children]) for g in groups] == [
        (other_key_person, ["Leo"]),
        (practitioner_post, ["Ava"]),
        (None, ["Nell"]),
    ]
    assert [s.text for s in groups[0].children[0].open_steps] == ["Climb the steps"]
    assert nobody in groups[2].children


def test_previous_and_next_weeks_have_their_own_activities(login, practitioner, room, child, week):
    services.plan_activity(room=room, week_of=week, plan=services.ActivityPlan(title="Sand play"), by=practitioner)
    staff = login(practitioner)
    assert "Sand play" in staff.get(board_url(room, week)).content.decode()
    assert "Sand play" not in staff.get(board_url(room, week + timedelta(days=7))).content.decode()
    # Any day of a week shows that week's board.
    assert "Sand play" in staff.get(board_url(room, week + timedelta(days=3))).content.decode()


def test_a_week_must_start_on_a_monday(room, practitioner, week):
    with pytest.raises(ValidationError):
        services.plan_activity(
            room=room, week_of=week + timedelta(days=1), plan=services.ActivityPlan(title="x"), by=practitioner
        )


def test_an_activity_without_a_title_is_refused_and_keeps_what_was_typed(login, practitioner, room, week):
    response = login(practitioner).post(
        f"{reverse('keyworker:plan_add', args=[room.pk])}?week={week.isoformat()}", {"description": "Water tray"}
    )
    assert response.status_code == 200
    assert "Water tray" in response.content.decode()
    assert not PlannedActivity.objects.exists()


def test_another_nurserys_step_cannot_be_planned(room, practitioner, week):
    stranger = NextStepFactory()  # a child of another nursery
    with pytest.raises(ValidationError):
        services.plan_activity(
            room=room, week_of=week, plan=services.ActivityPlan(title="x", next_steps=[stranger]), by=practitioner
        )


def test_an_activity_next_week_cannot_be_evaluated_yet(room, practitioner, week):
    activity = services.plan_activity(
        room=room, week_of=week + timedelta(days=7), plan=services.ActivityPlan(title="Later"), by=practitioner
    )
    with pytest.raises(ValidationError):
        services.evaluate_activity(activity=activity, evaluation="Fine", engaged=[], by=practitioner)


def test_editing_an_activity_changes_its_plan(login, practitioner, room, child, week):
    activity = services.plan_activity(room=room, week_of=week, plan=services.ActivityPlan(title="Old"), by=practitioner)
    login(practitioner).post(
        reverse("keyworker:plan_activity", args=[activity.pk]), {"title": "New", "days": ["4"], "children": [child.pk]}
    )
    activity.refresh_from_db()
    assert (activity.title, activity.days, list(activity.children.all())) == ("New", [4], [child])


def test_another_nurserys_manager_gets_404_for_the_board_and_the_activity(
    login, other_manager, room, practitioner, week
):
    activity = services.plan_activity(room=room, week_of=week, plan=services.ActivityPlan(title="x"), by=practitioner)
    client = login(other_manager)
    assert client.get(board_url(room, week)).status_code == 404
    assert client.get(reverse("keyworker:plan_activity", args=[activity.pk])).status_code == 404
    assert client.get(reverse("keyworker:plan_evaluate", args=[activity.pk])).status_code == 404


def test_parents_cannot_open_the_board(login, parent, room, week):
    assert login(parent).get(board_url(room, week)).status_code == 403


def _grow(nursery, room, practitioner_post, count: int, week) -> None:
    for n in range(count):
        kid = ChildFactory(nursery=nursery, room=room, first_name=f"Kid{n}")
        KeyPersonAssignmentFactory(child=kid, key_person=practitioner_post)
        steps = [NextStepFactory(child=kid), NextStepFactory(child=kid)]
        services.plan_activity(
            room=room,
            week_of=week,
            plan=services.ActivityPlan(title=f"Activity {n}", next_steps=steps, led_by=practitioner_post),
            by=practitioner_post.user,
        )


def test_the_board_takes_the_same_number_of_queries_whatever_the_number_of_children(
    login, practitioner, practitioner_post, nursery, room, child, week
):
    staff = login(practitioner)
    _grow(nursery, room, practitioner_post, 2, week)
    few = queries_for(staff, board_url(room, week))
    _grow(nursery, room, practitioner_post, 8, week)
    assert queries_for(staff, board_url(room, week)) == few
