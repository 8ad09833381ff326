"""A subject access download names the other carers a summary was shared with, each link, when it was
opened and what they sent back."""

import pytest
from django.test import Client
from django.urls import reverse

from privacy.records import child_record
from transitions.carer_links import services

pytestmark = pytest.mark.django_db


def test_a_subject_access_download_lists_the_carer_the_link_and_the_note(child, practitioner, parent):
    carer = services.add_carer(
        child=child, name="Tess Hughes", role="speech_therapist", organisation="", email="", by=practitioner
    )
    services.decide(carer=carer, agreed=True, by=parent)
    link = services.create_carer_link(carer=carer, by=practitioner)
    Client().get(reverse("transitions:carer_page", args=[link.token]))
    services.send_carer_note(link=link, text="Working on sounds.")

    data = child_record(child, photos=[], progress=lambda *_: None)

    (shared_with,) = data["other_carers"]
    assert (shared_with["name"], shared_with["role"], shared_with["consent"]) == (
        "Tess Hughes",
        "Speech and language therapist",
        "The family agreed",
    )
    (shared,) = shared_with["links"]
    assert len(shared["opened"]) == 1
    assert [note["text"] for note in shared["notes"]] == ["Working on sounds."]
