"""Capturing an observation on a tablet: drafts, photos, consent, submitting and the review queue."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from children.models import ChildAuditEvent, ConsentPurpose
from children.tests.factories import consent
from learning_stories.models import Framework, Observation
from tests.images import camera_jpeg, upload

pytestmark = pytest.mark.django_db


def form_data(children, *, key=None, text="Built a tower of ten blocks.", action="submit", **extra) -> dict:
    framework = Framework.objects.get(is_default=True)
    return {
        "client_key": str(key or uuid.uuid4()),
        # Yesterday morning: an entry may not be dated after today, whenever the suite runs (KEYSTORY_TEST_NOW).
        "observed_at": f"{timezone.localdate() - timedelta(days=1)}T10:30",
        "children": [c.pk for c in children],
        "text": text,
        "areas": [framework.areas.get(code="PD").pk],
        "action": action,
        **extra,
    }


@pytest.fixture
def staff(login, practitioner, child, other_child):
    for kid in (child, other_child):
        consent(kid, ConsentPurpose.PHOTOS_OWN_STORY)
    return login(practitioner)


def test_practitioner_sees_the_children_of_their_room_as_chips(staff, child, other_child):
    page = staff.get(reverse("stories:new")).content.decode()
    assert f'value="{child.pk}"' in page
    assert f'value="{other_child.pk}"' in page
    assert 'capture="environment"' in page


def test_sending_with_review_on_waits_for_a_manager(staff, child, nursery):
    response = staff.post(reverse("stories:new"), form_data([child]))
    observation = Observation.objects.get()
    assert response.status_code == 302
    assert observation.status == Observation.Status.AWAITING_REVIEW
    assert list(observation.children.all()) == [child]
    assert observation.areas.get().code == "PD"
    assert observation.framework.is_default
    assert ChildAuditEvent.objects.filter(child=child, what__contains="sent for review").exists()


def test_sending_when_the_nursery_does_not_review_shares_at_once(staff, child, nursery):
    nursery.observations_need_review = False
    nursery.save()
    staff.post(reverse("stories:new"), form_data([child]))
    assert Observation.objects.get().status == Observation.Status.PUBLISHED


def test_a_double_tap_on_send_creates_one_observation(staff, child):
    data = form_data([child])
    first = staff.post(reverse("stories:new"), data)
    second = staff.post(reverse("stories:new"), data)
    assert Observation.objects.count() == 1
    assert first.url == second.url == reverse("stories:observation", args=[Observation.objects.get().pk])


def test_autosave_keeps_a_draft_and_a_later_send_uses_it(staff, child):
    key = uuid.uuid4()
    answer = staff.post(reverse("stories:autosave"), form_data([child], key=key, text="Half written")).json()
    draft = Observation.objects.get()
    assert answer["ok"]
    assert answer["id"] == draft.pk
    assert draft.status == Observation.Status.DRAFT
    assert draft.text == "Half written"
    staff.post(reverse("stories:new"), form_data([child], key=key, text="Finished"))
    draft.refresh_from_db()
    assert Observation.objects.count() == 1
    assert draft.text == "Finished"
    assert draft.status == Observation.Status.AWAITING_REVIEW


# The night the clocks go back, 01:30 happens at 00:30 UTC (summer time) and again at 01:30 UTC.
@pytest.mark.parametrize("now", [datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)])
def test_in_the_hour_the_clocks_go_back_the_time_the_page_shows_is_saved_as_the_first_of_the_two(staff, child, now):
    with time_machine.travel(now, tick=False):
        page = staff.get(reverse("stories:new")).content.decode()
        answer = staff.post(reverse("stories:autosave"), form_data([child], observed_at="2026-10-25T01:30"))

    assert 'value="2026-10-25T01:30"' in page
    assert answer.json()["ok"]
    assert Observation.objects.get().observed_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_time_the_clocks_skip_is_saved_in_winter_time(staff, child):
    answer = staff.post(reverse("stories:autosave"), form_data([child], observed_at="2027-03-28T01:30"))

    assert answer.json()["ok"]
    assert Observation.objects.get().observed_at == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 02:30 summer time


def test_a_late_autosave_does_not_change_a_sent_observation(staff, child):
    key = uuid.uuid4()
    staff.post(reverse("stories:new"), form_data([child], key=key, text="Sent"))
    staff.post(reverse("stories:autosave"), form_data([child], key=key, text="Stale copy"))
    assert Observation.objects.get().text == "Sent"


def test_someone_elses_draft_key_is_not_found(login, staff, child, manager):
    key = uuid.uuid4()
    staff.post(reverse("stories:autosave"), form_data([child], key=key))
    response = login(manager).post(reverse("stories:autosave"), form_data([child], key=key, text="Mine now"))
    assert response.status_code == 404
    assert Observation.objects.get().text != "Mine now"


def test_next_steps_are_kept_per_child(staff, child, other_child):
    data = form_data([child, other_child], **{f"next_steps_{child.pk}": "Count to twenty"})
    staff.post(reverse("stories:new"), data)
    links = {link.child_id: link.next_steps for link in Observation.objects.get().child_links.all()}
    assert links == {child.pk: "Count to twenty", other_child.pk: ""}


def test_sending_needs_a_child(staff):
    response = staff.post(reverse("stories:new"), form_data([]))
    assert response.status_code == 200
    assert "Choose at least one child" in response.content.decode()
    assert Observation.objects.get().status == Observation.Status.DRAFT  # what was typed is kept


def test_photos_upload_one_by_one_without_exif(staff, child, django_capture_on_commit_callbacks):
    key = uuid.uuid4()
    pk = staff.post(reverse("stories:autosave"), form_data([child], key=key)).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post(reverse("stories:upload_photo", args=[pk]), {"photo": upload(camera_jpeg())}).json()
    photo = Observation.objects.get().photos.get()
    assert answer["ok"]
    assert answer["id"] == photo.pk
    assert list(photo.children.all()) == [child]  # who is in it defaults to the tagged children
    assert photo.thumbnail  # made by the Celery task (in-process in tests)
    with photo.image.open("rb") as stored:
        assert b"Exif" not in stored.read()


def test_a_file_that_is_not_a_photo_gets_a_clear_message_and_keeps_the_draft(staff, child):
    key = uuid.uuid4()
    pk = staff.post(reverse("stories:autosave"), form_data([child], key=key, text="Kept")).json()["id"]
    response = staff.post(
        reverse("stories:upload_photo", args=[pk]), {"photo": upload(b"%PDF-1.4 not a photo", name="photo.jpg")}
    )
    assert response.status_code == 400
    assert "not a photo" in response.json()["error"]
    assert Observation.objects.get().text == "Kept"


def test_photos_sent_with_the_form_work_without_javascript(staff, child):
    staff.post(reverse("stories:new"), {**form_data([child]), "photos": [upload(camera_jpeg()), upload(camera_jpeg())]})
    assert Observation.objects.get().photos.count() == 2


def test_a_child_without_photo_consent_cannot_be_in_a_photo(staff, child, other_child):
    consent(other_child, ConsentPurpose.PHOTOS_OWN_STORY, granted=False)
    key = uuid.uuid4()
    pk = staff.post(reverse("stories:autosave"), form_data([child, other_child], key=key)).json()["id"]
    staff.post(reverse("stories:upload_photo", args=[pk]), {"photo": upload(camera_jpeg())})
    page = staff.get(reverse("stories:edit", args=[pk])).content.decode()
    assert "no consent for photos" in page  # warned while tagging

    response = staff.post(reverse("stories:edit", args=[pk]), form_data([child, other_child], key=key))
    assert "has not agreed to photos" in response.content.decode()
    assert Observation.objects.get().status == Observation.Status.DRAFT


def test_unticking_the_child_without_consent_lets_the_photo_go(staff, child, other_child):
    consent(other_child, ConsentPurpose.PHOTOS_OWN_STORY, granted=False)
    key = uuid.uuid4()
    pk = staff.post(reverse("stories:autosave"), form_data([child, other_child], key=key)).json()["id"]
    staff.post(reverse("stories:upload_photo", args=[pk]), {"photo": upload(camera_jpeg())})
    photo = Observation.objects.get().photos.get()
    data = form_data(
        [child, other_child], key=key, **{f"photo_{photo.pk}_shown": "1", f"photo_{photo.pk}_children": [child.pk]}
    )
    staff.post(reverse("stories:edit", args=[pk]), data)
    assert Observation.objects.get().status == Observation.Status.AWAITING_REVIEW
    assert list(photo.children.all()) == [child]


def test_staff_are_warned_when_the_text_names_another_child(staff, child, other_child):
    answer = staff.post(
        reverse("stories:autosave"), form_data([child, other_child], text="Ava and Zara shared the spade.")
    ).json()
    assert set(answer["mentioned"]) == {"Ava", "Zara"}


def test_manager_publishes_or_returns_from_the_queue(staff, login, manager, child):
    staff.post(reverse("stories:new"), form_data([child]))
    staff.post(reverse("stories:new"), form_data([child], text="Second"))
    first, second = Observation.objects.order_by("pk")
    boss = login(manager)
    assert boss.get(reverse("stories:review_queue")).content.decode().count("Publish to the family") == 2
    boss.post(reverse("stories:publish", args=[first.pk]))
    boss.post(reverse("stories:return", args=[second.pk]), {"comment": "Add a next step please"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Observation.Status.PUBLISHED
    assert first.reviewed_by == manager
    assert second.status == Observation.Status.RETURNED
    assert second.review_comment == "Add a next step please"
    assert "Add a next step please" in staff.get(reverse("stories:edit", args=[second.pk])).content.decode()


def test_a_manager_can_turn_review_off(login, manager, nursery):
    login(manager).post(reverse("stories:review_settings"), {})
    nursery.refresh_from_db()
    assert nursery.observations_need_review is False


def test_a_staff_only_observation_is_kept_from_families_without_waiting_for_review(staff, child, nursery):
    response = staff.post(reverse("stories:new"), form_data([child], staff_only="on"), follow=True)
    observation = Observation.objects.get()
    assert observation.status == Observation.Status.PUBLISHED
    assert observation.staff_only
    assert "for staff only" in response.content.decode()


def test_an_oversized_photo_is_refused_with_the_limit_and_the_draft_kept(staff, child, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1024
    pk = staff.post(reverse("stories:autosave"), form_data([child], text="Still here")).json()["id"]
    response = staff.post(reverse("stories:upload_photo", args=[pk]), {"photo": upload(camera_jpeg(width=900))})
    assert response.status_code == 400
    assert "too large" in response.json()["error"]
    assert Observation.objects.get().text == "Still here"


def test_the_capture_page_suggests_statements_for_each_tagged_childs_age(staff, child):
    pk = staff.post(reverse("stories:autosave"), form_data([child])).json()["id"]
    page = staff.get(reverse("stories:edit", args=[pk])).content.decode()
    assert f"Typical for {child.known_as}'s age" in page


def test_children_of_the_practitioners_room_come_first(staff, nursery, child):
    from children.tests.factories import ChildFactory
    from nursery.tests.factories import RoomFactory

    elsewhere = ChildFactory(nursery=nursery, room=RoomFactory(nursery=nursery, name="Rainbows"), first_name="Aaron")
    context = staff.get(reverse("stories:new")).context
    room_children = [offered.child for offered in context["room_children"]]
    assert child in room_children
    assert elsewhere not in room_children
    others = staff.get(context["others_url"]).context["children"]  # fetched when "Children in other rooms" opens
    assert [offered.child for offered in others] == [elsewhere]


def test_a_manager_cannot_publish_a_photo_of_a_child_whose_consent_was_withdrawn(staff, login, manager, child):
    pk = staff.post(reverse("stories:autosave"), form_data([child])).json()["id"]
    staff.post(reverse("stories:upload_photo", args=[pk]), {"photo": upload(camera_jpeg())})
    staff.post(reverse("stories:edit", args=[pk]), form_data([child], key=Observation.objects.get().client_key))
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY, granted=False)
    response = login(manager).post(reverse("stories:publish", args=[pk]), follow=True)
    assert "has not agreed to photos" in response.content.decode()
    assert Observation.objects.get().status == Observation.Status.AWAITING_REVIEW
