"""Clips on a real Celery worker and Redis (CI sets REDIS_URL): the upload answers first, the worker prepares."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from learning_stories.models import ObservationClip
from tests.media import clip_upload, described, phone_video

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_prepares_a_familys_video_after_the_upload_answers(login, parent, child, celery_worker):
    response = login(parent).post(
        reverse("stories:add_home", args=[child.pk]),
        {
            "text": "Rolling down the hill",
            "observed_on": str(timezone.localdate()),
            "clips": [clip_upload(phone_video(3))],
        },
    )
    assert response.status_code == 302

    deadline = time.monotonic() + 90
    clip = ObservationClip.objects.get()
    while not clip.media and time.monotonic() < deadline:
        time.sleep(0.3)
        clip.refresh_from_db()

    assert clip.media, "the worker did not publish the clip"
    assert not clip.original
    with clip.media.open("rb") as file:
        assert "Video: h264" in described(file.read())
