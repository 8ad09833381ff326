"""Family e-mails other than the daily feedback and the story: one switch per family member and child.

Every app that e-mails a family about a child (a new key person, a meeting, a progress check, a room move,
the leaver pack) sends only to ``news_recipients(child)`` and passes ``news_unsubscribe_url(link)`` to
``queue_mail``, so each of those e-mails carries a one-click "stop these e-mails" (RFC 8058) that turns the switch off.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.urls import reverse

from core.mail_unsubscribe import EmailSetting, Subscription, unsubscribe_url

from .models import Child, Guardianship
from .services import set_news_by_email


def _family_news(user: AbstractBaseUser, child_id: int | None) -> Subscription | None:
    link = Guardianship.objects.filter(user=user, child_id=child_id).select_related("child").first()
    if link is None:
        return None
    return Subscription(
        what=(
            f"e-mails about {link.child.known_as}'s key person, meetings, progress checks, room moves "
            "and the leaver pack"
        ),
        on=link.news_by_email,
        turn_off=lambda: set_news_by_email(guardianship=link, on=False),
        settings_url=reverse("children:my_details"),
    )


NEWS_EMAILS = EmailSetting(kind="news", url_name="children:news_email_off", find=_family_news)


def news_recipients(child: Child, **only) -> QuerySet[Guardianship]:
    """The child's family members who still want these e-mails (``only``: further filters on the link)."""
    return child.guardianships.filter(news_by_email=True, user__is_active=True, **only).select_related("user")


def news_unsubscribe_url(link: Guardianship) -> str:
    return unsubscribe_url(NEWS_EMAILS, link.user, link.child_id)
