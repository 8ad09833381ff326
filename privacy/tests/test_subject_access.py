"""Subject access: a parent downloads what is held about their child and themselves; a manager answers a
request for anyone at the nursery; every export is logged and its link expires."""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from children.models import ChildAuditEvent, ConsentPurpose, Guardianship
from children.tests.factories import ChildFactory, GuardianshipFactory, consent
from learning_stories.models import Comment, Observation
from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory
from nursery.models import StaffMember
from privacy.models import SubjectAccessExport, one_month_after
from privacy.tasks import sweep_subject_access_exports
from privacy.tests.factories import ready_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(nursery, room, child, other_child, practitioner, parent):
    """Ava's own entry with a photo; a group entry with Zara (whose family did NOT agree to her appearing
    in other children's stories) with a photo of both; one with Leo (whose family agreed); a staff-only one."""
    leo = ChildFactory(nursery=nursery, room=room, first_name="Leo", last_name="Okafor")
    consent(leo, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    own = ObservationFactory(nursery=nursery, author=practitioner, children=[child], text="Ava counted the steps.")
    Comment.objects.create(observation=own, child=child, author=parent, text="She counts at home too")
    with_zara = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child, other_child], text="Ava and Zara built a den."
    )
    with_leo = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child, leo], text="Leo and Ava painted."
    )
    ObservationFactory(nursery=nursery, author=practitioner, children=[child], text="Staff eyes only", staff_only=True)
    return {
        "own": ObservationPhotoFactory(observation=own, children=[child]),
        "zara": ObservationPhotoFactory(observation=with_zara, children=[child, other_child]),
        "leo": ObservationPhotoFactory(observation=with_leo, children=[child, leo]),
    }


def ask_as_parent(client, child, capture):
    """The parent asks; the job runs in-process once the request commits; the page the request leads to."""
    with capture(execute=True):
        response = client.post(reverse("privacy:request_own", args=[child.pk]))
    assert response.status_code == 302
    return client.get(response.url)


