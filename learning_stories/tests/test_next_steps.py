"""Next steps: set from an observation or by hand, closed by a later observation, read by families."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from children.models import ConsentPurpose
from children.tests.factories import consent
from learning_stories.models import NextStep, Observation
from learning_stories.next_steps import selectors, services
from learning_stories.observations.services import add_home_contribution, publish
from learning_stories.story.selectors import viewer_of
from learning_stories.tests.factories import AssessmentFactory, NextStepFactory, ObservationFactory
from learning_stories.tests.test_capture import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(login, practitioner, child, other_child, nursery):
    nursery.observations_need_review = False
    nursery.save()
    for kid in (child, other_child):
        consent(kid, ConsentPurpose.PHOTOS_OWN_STORY)
    return login(practitioner)


def test_a_next_step_typed_on_a_shared_observation_becomes_an_open_step(staff, child):
    staff.post(reverse("stories:new"), form_data([child], **{f"next_steps_{child.pk}": "Pour from a jug"}))
    step = NextStep.objects.get()
    assert (step.child, step.text, step.status) == (child, "Pour from a jug", NextStep.Status.OPEN)
    assert step.observation == Observation.objects.get()


def test_no_step_until_the_observation_is_shared(login, practitioner, child):
    login(practitioner).post(reverse("stories:new"), form_data([child], **{f"next_steps_{child.pk}": "Pour"}))
    assert Observation.objects.get().status == Observation.Status.AWAITING_REVIEW
    assert not NextStep.objects.exists()


def test_publishing_again_does_not_duplicate_steps(child, practitioner):
    observation = ObservationFactory(nursery=child.nursery, author=practitioner, children=[child])
    observation.child_links.update(next_steps="Pour from a jug")
    services.steps_from_observation(observation=observation, by=practitioner)
    services.steps_from_observation(observation=observation, by=practitioner)
    assert NextStep.objects.count() == 1


def test_an_edited_next_step_text_follows_while_open_and_an_emptied_one_is_dropped(child, practitioner):
    observation = ObservationFactory(nursery=child.nursery, author=practitioner, children=[child])
    observation.child_links.update(next_steps="Pour")
    services.steps_from_observation(observation=observation, by=practitioner)
    observation.child_links.update(next_steps="Pour from a small jug")
    services.steps_from_observation(observation=observation, by=practitioner)
    assert NextStep.objects.get().text == "Pour from a small jug"
    observation.child_links.update(next_steps="")
    services.steps_from_observation(observation=observation, by=practitioner)
    assert NextStep.objects.get().status == NextStep.Status.DROPPED


def test_capture_offers_the_childs_open_steps_and_sending_closes_the_ticked_one(staff, child, other_child):
    step = NextStepFactory(child=child, text="Pour from a jug")
    other = NextStepFactory(child=other_child, text="Zip a coat")
    page = staff.get(reverse("stories:new")).content.decode()
    assert "This shows “Pour from a jug” achieved" in page
    staff.post(reverse("stories:new"), form_data([child], achieved_step=[step.pk, other.pk]))
    step.refresh_from_db()
    other.refresh_from_db()
    assert step.status == NextStep.Status.ACHIEVED
    assert step.achieved_by == Observation.objects.get()
    assert other.status == NextStep.Status.OPEN  # Zara was not in this observation


def test_a_draft_only_claims_the_step_until_it_is_shared(login, practitioner, child, manager):
    step = NextStepFactory(child=child)
    login(practitioner).post(reverse("stories:new"), form_data([child], achieved_step=[step.pk]))
    step.refresh_from_db()
    observation = Observation.objects.get()
    assert (step.status, step.achieved_by) == (NextStep.Status.OPEN, observation)
    publish(observation=observation, by=manager)
    step.refresh_from_db()
    assert step.status == NextStep.Status.ACHIEVED


def test_the_service_refuses_another_childs_step(child, other_child, practitioner):
    observation = ObservationFactory(nursery=child.nursery, author=practitioner, children=[child])
    with pytest.raises(ValidationError):
        services.set_achieved_steps(observation=observation, step_ids=[NextStepFactory(child=other_child).pk])


def test_the_service_refuses_a_step_already_closed(child, practitioner):
    observation = ObservationFactory(nursery=child.nursery, author=practitioner, children=[child])
    dropped = NextStepFactory(child=child, status=NextStep.Status.DROPPED)
    with pytest.raises(ValidationError):
        services.set_achieved_steps(observation=observation, step_ids=[dropped.pk])


def test_tagging_a_home_contribution_can_close_a_step(login, practitioner, child, parent):
    step = NextStepFactory(child=child)
    entry = add_home_contribution(
        child=child, author=parent, text="Poured juice", observed_at=child.created_at, photos=[]
    )
    login(practitioner).post(reverse("stories:tag", args=[entry.pk]), {"achieved_step": [step.pk]})
    step.refresh_from_db()
    assert (step.status, step.achieved_by) == (NextStep.Status.ACHIEVED, entry)


def test_staff_add_a_step_by_hand_from_an_assessment(login, practitioner, child):
    assessment = AssessmentFactory(child=child)
    response = login(practitioner).post(
        reverse("stories:next_steps", args=[child.pk]), {"text": "Climb the ladder", "assessment": assessment.pk}
    )
    assert response.status_code == 302
    step = NextStep.objects.get()
    assert (step.assessment, step.area, step.set_by) == (assessment, assessment.area, practitioner)


def test_an_empty_step_is_refused_and_nothing_is_saved(login, practitioner, child):
    response = login(practitioner).post(reverse("stories:next_steps", args=[child.pk]), {"text": " "})
    assert response.status_code == 200
    assert not NextStep.objects.exists()


def test_staff_drop_a_step_no_longer_needed(login, practitioner, child):
    step = NextStepFactory(child=child)
    login(practitioner).post(reverse("stories:drop_next_step", args=[step.pk]))
    step.refresh_from_db()
    assert step.status == NextStep.Status.DROPPED


def test_another_nurserys_manager_cannot_drop_a_step(login, other_manager, child):
    step = NextStepFactory(child=child)
    assert login(other_manager).post(reverse("stories:drop_next_step", args=[step.pk])).status_code == 404


def test_parent_sees_steps_in_plain_words_and_the_achieved_entry_only_when_shared(login, parent, child, practitioner):
    NextStepFactory(child=child, text="Pour from a jug")
    shared = ObservationFactory(nursery=child.nursery, children=[child])
    hidden = ObservationFactory(nursery=child.nursery, children=[child], staff_only=True)
    NextStepFactory(child=child, text="Zip a coat", status=NextStep.Status.ACHIEVED, achieved_by=shared)
    NextStepFactory(child=child, text="Hop", status=NextStep.Status.ACHIEVED, achieved_by=hidden)
    NextStepFactory(child=child, text="Dropped one", status=NextStep.Status.DROPPED)
    page = login(parent).get(reverse("stories:next_steps", args=[child.pk])).content.decode()
    assert "What we're helping Ava learn next" in page
    assert "Pour from a jug" in page
    assert reverse("stories:observation", args=[shared.pk]) in page
    assert reverse("stories:observation", args=[hidden.pk]) not in page
    assert "Dropped one" not in page
    child_page = login(parent).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Pour from a jug" in child_page


def test_parent_does_not_see_a_step_set_from_a_staff_only_observation(parent, child):
    secret = ObservationFactory(nursery=child.nursery, children=[child], staff_only=True)
    NextStepFactory(child=child, text="Private step", observation=secret)
    viewer = viewer_of(parent, child)
    assert selectors.next_steps_of(child, viewer).open == []


def test_another_family_cannot_open_the_childs_next_steps(login, other_parent, child):
    assert login(other_parent).get(reverse("stories:next_steps", args=[child.pk])).status_code == 404


def test_a_parent_cannot_add_a_step(login, parent, child):
    assert login(parent).post(reverse("stories:next_steps", args=[child.pk]), {"text": "x"}).status_code == 404
    assert not NextStep.objects.exists()


def test_open_next_steps_selector_lists_only_open_steps_of_the_children(child, other_child):
    mine = NextStepFactory(child=child)
    NextStepFactory(child=child, status=NextStep.Status.ACHIEVED)
    NextStepFactory(child=other_child)
    assert list(selectors.open_next_steps([child])) == [mine]
