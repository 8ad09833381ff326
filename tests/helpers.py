import re
from urllib.parse import urlparse

from django.core.mail import EmailMessage


def link_path_in(message: EmailMessage) -> str:
    """The path of the first link in an e-mail, to open with the test client."""
    return urlparse(re.search(r"https?://\S+", message.body).group(0)).path
