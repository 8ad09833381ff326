"""The learning story as each person sees it: names, photos, comments, home contributions and the chart."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import ConsentPurpose, Guardianship
from children.tests.factories import GuardianshipFactory, consent
from learning_stories.models import Area, Comment, Observation
from tests.images import camera_jpeg, upload

from .factories import ObservationFactory, ObservationPhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(nursery, practitioner, child, other_child):
    """A published observation of Ava and Zara with one photo of both."""
    entry = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child, other_child], text="Ava and Zara built a den."
    )
    entry.photo = ObservationPhotoFactory(observation=entry, children=[child, other_child])
    return entry


def test_parent_sees_their_own_child_by_name_and_the_other_as_a_friend(login, parent, child, group):
    page = login(parent).get(reverse("stories:story", args=[child.pk])).content.decode()
    assert "Ava, a friend" in page
    assert "Zara" not in page
    assert "Ava and a friend built a den." in page


def test_a_name_starting_a_sentence_becomes_a_friend_with_a_capital(login, other_parent, other_child, group):
    page = login(other_parent).get(reverse("stories:story", args=[other_child.pk])).content.decode()
    assert "A friend and Zara built a den." in page


def test_staff_see_every_name(login, practitioner, child, group):
    page = login(practitioner).get(reverse("stories:story", args=[child.pk])).content.decode()
    assert "Ava, Zara" in page


def test_a_photo_with_a_child_not_consenting_to_other_stories_is_hidden_from_other_families(
    login, parent, other_parent, child, other_child, group
):
    consent(child, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    photo_url = reverse("stories:photo", args=[group.photo.pk])
    ava_family = login(parent)
    assert photo_url not in ava_family.get(reverse("stories:story", args=[child.pk])).content.decode()
    assert ava_family.get(photo_url).status_code == 404
    # Ava's family consented to appearing in others' stories, so Zara's family sees it.
    zara_family = login(other_parent)
    assert photo_url in zara_family.get(reverse("stories:story", args=[other_child.pk])).content.decode()
    assert zara_family.get(photo_url).status_code == 200


def test_a_photo_is_shown_once_every_other_child_in_it_consented(login, parent, child, other_child, group):
    consent(other_child, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    response = login(parent).get(reverse("stories:photo", args=[group.photo.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_a_family_never_sees_a_photo_of_an_entry_not_about_their_child(login, other_parent, nursery, child):
    entry = ObservationFactory(nursery=nursery, children=[child])
    photo = ObservationPhotoFactory(observation=entry, children=[child])
    client = login(other_parent)
    assert client.get(reverse("stories:photo", args=[photo.pk])).status_code == 404
    assert client.get(reverse("stories:observation", args=[entry.pk])).status_code == 404
    assert client.get(reverse("stories:story", args=[child.pk])).status_code == 404


def test_drafts_and_staff_only_entries_are_for_staff(login, parent, practitioner, nursery, child):
    ObservationFactory(nursery=nursery, children=[child], text="Draft words", status=Observation.Status.DRAFT)
    ObservationFactory(nursery=nursery, children=[child], text="Private words", staff_only=True)
    ObservationFactory(nursery=nursery, children=[child], text="Waiting words", status="awaiting_review")
    family = login(parent).get(reverse("stories:story", args=[child.pk])).content.decode()
    staff = login(practitioner).get(reverse("stories:story", args=[child.pk])).content.decode()
    for words in ("Draft words", "Private words", "Waiting words"):
        assert words not in family
        assert words in staff


def test_a_parent_whose_link_hides_the_story_cannot_open_it(login, parent, child, group):
    Guardianship.objects.filter(user=parent).update(can_view_story=False)
    client = login(parent)
    assert client.get(reverse("stories:story", args=[child.pk])).status_code == 404
    assert client.get(reverse("stories:observation", args=[group.pk])).status_code == 404


def test_the_story_filters_by_area_and_date(login, practitioner, nursery, child):
    maths = Area.objects.get(framework__is_default=True, code="M")
    counting = ObservationFactory(nursery=nursery, children=[child], text="Counted the ducks")
    counting.areas.add(maths)
    ObservationFactory(nursery=nursery, children=[child], text="Ran to the gate")
    ObservationFactory(
        nursery=nursery, children=[child], text="Long ago", observed_at=timezone.now() - timedelta(days=400)
    )
    client = login(practitioner)
    url = reverse("stories:story", args=[child.pk])
    by_area = client.get(url, {"area": maths.pk}).content.decode()
    assert "Counted the ducks" in by_area
    assert "Ran to the gate" not in by_area
    recent = client.get(url, {"since": (timezone.localdate() - timedelta(days=30)).isoformat()}).content.decode()
    assert "Ran to the gate" in recent
    assert "Long ago" not in recent


def test_the_area_chart_counts_entries_per_area_and_shows_gaps(login, practitioner, nursery, child):
    maths = Area.objects.get(framework__is_default=True, code="M")
    for days in (10, 100, 300):
        entry = ObservationFactory(nursery=nursery, children=[child], observed_at=timezone.now() - timedelta(days=days))
        entry.areas.add(maths)
    client = login(practitioner)
    url = reverse("stories:story", args=[child.pk])
    three = client.get(url, {"window": 3}).context["balance"]
    twelve = client.get(url, {"window": 12}).context["balance"]
    assert {row["area"].code: row["count"] for row in three}["M"] == 1
    assert {row["area"].code: row["count"] for row in twelve}["M"] == 3
    assert len(twelve) == 7
    assert "gap" in client.get(url).content.decode()


def test_the_story_is_paginated(login, practitioner, nursery, child):
    for number in range(25):
        ObservationFactory(nursery=nursery, children=[child], text=f"Entry number {number}")
    client = login(practitioner)
    url = reverse("stories:story", args=[child.pk])
    assert len(client.get(url).context["entries"]) == 20
    assert len(client.get(url, {"page": 2}).context["entries"]) == 5


def test_parent_comments_on_their_childs_entry_and_the_other_family_does_not_see_it(
    login, parent, other_parent, child, other_child, group
):
    login(parent).post(reverse("stories:comment", args=[group.pk]), {"child": child.pk, "text": "She loved it!"})
    assert Comment.objects.get().child == child
    page = login(other_parent).get(reverse("stories:observation", args=[group.pk])).content.decode()
    assert "She loved it!" not in page


def test_parent_cannot_comment_about_another_familys_child(login, parent, other_child, group):
    response = login(parent).post(
        reverse("stories:comment", args=[group.pk]), {"child": other_child.pk, "text": "Hello"}
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_parent_cannot_comment_about_their_other_child_on_an_entry_not_about_them(login, parent, nursery, child, group):
    from children.tests.factories import ChildFactory

    sibling = ChildFactory(nursery=nursery, first_name="Leo")
    GuardianshipFactory(child=sibling, user=parent)
    response = login(parent).post(reverse("stories:comment", args=[group.pk]), {"child": sibling.pk, "text": "Hi"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_a_parent_without_the_right_to_contribute_cannot_comment(login, parent, child, group):
    Guardianship.objects.filter(user=parent).update(can_contribute=False)
    response = login(parent).post(reverse("stories:comment", args=[group.pk]), {"child": child.pk, "text": "Hi"})
    assert response.status_code == 404


def test_parent_adds_a_home_observation_seen_by_staff_and_their_own_family_only(
    login, parent, practitioner, other_parent, child
):
    GuardianshipFactory(child=child, relationship="grandparent")
    response = login(parent).post(
        reverse("stories:add_home", args=[child.pk]),
        {"text": "Made pancakes with Grandad", "observed_on": "2026-11-22", "photos": [upload(camera_jpeg())]},
    )
    assert response.status_code == 302
    entry = Observation.objects.get()
    assert entry.is_home
    assert entry.status == Observation.Status.PUBLISHED
    assert entry.read_at is None
    assert list(entry.photos.get().children.all()) == [child]
    assert "pancakes" in login(practitioner).get(reverse("stories:story", args=[child.pk])).content.decode()
    assert login(other_parent).get(reverse("stories:observation", args=[entry.pk])).status_code == 404


def test_a_rejected_home_photo_keeps_the_words(login, parent, child):
    response = login(parent).post(
        reverse("stories:add_home", args=[child.pk]),
        {"text": "Painted a rainbow", "observed_on": "2026-11-22", "photos": [upload(b"GIF89a nope", name="a.jpg")]},
    )
    assert response.status_code == 200
    assert "Painted a rainbow" in response.content.decode()
    assert not Observation.objects.exists()


def test_key_person_tags_a_home_contribution_and_it_counts_as_read(login, practitioner, parent, child):
    login(parent).post(reverse("stories:add_home", args=[child.pk]), {"text": "Jumped", "observed_on": "2026-11-22"})
    entry = Observation.objects.get()
    physical = Area.objects.get(framework__is_default=True, code="PD")
    login(practitioner).post(reverse("stories:tag", args=[entry.pk]), {"areas": [physical.pk]})
    entry.refresh_from_db()
    assert list(entry.areas.all()) == [physical]
    assert entry.read_at is not None


def test_the_child_page_shows_the_latest_entries_and_links_to_the_story(login, parent, child, group):
    page = login(parent).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert reverse("stories:story", args=[child.pk]) in page
    assert "Ava and a friend built a den." in page


def test_opening_a_full_photo_is_written_to_the_childs_record_history(login, parent, child, other_child, group):
    from children.models import ChildAuditEvent

    consent(other_child, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    login(parent).get(reverse("stories:photo", args=[group.photo.pk]))
    assert ChildAuditEvent.objects.filter(child=child, actor=parent, what=f"Photo {group.photo.pk}").exists()
    assert not ChildAuditEvent.objects.filter(child=other_child, actor=parent).exists()


def test_the_manager_checking_an_entry_sees_who_is_in_each_photo_and_who_is_only_shared_with_family(
    login, manager, child, other_child, group
):
    group.status = Observation.Status.AWAITING_REVIEW
    group.save()
    consent(child, ConsentPurpose.PHOTOS_OTHERS_STORIES)

    page = login(manager).get(reverse("stories:review_queue")).content.decode()

    assert "In it: Ava, Zara <span" in page
    assert page.count("(only their own family sees it)") == 1


def test_a_family_never_reads_another_childs_name_typed_into_an_entry_they_are_not_tagged_in(
    login, nursery, practitioner, parent, child, other_child
):
    ObservationFactory(
        nursery=nursery,
        author=practitioner,
        children=[child],
        text=f"Ava explained the magnets to {other_child.first_name}.",
    )
    page = login(parent).get(reverse("stories:story", args=[child.pk])).content.decode()
    assert "Ava explained the magnets to a friend." in page
    assert other_child.first_name not in page


# The nursery's children's names and the framework's areas are cached between requests (core.caching).


def test_a_child_renamed_after_a_family_read_the_story_is_still_a_friend_to_them(
    login, nursery, practitioner, parent, child, other_child
):
    ObservationFactory(nursery=nursery, author=practitioner, children=[child], text="Ava showed Bilal the magnets.")
    client = login(parent)
    client.get(reverse("stories:story", args=[child.pk]))  # the names are read, and cached
    other_child.first_name = "Bilal"
    other_child.save()
    page = client.get(reverse("stories:story", args=[child.pk])).content.decode()
    assert "Ava showed a friend the magnets." in page
    assert "Bilal" not in page


def test_cached_names_are_redacted_for_each_family_by_their_own_children(
    login, manager, parent, other_parent, child, other_child, group
):
    ava, zara = reverse("stories:story", args=[child.pk]), reverse("stories:story", args=[other_child.pk])
    assert "Ava and a friend built a den." in login(parent).get(ava).content.decode()
    assert "A friend and Zara built a den." in login(other_parent).get(zara).content.decode()
    assert "Ava and Zara built a den." in login(manager).get(ava).content.decode()
    assert "Ava and a friend built a den." in login(parent).get(ava).content.decode()


def test_a_renamed_area_and_a_newly_chosen_framework_are_read_at_once(nursery):
    from learning_stories.framework.selectors import current_framework_for, framework_areas
    from learning_stories.models import Framework, NurseryFramework

    framework = current_framework_for(nursery)
    assert framework_areas(framework)  # read, and cached
    area = Area.objects.get(framework=framework, code="PD")
    area.name = "Moving and being healthy"
    area.save()
    assert "Moving and being healthy" in [area.name for area in framework_areas(framework)]
    other = Framework.objects.exclude(pk=framework.pk).first()
    NurseryFramework.objects.create(nursery=nursery, framework=other)
    assert current_framework_for(nursery) == other