def downloaded(client, export) -> zipfile.ZipFile:
    response = client.get(reverse("privacy:download", args=[export.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def everything_readable(archive: zipfile.ZipFile) -> str:
    pdf = PdfReader(io.BytesIO(archive.read("summary.pdf")))
    return "\n".join(
        [archive.read("data.json").decode(), archive.read("README.txt").decode()]
        + [page.extract_text() for page in pdf.pages]
    )


def test_a_parents_download_holds_their_childs_records_and_no_other_childs_name_or_photo(
    login, parent, child, story, django_capture_on_commit_callbacks
):
    client = login(parent)
    page = ask_as_parent(client, child, django_capture_on_commit_callbacks)
    export = SubjectAccessExport.objects.get()
    assert b"Download the ZIP file" in page.content

    archive = downloaded(client, export)
    data = json.loads(archive.read("data.json"))
    text = everything_readable(archive)

    assert {"summary.pdf", "data.json", "README.txt"} <= set(archive.namelist())
    assert data["child"]["details"]["first_name"] == "Ava"
    assert data["person"]["account"]["full_name"] == "Sam Taylor"
    entries = {entry["text"]: entry for entry in data["child"]["story"]}
    assert set(entries) == {"Ava counted the steps.", "Ava and a friend built a den.", "A friend and Ava painted."}
    assert entries["Ava and a friend built a den."]["children"] == ["Ava", "a friend"]
    assert entries["Ava and a friend built a den."]["photos_not_included"] == 1
    photos = [name for name in archive.namelist() if name.startswith("photos/")]
    # Leo's family agreed to his photo in other children's stories, but this copy may be passed on.
    assert [name.rsplit("-", 1)[1].split(".")[0] for name in photos] == [str(story["own"].pk)]
    assert entries["A friend and Ava painted."]["photos_not_included"] == 1
    assert "Zara" not in text
    assert "Ahmed" not in text
    assert "Leo" not in text
    assert "Staff eyes only" not in text
    assert data["child"]["held_not_included"]["story_entries_not_shared_with_families"] == 1
    assert "Ava counted the steps." in text  # the PDF and the data say the same
    assert data["person"]["comments_written"][0]["text"] == "She counts at home too"


def test_a_parents_download_is_logged_in_the_childs_record_history_and_on_the_export(
    login, parent, child, django_capture_on_commit_callbacks
):
    client = login(parent)
    ask_as_parent(client, child, django_capture_on_commit_callbacks)
    export = SubjectAccessExport.objects.get()
    downloaded(client, export)

    export.refresh_from_db()
    assert (export.requested_by, export.child, export.person) == (parent, child, parent)
    assert export.first_downloaded_at is not None
    assert export.downloads == 1
    exported = child.audit_events.filter(actor=parent, action=ChildAuditEvent.Action.EXPORTED)
    assert (
        next(iter(exported.order_by("at", "pk").values_list("what", flat=True))) == "Subject access download requested"
    )
    assert exported.filter(what__startswith="Subject access download (made").exists()


def test_a_relative_without_parental_responsibility_cannot_ask_for_the_childs_information(login, child):
    gran = GuardianshipFactory(child=child, has_parental_responsibility=False, user__full_name="Gran").user
    client = login(gran)

    response = client.post(reverse("privacy:request_own", args=[child.pk]))

    assert response.status_code == 404
    assert b"Only a parent or carer with parental responsibility" in client.get(reverse("privacy:my_data")).content
    assert not SubjectAccessExport.objects.exists()


def test_the_link_expires_after_a_week_and_the_sweep_deletes_the_file(
    login, parent, child, django_capture_on_commit_callbacks
):
    client = login(parent)
    ask_as_parent(client, child, django_capture_on_commit_callbacks)
    export = SubjectAccessExport.objects.get()
    name = export.file.name
    assert export.expires_at == export.built_at + timedelta(days=7)

    with time_machine.travel(export.expires_at + timedelta(minutes=1)):
        client = login(parent)  # a week later: signed in again
        response = client.get(reverse("privacy:download", args=[export.pk]))
        assert response.status_code == 410
        assert b"This download link has expired" in response.content
        with django_capture_on_commit_callbacks(execute=True):
            sweep_subject_access_exports.apply()

        assert b"link has expired" in client.get(reverse("privacy:export", args=[export.pk])).content

    export.refresh_from_db()
    assert export.status == SubjectAccessExport.Status.EXPIRED
    assert not export.file
    assert not export.file.storage.exists(name)


def test_a_manager_answers_a_request_for_a_parent_and_it_is_logged(
    login, manager, parent, child, django_capture_on_commit_callbacks
):
    client = login(manager)
    received = timezone.localdate() - timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:requests"), {"person": parent.pk, "received_on": received.isoformat()})

    export = SubjectAccessExport.objects.get()
    assert response.url == reverse("privacy:export", args=[export.pk])
    assert (export.requested_by, export.person, export.child) == (manager, parent, None)
    assert export.status == SubjectAccessExport.Status.READY
    assert export.due_on == one_month_after(received)
    listing = client.get(reverse("privacy:requests")).content.decode()
    assert "Sam Taylor" in listing
    assert f"{export.due_on:%-d %b %Y}" in listing
    data = json.loads(downloaded(client, export).read("data.json"))
    assert data["child"] is None
    assert data["person"]["as_family"][0]["child"] == "Ava"
    export.refresh_from_db()
    assert export.downloads == 1


def test_a_manager_answers_a_request_for_a_child_and_it_is_in_the_childs_history(
    login, manager, child, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(manager).post(reverse("privacy:requests"), {"child": child.pk, "received_on": timezone.localdate()})

    assert SubjectAccessExport.objects.get().child == child
    assert child.audit_events.filter(actor=manager, action=ChildAuditEvent.Action.EXPORTED).exists()


def test_a_manager_answers_a_request_for_a_member_of_staff_without_naming_their_key_children(
    login, manager, practitioner, child, django_capture_on_commit_callbacks
):
    client = login(manager)
    client.get(reverse("children:detail", args=[child.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:requests"), {"person": practitioner.pk, "received_on": timezone.localdate()})
    login(practitioner).get(reverse("children:detail", args=[child.pk]))

    export = SubjectAccessExport.objects.get()
    data = json.loads(downloaded(client, export).read("data.json"))

    assert data["person"]["as_staff"][0]["role"] == "Practitioner"
    assert "Ava" not in json.dumps(data["person"])


def test_a_request_needs_someone_and_a_date_not_in_the_future(login, manager):
    client = login(manager)
    tomorrow = timezone.localdate() + timedelta(days=1)

    nobody = client.post(reverse("privacy:requests"), {"received_on": timezone.localdate()})
    future = client.post(reverse("privacy:requests"), {"person": manager.pk, "received_on": tomorrow})

    assert "Choose the child, the person, or both" in nobody.content.decode()
    assert "cannot have arrived after today" in future.content.decode()
    assert not SubjectAccessExport.objects.exists()


def test_another_nurserys_manager_cannot_see_or_download_an_export(
    login, parent, child, other_manager, django_capture_on_commit_callbacks
):
    ask_as_parent(login(parent), child, django_capture_on_commit_callbacks)
    export = SubjectAccessExport.objects.get()
    client = login(other_manager)

    assert client.get(reverse("privacy:export", args=[export.pk])).status_code == 404
    assert client.get(reverse("privacy:download", args=[export.pk])).status_code == 404
    response = client.post(reverse("privacy:requests"), {"child": child.pk, "received_on": timezone.localdate()})
    assert response.status_code == 200  # Ava is not one of their children: the form refuses her
    assert SubjectAccessExport.objects.count() == 1


def test_another_parent_cannot_see_a_familys_download(
    login, parent, child, other_parent, django_capture_on_commit_callbacks
):
    ask_as_parent(login(parent), child, django_capture_on_commit_callbacks)
    export = SubjectAccessExport.objects.get()

    assert login(other_parent).get(reverse("privacy:download", args=[export.pk])).status_code == 404


def test_the_progress_is_shown_while_the_download_is_being_made(login, parent, child):
    client = login(parent)
    response = client.post(reverse("privacy:request_own", args=[child.pk]))  # the job has not run yet
    page = client.get(response.url, headers={"HX-Request": "true"}).content.decode()

    assert 'data-hx-trigger="every 2s"' in page
    assert "<progress" in page


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 15), date(2026, 2, 15)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 31), date(2027, 1, 31)),
    ],
)
def test_the_answer_is_due_one_calendar_month_after_the_request_arrived(received, due):
    assert one_month_after(received) == due


def test_a_parent_finds_the_download_on_their_childs_page(login, parent, child):
    page = login(parent).get(reverse("children:detail", args=[child.pk])).content.decode()

    assert reverse("privacy:request_own", args=[child.pk]) in page


def test_a_draft_entry_is_not_in_the_download(
    login, parent, child, practitioner, nursery, django_capture_on_commit_callbacks
):
    ObservationFactory(
        nursery=nursery, author=practitioner, children=[child], text="Not yet", status=Observation.Status.DRAFT
    )
    client = login(parent)
    ask_as_parent(client, child, django_capture_on_commit_callbacks)

    data = json.loads(downloaded(client, SubjectAccessExport.objects.get()).read("data.json"))

    assert data["child"]["story"] == []
    assert data["child"]["held_not_included"]["story_entries_not_shared_with_families"] == 1


def test_a_parents_download_leaves_out_every_photo_with_another_child_in_it_and_a_friend_photographed_alone(
    login, nursery, room, parent, child, practitioner, django_capture_on_commit_callbacks
):
    ben = ChildFactory(nursery=nursery, room=room, first_name="Benedict", last_name="Taylor")
    GuardianshipFactory(child=ben, user=parent)  # Ava's brother: his family has not agreed to other stories
    leo = ChildFactory(nursery=nursery, room=room, first_name="Leopold", last_name="Okafor")
    consent(leo, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    siblings = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child, ben], text="Ava and Benedict shared the sand."
    )
    both = ObservationPhotoFactory(observation=siblings, children=[child, ben])
    friends = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child, leo], text="Leopold showed Ava a snail."
    )
    with_ava = ObservationPhotoFactory(observation=friends, children=[child, leo])
    leo_alone = ObservationPhotoFactory(observation=friends, children=[leo])
    ava_alone = ObservationPhotoFactory(observation=friends, children=[child])
    Comment.objects.create(observation=siblings, child=ben, author=parent, text="Benedict loved it")
    client = login(parent)
    ask_as_parent(client, child, django_capture_on_commit_callbacks)

    archive = downloaded(client, SubjectAccessExport.objects.get())
    text = everything_readable(archive)
    photos = {name.rsplit("-", 1)[1].split(".")[0] for name in archive.namelist() if name.startswith("photos/")}

    assert photos == {str(ava_alone.pk)}
    assert str(both.pk) not in photos
    assert str(with_ava.pk) not in photos  # Leopold's family agreed, but this copy may be passed on
    assert str(leo_alone.pk) not in photos
    assert "shows another child too" in archive.read("README.txt").decode()
    for name in ("Benedict", "Leopold", "Okafor"):
        assert name not in text
    assert "Ava and a friend shared the sand." in text


