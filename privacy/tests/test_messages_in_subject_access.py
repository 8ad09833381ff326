"""A subject access download holds the child's messages and what the person wrote and acknowledged."""

import pytest

from children.tests.factories import GuardianshipFactory
from messaging import services as messaging
from privacy.archive import export_data
from privacy.tests.factories import ready_export

pytestmark = pytest.mark.django_db


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
