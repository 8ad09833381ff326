"""The consent pages: who decides, who records a paper form, a nursery's own purposes, and photo badges."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from children.models import ConsentPurpose, PhotoConsent
from children.selectors import has_consent, photo_consent_states
from children.tests.factories import ChildFactory, GuardianshipFactory, consent

pytestmark = pytest.mark.django_db

OWN = ConsentPurpose.PHOTOS_OWN_STORY
OTHERS = ConsentPurpose.PHOTOS_OTHERS_STORIES


def purpose(code: str) -> ConsentPurpose:
    return ConsentPurpose.objects.get(nursery=None, code=code)


def decide(client, child, code: str, granted: bool, note: str = ""):
    return client.post(
        reverse("children:consents", args=[child.pk]),
        {"purpose": purpose(code).pk, "granted": "yes" if granted else "no", "note": note},
    )


def test_parent_gives_then_withdraws_consent_and_the_history_shows_both(login, parent, child):
    client = login(parent)
    decide(client, child, OWN, True)
    decide(client, child, OWN, False)

    assert not has_consent(child, OWN)
    page = client.get(reverse("children:consents", args=[child.pk])).content.decode()
    assert page.count("Sam Taylor") >= 2
    history = list(child.consents.values_list("granted", "recorded_by"))
    assert history == [(False, parent.pk), (True, parent.pk)]


def test_parent_cannot_change_another_familys_consents(login, parent, other_child):
    response = decide(login(parent), other_child, OWN, True)
    assert response.status_code == 404
    assert not other_child.consents.exists()


def test_a_carer_without_parental_responsibility_sees_consents_but_cannot_change_them(login, child):
    grandparent = GuardianshipFactory(child=child, relationship="grandparent", has_parental_responsibility=False).user
    client = login(grandparent)
    page = client.get(reverse("children:consents", args=[child.pk])).content.decode()
    assert "Only a parent or carer with parental responsibility" in page
    assert "Give consent" not in page
    assert decide(client, child, OWN, True).status_code == 403
    assert not child.consents.exists()


def test_practitioners_see_consents_but_cannot_record_them(login, practitioner, child):
    consent(child, OWN)
    client = login(practitioner)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Consents" in page
    assert decide(client, child, OWN, False).status_code == 403
    assert has_consent(child, OWN)


def test_manager_records_a_paper_form_only_with_a_note_of_how_the_family_said_so(login, manager, child):
    client = login(manager)
    response = decide(client, child, OTHERS, True)
    assert "Say how the family told you" in response.content.decode()
    assert not child.consents.exists()

    decide(client, child, OTHERS, True, note="Paper form signed by Sam on 3 March")

    decision = child.consents.get()
    assert (decision.granted, decision.recorded_by, decision.note) == (
        True,
        manager,
        "Paper form signed by Sam on 3 March",
    )


def test_manager_adds_a_nursery_purpose_that_families_then_see(login, manager, parent, child):
    login(manager).post(
        reverse("children:consent_purposes"), {"name": "Sun cream", "description": "Staff may put on sun cream."}
    )
    assert ConsentPurpose.objects.get(nursery=child.nursery).code == "sun-cream"
    assert (
        "Staff may put on sun cream."
        in login(parent).get(reverse("children:consents", args=[child.pk])).content.decode()
    )


def test_a_purpose_from_another_nursery_cannot_be_decided(login, parent, child, other_nursery):
    theirs = ConsentPurpose.objects.create(nursery=other_nursery, code="outings", name="Outings", description="…")
    login(parent).post(reverse("children:consents", args=[child.pk]), {"purpose": theirs.pk, "granted": "yes"})
    assert not child.consents.exists()


@pytest.mark.parametrize(
    ("decisions", "state", "label"),
    [
        ({}, PhotoConsent.NONE, "No photos"),
        ({OWN: True, OTHERS: True}, PhotoConsent.ALL, "Photos OK"),
        ({OWN: True, OTHERS: False}, PhotoConsent.OWN_STORY_ONLY, "Own story only"),
        ({OWN: False, OTHERS: True}, PhotoConsent.NONE, "No photos"),
    ],
)
def test_the_photo_badge_says_what_the_camera_holder_may_do(child, decisions, state, label):
    for code, granted in decisions.items():
        consent(child, code, granted=granted)
    assert photo_consent_states([child.pk]) == {child.pk: state}
    assert label in render_to_string("children/_photo_consent_badge.html", {"state": state})


def test_photo_badges_for_a_whole_room_come_from_one_query(nursery, django_assert_num_queries):
    children = ChildFactory.create_batch(5, nursery=nursery)
    for child in children[:3]:
        consent(child, OWN)
    consent(children[0], OTHERS)
    with django_assert_num_queries(1):
        states = photo_consent_states(child.pk for child in children)
    assert list(states.values()).count(PhotoConsent.NONE) == 2
    assert states[children[0].pk] == PhotoConsent.ALL


def test_withdrawing_photo_consent_changes_the_badge_staff_see(login, parent, practitioner, child):
    consent(child, OWN)
    client = login(practitioner)
    assert "Own story only" in client.get(reverse("children:detail", args=[child.pk])).content.decode()
    decide(login(parent), child, OWN, False)
    assert "No photos" in client.get(reverse("children:detail", args=[child.pk])).content.decode()
