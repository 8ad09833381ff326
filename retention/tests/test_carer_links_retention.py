"""Summaries shared with other carers: a link, its log of views and the notes sent back go a year after the
link ended; the carer (with the family's answer) stays with the family's details."""

from datetime import timedelta

import pytest
import time_machine

from retention import services as retention
from transitions.carer_links import services
from transitions.models import CarerNote, CarerShareLink, OtherCarer

pytestmark = pytest.mark.django_db


def test_a_link_and_its_log_go_a_year_after_it_ended_and_a_newer_one_stays(
    child, practitioner, parent, django_capture_on_commit_callbacks
):
    carer = services.add_carer(
        child=child, name="Tess Hughes", role="speech_therapist", organisation="", email="", by=practitioner
    )
    services.decide(carer=carer, agreed=True, by=parent)
    link = services.create_carer_link(carer=carer, by=practitioner, days=30)
    services.send_carer_note(link=link, text="Working on sounds.")
    newer = services.create_carer_link(carer=carer, by=practitioner, days=90)
    later = link.expires_at + timedelta(days=370)

    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        retention.sweep_all()

    assert list(CarerShareLink.objects.all()) == [newer]  # ended 60 days later: not a year ago yet
    assert not CarerNote.objects.exists()
    assert OtherCarer.objects.filter(pk=carer.pk).exists()
