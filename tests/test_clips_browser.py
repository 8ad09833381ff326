"""A family shares a video from home on a phone and plays it back in their child's story."""

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD
from learning_stories.models import ObservationClip
from tests.browser import log_in
from tests.media import phone_video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_adds_a_video_on_a_phone_and_it_plays_in_the_story(live_server, phone, parent, child):
    parent.set_password(DEMO_PASSWORD)
    parent.save()
    page = phone
    log_in(page, live_server.url, parent.email)
    page.goto(f"{live_server.url}/stories/children/{child.pk}/add/")
    page.get_by_label("What happened at home?").fill("Splashing in the paddling pool")
    page.get_by_label("Videos or sound recordings (optional)").set_input_files(
        [{"name": "IMG_0042.MOV", "mimeType": "video/quicktime", "buffer": phone_video(seconds=4)}]
    )
    page.get_by_role("button", name="Add to the story").click()
    expect(page.get_by_text("Added to Ava's story.")).to_be_visible()
    assert ObservationClip.objects.get().is_ready  # no worker here: prepared in-process at commit

    page.reload()  # the story as it is now
    video = page.locator("video.story-clip-video")
    expect(video).to_have_count(1)
    assert video.get_attribute("playsinline") is not None
    assert video.get_attribute("preload") == "metadata"
    page.wait_for_function("document.querySelector('video.story-clip-video').readyState >= 1", timeout=20000)
    duration = video.evaluate("element => element.duration")
    assert 3.5 < duration < 4.5
    width = video.evaluate("element => element.getBoundingClientRect().width")
    assert 0 < width <= 375  # fits the phone's screen
    assert not page.problems
