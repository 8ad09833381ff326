"""The demo families: each photo consent state, a change at home to read, and loading them twice."""

import pytest

from accounts.models import User
from children.models import AllAboutMe, Child, ConfidentialNote, Consent, EmergencyContact, HomeChange, PhotoConsent
from children.selectors import photo_consent_states, unread_home_changes_for
from demo.data import load_demo
from keyworker.selectors import key_children_of, may_read_confidential_notes

pytestmark = pytest.mark.django_db


def test_demo_families_show_each_photo_consent_state_and_a_child_never_asked():
    load_demo()
    ava, zara, leo = (Child.objects.get(first_name=name) for name in ("Ava", "Zara", "Leo"))
    assert photo_consent_states([ava.pk, zara.pk, leo.pk]) == {
        ava.pk: PhotoConsent.ALL,
        zara.pk: PhotoConsent.OWN_STORY_ONLY,
        leo.pk: PhotoConsent.NONE,
    }
    assert not leo.consents.exists()
    assert ava.all_about_me.allergies.startswith("Peanuts")
    assert "Bengali" in zara.all_about_me.home_languages
    assert zara.all_about_me.comforters


def test_priya_has_an_unread_change_at_home_and_a_confidential_note_among_her_key_children():
    load_demo()
    priya = User.objects.get(email="priya@rainbow.example")
    key_children = list(key_children_of(priya))
    assert sum(unread_home_changes_for(child.pk for child in key_children).values()) == 1
    noted = Child.objects.get(confidential_notes__isnull=False)
    assert noted in key_children
    assert may_read_confidential_notes(priya, noted)


def test_loading_the_demo_twice_adds_no_family_records():
    models = [AllAboutMe, Consent, EmergencyContact, HomeChange, ConfidentialNote]
    load_demo()
    counts = [model.objects.count() for model in models]
    load_demo()
    assert [model.objects.count() for model in models] == counts