def test_a_parents_download_for_one_child_names_no_brother_and_no_untagged_friend_anywhere(
    login,
    nursery,
    room,
    parent,
    child,
    other_child,
    practitioner,
    practitioner_post,
    django_capture_on_commit_callbacks,
):
    from children.tests.factories import ConfidentialNoteFactory, HomeChangeFactory
    from core.models import OutgoingMail
    from keyworker.models import Consultation
    from learning_stories.tests.factories import ProgressCheckFactory

    ben = ChildFactory(nursery=nursery, room=room, first_name="Benedict", last_name="Taylor")
    GuardianshipFactory(child=ben, user=parent)
    Consultation.objects.create(
        child=ben, key_person=practitioner_post, requested_by=parent, message="Benedict is not sleeping."
    )
    Consultation.objects.create(
        child=child, key_person=practitioner_post, requested_by=parent, message="Zara has been biting her."
    )
    HomeChangeFactory(child=ben, proposed_by=parent, note="Benedict eats no nuts now.")
    ConfidentialNoteFactory(child=ben, written_by=parent, text="Benedict's father collects on Fridays.")
    ProgressCheckFactory(
        child=ben, status="shared", parent_commented_by=parent, parent_comments="Benedict talks all day."
    )
    OutgoingMail.objects.create(
        key="sibling-story",
        kind="story",
        nursery_id=nursery.pk,
        recipient=parent,
        to=parent.email,
        subject="Benedict's new story entry",
    )
    # Ava's own entry, with only Ava tagged: a comment and a next step name Zara all the same.
    own = ObservationFactory(nursery=nursery, author=practitioner, children=[child], text="Ava baked bread.")
    own.child_links.update(next_steps="Bake again with Zara.")
    Comment.objects.create(observation=own, child=child, author=practitioner, text="Zara helped her knead it.")
    client = login(parent)
    ask_as_parent(client, child, django_capture_on_commit_callbacks)

    archive = downloaded(client, SubjectAccessExport.objects.get())
    text = everything_readable(archive)
    data = json.loads(archive.read("data.json"))

    assert "Benedict" not in text
    assert "Zara" not in text
    assert [meeting["message"] for meeting in data["person"]["meetings_asked_for"]] == ["A friend has been biting her."]
    entry = next(entry for entry in data["child"]["story"] if entry["text"] == "Ava baked bread.")
    assert entry["next_steps"] == ["Bake again with a friend."]
    assert entry["comments"][0]["text"] == "A friend helped her knead it."


