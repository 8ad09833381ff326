"""Enqueue Celery tasks after the surrounding transaction commits, never losing the request.

The row a task works on is always saved first; if the broker is unreachable the request still
succeeds, the caller can say so, and a periodic sweep sends the work later.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn

from celery import Task
from celery.utils.time import get_exponential_backoff_interval
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


@dataclass
class Dispatch:
    """What became of one enqueue: ``queued`` is None until the transaction commits."""

    queued: bool | None = None


def enqueue(task: Task, *args: Any) -> Dispatch:
    """Send ``task`` with ``args`` (ids only) once the current transaction commits."""
    dispatch = Dispatch()

    def send() -> None:
        try:
            task.delay(*args)
        except OperationalError:
            logger.warning("Broker unreachable; %s%r left for the sweep", task.name, args)
            dispatch.queued = False
        else:
            dispatch.queued = True

    transaction.on_commit(send)
    return dispatch


def all_of(dispatches: Iterable[Dispatch]) -> Dispatch:
    """Several enqueues as one, read once they have settled: not queued if any one of them was not."""
    return Dispatch(queued=all(d.queued is not False for d in dispatches))


def retry_later(task: Task, exc: OSError) -> NoReturn:
    """Storage or another service is unreachable. On a worker, try again with backoff; in-process (no
    worker), fail at once so the web request is not held retrying: the task's sweep runs it later."""
    if task.request.is_eager:
        raise exc
    countdown = get_exponential_backoff_interval(30, task.request.retries, 1800, full_jitter=True)
    raise task.retry(exc=exc, countdown=countdown) from exc
