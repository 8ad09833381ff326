"""Confidential family notes: the child's key person and managers only (privacy rule 4)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import ChildAuditEvent, ConfidentialNote
from children.tests.factories import ConfidentialNoteFactory, GuardianshipFactory
from keyworker.selectors import may_read_confidential_notes
from keyworker.tests.factories import KeyPersonAssignmentFactory
from nursery.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

SECRET = "Dad has moved out; Ava may be unsettled"


@pytest.fixture
def note(child, parent):
    return ConfidentialNoteFactory(child=child, written_by=parent, text=SECRET)


@pytest.fixture
def room_colleague(nursery, room):
    """A practitioner in the child's room who is not the child's key person."""
    return StaffMemberFactory(nursery=nursery, room=room).user


def child_page(client, child) -> str:
    return client.get(reverse("children:detail", args=[child.pk])).content.decode()


def test_the_key_person_and_managers_read_the_notes_on_the_child_page(login, practitioner, manager, child, note):
    for reader in (practitioner, manager):
        assert SECRET in child_page(login(reader), child)
        assert login(reader).get(reverse("keyworker:confidential_notes", args=[child.pk])).status_code == 200


def test_a_practitioner_who_is_not_the_key_person_never_sees_the_notes(login, room_colleague, child, note):
    client = login(room_colleague)
    page = child_page(client, child)
    assert SECRET not in page
    assert "Confidential notes" not in page
    assert client.get(reverse("keyworker:confidential_notes", args=[child.pk])).status_code == 403


def test_a_former_key_person_loses_access_when_the_spell_ends(login, practitioner, child, note, nursery):
    spell = child.key_person_assignments.get()
    spell.ends_on = timezone.localdate() - timedelta(days=1)
    spell.save()
    KeyPersonAssignmentFactory(child=child, key_person=StaffMemberFactory(nursery=nursery))
    assert not may_read_confidential_notes(practitioner, child)
    assert SECRET not in child_page(login(practitioner), child)


def test_other_parents_and_other_nurseries_never_see_the_notes(login, other_parent, other_manager, child, note):
    for outsider in (other_parent, other_manager):
        client = login(outsider)
        assert client.get(reverse("keyworker:confidential_notes", args=[child.pk])).status_code in (403, 404)
        assert client.get(reverse("children:family_notes", args=[child.pk])).status_code == 404


def test_a_parent_reads_back_only_the_notes_they_wrote(login, parent, child, note, practitioner):
    staff = ConfidentialNote.Source.STAFF
    ConfidentialNoteFactory(child=child, written_by=practitioner, source=staff, text="Staff wrote this")
    co_parent = GuardianshipFactory(child=child).user
    ConfidentialNoteFactory(child=child, written_by=co_parent, text="From the other parent")

    page = login(parent).get(reverse("children:family_notes", args=[child.pk])).content.decode()
    assert SECRET in page
    assert "From the other parent" not in page
    assert "Staff wrote this" not in page
    assert SECRET not in child_page(login(parent), child)  # the child page panel is for staff only
    assert SECRET not in login(co_parent).get(reverse("children:family_notes", args=[child.pk])).content.decode()


def test_a_parent_sends_a_note_that_the_key_person_then_reads(login, parent, practitioner, child):
    login(parent).post(reverse("children:family_notes", args=[child.pk]), {"text": "Grandad is very ill."})
    assert "Grandad is very ill." in child_page(login(practitioner), child)


def test_the_key_person_records_a_conversation_as_a_note(login, practitioner, child):
    client = login(practitioner)
    client.post(reverse("keyworker:confidential_notes", args=[child.pk]), {"text": "Mum said at pick-up: new baby due"})
    note = ConfidentialNote.objects.get()
    assert (note.source, note.written_by) == (ConfidentialNote.Source.STAFF, practitioner)


def test_a_practitioner_who_is_not_the_key_person_cannot_add_notes(login, room_colleague, child):
    response = login(room_colleague).post(reverse("keyworker:confidential_notes", args=[child.pk]), {"text": "x"})
    assert response.status_code == 403
    assert not ConfidentialNote.objects.exists()


def test_every_view_of_the_notes_is_written_to_the_record_history(login, practitioner, parent, child, note):
    login(practitioner).get(reverse("keyworker:confidential_notes", args=[child.pk]))
    child_page(login(practitioner), child)
    login(parent).get(reverse("children:family_notes", args=[child.pk]))
    viewers = list(
        ChildAuditEvent.objects.filter(
            child=child, action=ChildAuditEvent.Action.VIEWED, what__endswith="onfidential notes"
        ).values_list("actor", flat=True)
    )
    assert sorted(viewers) == sorted([practitioner.pk, practitioner.pk, parent.pk])
