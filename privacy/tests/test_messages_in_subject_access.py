"""A subject access download holds the child's messages and what the person wrote and acknowledged."""

import io
import json
import zipfile

import pytest

from children.models import ConsentPurpose
from children.tests.factories import GuardianshipFactory, consent
from core.images import ProcessedImage, process_upload
from messaging import services as messaging
from privacy.archive import export_data, write_export_zip
from privacy.tests.factories import ready_export
from tests.images import camera_jpeg, upload

pytestmark = pytest.mark.django_db


def photo() -> ProcessedImage:
    return process_upload(upload(camera_jpeg()))


def test_the_childs_messages_and_the_parents_announcements_are_in_the_download(
    child, parent, practitioner, manager, other_child
):
    messaging.send_message(child=child, by=parent, as_family=True, text="Ava played with Zara at the weekend")
    messaging.send_message(child=child, by=practitioner, as_family=False, text="Lovely to hear!")
    GuardianshipFactory(child=other_child, user=parent)
    messaging.send_message(child=other_child, by=parent, as_family=True, text="About my other one")
    announcement = messaging.send_announcement(
        nursery=child.nursery, room=None, title="Sports day", text="Bring a hat.", by=manager
    )
    messaging.acknowledge(receipt=announcement.receipts.get(user=parent))
    export = ready_export(child=child, person=parent, requested_by=parent)

    data = export_data(export, [], lambda percent, stage: None)

    messages = data["child"]["messages"]
    assert [(m["side"], m["by"]) for m in messages] == [("family", "Sam Taylor"), ("nursery", "Priya Practitioner")]
    assert messages[0]["text"] == "Ava played with a friend at the weekend"  # another family's child is redacted
    written = data["person"]["messages_written"]
    assert [m["text"] for m in written] == ["Ava played with a friend at the weekend"]  # this child's only
    [received] = data["person"]["announcements_received"]
    assert received["title"] == "Sports day"
    assert received["acknowledged_at"]


def test_message_photos_of_the_child_alone_are_copied_into_the_zip(child, parent, practitioner, other_child):
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    consent(other_child, ConsentPurpose.PHOTOS_OWN_STORY)
    consent(other_child, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    alone = messaging.send_message(child=child, by=practitioner, as_family=False, text="Ava", photo=photo())
    messaging.send_message(
        child=child, by=practitioner, as_family=False, text="Both", photo=photo(), others_in_photo=[other_child]
    )
    from_home = messaging.send_message(child=child, by=parent, as_family=True, text="Home", photo=photo())
    export = ready_export(child=child, person=parent, requested_by=parent)

    target = io.BytesIO()
    write_export_zip(export=export, target=target)
    archive = zipfile.ZipFile(target)

    in_zip = sorted(name for name in archive.namelist() if name.startswith("photos/"))
    assert [name.rsplit("-", 1)[1] for name in in_zip] == [f"{alone.pk}.jpg", f"{from_home.pk}.jpg"]
    rows = {row["text"]: row for row in json.loads(archive.read("data.json"))["child"]["messages"]}
    assert rows["Ava"]["photo_file"] in in_zip
    assert rows["Both"]["photo_file"] == ""  # a friend is in it: this copy may be passed on
    assert rows["Both"]["photo_attached"] is True


def test_a_message_photo_withdrawn_by_consent_is_not_copied(child, parent, practitioner):
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    messaging.send_message(child=child, by=practitioner, as_family=False, text="Ava", photo=photo())
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY, granted=False)
    photos: list = []
    data = export_data(ready_export(child=child, person=parent, requested_by=parent), photos, lambda p, s: None)
    assert photos == []
    assert data["child"]["messages"][0]["photo_file"] == ""