def test_a_parent_who_lost_parental_responsibility_can_no_longer_download(login, parent, child):
    export = ready_export(child=child, person=parent, requested_by=parent)
    client = login(parent)
    assert client.get(reverse("privacy:download", args=[export.pk])).status_code == 200

    Guardianship.objects.filter(user=parent, child=child).update(has_parental_responsibility=False)

    assert client.get(reverse("privacy:download", args=[export.pk])).status_code == 404
    assert client.get(reverse("privacy:export", args=[export.pk])).status_code == 404
    export.refresh_from_db()
    assert export.downloads == 1


def test_a_manager_who_left_can_no_longer_download_what_they_asked_for(login, manager, parent, child):
    export = ready_export(person=parent, requested_by=manager, nursery=child.nursery)
    client = login(manager)
    assert client.get(reverse("privacy:download", args=[export.pk])).status_code == 200
    GuardianshipFactory(child=child, user=manager)  # also a parent here, so still signed in after leaving

    StaffMember.objects.filter(user=manager).update(leaves_on=timezone.localdate() - timedelta(days=1))

    assert client.get(reverse("privacy:download", args=[export.pk])).status_code == 404


def test_an_expired_link_answers_410_with_a_plain_page_for_whoever_may_still_have_it(login, parent, child):
    export = ready_export(child=child, person=parent, requested_by=parent)

    with time_machine.travel(export.expires_at + timedelta(seconds=1), tick=False):
        response = login(parent).get(reverse("privacy:download", args=[export.pk]))

    assert response.status_code == 410
    assert b"This download link has expired" in response.content


def test_the_download_link_lasts_subject_access_link_days(
    login, parent, child, settings, django_capture_on_commit_callbacks
):
    settings.SUBJECT_ACCESS_LINK_DAYS = 3
    ask_as_parent(login(parent), child, django_capture_on_commit_callbacks)

    export = SubjectAccessExport.objects.get()
    assert export.expires_at == export.built_at + timedelta(days=3)
    assert (export.progress, export.stage) == (100, "Ready")


def test_a_parents_download_holds_the_meetings_the_key_person_asked_for_and_their_answer(
    login, parent, child, practitioner, django_capture_on_commit_callbacks
):
    from keyworker.meetings.ask_services import ask_to_meet, propose_time

    soon = timezone.now() + timedelta(days=2)
    asked = ask_to_meet(child=child, by=practitioner, reason="How Ava is sleeping", times=[soon])
    propose_time(meeting_request=asked, when=soon + timedelta(days=1), note="Mornings suit us", by=parent)
    client = login(parent)
    ask_as_parent(client, child, django_capture_on_commit_callbacks)

    data = json.loads(downloaded(client, SubjectAccessExport.objects.get()).read("data.json"))

    [row] = data["child"]["meeting_requests"]
    assert (row["reason"], row["proposal_note"]) == ("How Ava is sleeping", "Mornings suit us")
    assert [row["proposal_note"] for row in data["person"]["meeting_times_proposed"]] == ["Mornings suit us"]
