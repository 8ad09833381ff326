"""A real leaver pack, built by ``transitions.packs.write_pack_zip`` for a child with entries, photos and
comments, imported into another nursery's KeyStory: every entry, photo and comment arrives."""

import json
import zipfile
from datetime import timedelta

import jsonschema
import pytest
from django.utils import timezone

from children.models import ConsentPurpose
from children.tests.factories import consent
from learning_stories.models import Comment, Observation, ObservationPhoto
from learning_stories.observations.services import add_comment, add_home_contribution
from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory, area
from transitions.imports.importer import schema
from transitions.imports.services import import_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(child, practitioner, parent):
    """Ava with four nursery entries (two with photos, tagged), a home entry with a comment, and staff replies."""
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    start = timezone.now() - timedelta(days=100)
    for day in range(4):
        entry = ObservationFactory(
            nursery=child.nursery,
            author=practitioner,
            children=[child],
            text=f"Day {day}: Ava explored the garden.",
            child_voice=f"Look {day}!",
            observed_at=start + timedelta(days=day * 10),
        )
        entry.areas.set([area("CL"), area("PD")])
        if day % 2 == 0:
            ObservationPhotoFactory(observation=entry, children=[child])
            ObservationPhotoFactory(observation=entry, children=[child])
        add_comment(observation=entry, child=child, author=parent, text=f"Lovely, day {day}", by_staff=False)
        add_comment(observation=entry, child=child, author=practitioner, text=f"Thank you {day}", by_staff=True)
    home = add_home_contribution(
        child=child, author=parent, text="Ava at the zoo.", observed_at=start + timedelta(days=50), photos=[]
    )
    add_comment(observation=home, child=child, author=practitioner, text="What fun!", by_staff=True)
    return child


def test_a_pack_built_by_keystory_imports_into_another_nursery_with_everything(
    leaver, other_nursery, other_manager, tmp_path
):
    from transitions.leaver_pack.packs import write_pack_zip

    path = tmp_path / "pack.zip"
    with path.open("w+b") as target:
        write_pack_zip(child=leaver, target=target)
    with zipfile.ZipFile(path) as archive:
        jsonschema.validate(json.loads(archive.read("pack.json")), schema())

    with path.open("rb") as upload:
        result = import_pack(nursery=other_nursery, upload=upload, by=other_manager)

    sent = Observation.objects.filter(children=leaver)
    arrived = Observation.objects.filter(children=result.child, staff_only=False)
    assert result.child.nursery == other_nursery
    assert result.child.start_date is None
    assert (result.child.first_name, result.child.last_name) == ("Ava", "Taylor")
    assert result.entries == sent.count() == arrived.count() == 5
    for original in sent:
        copy = arrived.get(observed_at=original.observed_at)
        assert copy.text.startswith(original.text)
        assert copy.child_voice == original.child_voice
        assert copy.source == original.source
        assert copy.imported_from == leaver.nursery.name
        assert {a.code for a in copy.areas.all()} == {a.code for a in original.areas.all()}
        assert copy.photos.count() == original.photos.count()
        sent_comments = [c.text for c in Comment.objects.filter(observation=original).order_by("created_at")]
        arrived_comments = [c.text for c in Comment.objects.filter(observation=copy).order_by("created_at")]
        assert len(arrived_comments) == len(sent_comments)
        for before, after in zip(sent_comments, arrived_comments, strict=True):
            assert after.endswith(before)
    assert result.photos == ObservationPhoto.objects.filter(observation__in=sent).count() == 4
    assert result.comments == Comment.objects.filter(observation__in=sent).count() == 9
