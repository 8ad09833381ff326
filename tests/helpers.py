"""Helpers shared by the cross-app tests: reading links out of e-mails and counting queries."""

import re
from urllib.parse import urlparse

from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


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
