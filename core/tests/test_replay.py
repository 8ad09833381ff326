"""Requests from the tablet's offline outbox are carried out once per key, even when two arrive at once."""

import json
import uuid

import pytest
from django.test import RequestFactory

from core import replay
from core.models import ClientRequest

pytestmark = pytest.mark.django_db


def outbox_request(user, key, author=None):
    request = RequestFactory().post(
        "/", {"client_key": str(key)}, headers={"X-KeyStory-Outbox": "1", "X-KeyStory-Author": str(author or user.pk)}
    )
    request.user = user
    return request


def test_the_same_key_arriving_twice_at_once_is_carried_out_by_one_request(practitioner):
    key = uuid.uuid4()
    made = []

    def work():
        made.append("entry")
        # Meanwhile the same request, sent again, finished first.
        ClientRequest.objects.create(key=key, user=practitioner, done="Lunch: Ava")
        return "Lunch: Ava", ""

    answer = replay.once(outbox_request(practitioner, key), work)

    assert json.loads(answer.content) == {"ok": True, "done": "", "again": True}
    assert made == ["entry"]
    assert not ClientRequest.objects.filter(key=key).exists()  # this request's work was rolled back with it


def test_a_refusal_keeps_no_key_so_a_later_retry_may_succeed(practitioner):
    key = uuid.uuid4()

    answer = replay.once(outbox_request(practitioner, key), lambda: ("", "Ava is not signed in."))

    assert answer.status_code == 422
    assert json.loads(answer.content)["errors"] == ["Ava is not signed in."]
    assert not ClientRequest.objects.exists()


def test_another_persons_key_is_not_found(practitioner, manager):
    key = uuid.uuid4()
    ClientRequest.objects.create(key=key, user=manager, done="Lunch: Ava")

    answer = replay.once(outbox_request(practitioner, key), lambda: ("Lunch: Ava", ""))

    assert answer.status_code == 404
