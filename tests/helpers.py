"""Helpers shared by the tests: reading links out of e-mails, counting queries, making a draft."""

import re
import uuid
from datetime import timedelta
from urllib.parse import urlparse

from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone


def link_path_in(message: EmailMessage) -> str:
    """The path of the first link in an e-mail, to open with the test client."""
    return urlparse(re.search(r"https?://\S+", message.body).group(0)).path


def queries_for(client: Client, url: str) -> int:
    """How many SQL queries a page takes to answer (it must answer 200), with an empty cache (core.caching), so a
    count never depends on what an earlier request left there."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def autosaved_draft(client: Client, child, text: str) -> int:
    """A practitioner's draft about ``child``, observed yesterday, made as the capture page's autosave makes it."""
    data = {
        "client_key": str(uuid.uuid4()),
        "observed_at": f"{timezone.localdate() - timedelta(days=1)}T10:30",
        "children": [child.pk],
        "text": text,
    }
    return client.post(reverse("stories:autosave"), data).json()["id"]
