"""Consents as data: the newest decision is the current one, per purpose, asked for many children at once."""

import pytest

from children.models import ConsentPurpose
from children.selectors import children_with_consent, current_consents, has_consent
from children.services import record_consent
from children.tests.factories import ChildFactory, consent

pytestmark = pytest.mark.django_db

OWN = ConsentPurpose.PHOTOS_OWN_STORY
OTHERS = ConsentPurpose.PHOTOS_OTHERS_STORIES


def test_a_child_nobody_has_asked_about_has_no_consent(child):
    assert not has_consent(child, OWN)
    assert current_consents(child)[OWN] is None


def test_the_newest_decision_is_the_current_one_and_history_is_kept(child, parent):
    purpose = ConsentPurpose.objects.get(nursery=None, code=OWN)
    record_consent(child=child, purpose=purpose, granted=True, by=parent)
    record_consent(child=child, purpose=purpose, granted=False, by=parent, note="Changed our minds")

    assert not has_consent(child, OWN)
    assert current_consents(child)[OWN].note == "Changed our minds"
    assert child.consents.count() == 2
    assert child.audit_events.filter(what__startswith="Consent withdrawn").exists()


def test_consent_for_one_purpose_says_nothing_about_another(child):
    consent(child, OWN)
    assert has_consent(child, OWN)
    assert not has_consent(child, OTHERS)


def test_children_with_consent_answers_for_a_group_at_once(child, other_child, django_assert_num_queries):
    third = ChildFactory(nursery=child.nursery)
    consent(child, OTHERS)
    consent(other_child, OTHERS)
    consent(other_child, OTHERS, granted=False)

    with django_assert_num_queries(1):
        assert children_with_consent([child.pk, other_child.pk, third.pk], OTHERS) == {child.pk}


def test_a_nursery_may_add_its_own_purpose_seen_only_by_its_children(child, other_nursery):
    ConsentPurpose.objects.create(nursery=child.nursery, code="sun_cream", name="Sun cream", description="…")
    ConsentPurpose.objects.create(nursery=other_nursery, code="outings", name="Outings", description="…")

    assert "sun_cream" in current_consents(child)
    assert "outings" not in current_consents(child)
