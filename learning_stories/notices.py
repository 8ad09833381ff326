"""The e-mails families get about new entries in their children's stories: one per entry straight away, a
daily digest, or none. Both go through the outbox (``core.outbox``), keyed so that nobody is told twice."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Guardianship
from core.mail_unsubscribe import EmailSetting, Subscription, unsubscribe_url
from core.outbox import mail_status, queue_mail
from core.queue import Dispatch

from .models import EntryNotice, NotificationPreference, Observation

TEMPLATE = "learning_stories/email/new_entries"
Frequency = NotificationPreference.Frequency


def frequency_of(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.frequency if preference else Frequency.DAILY


def set_notification_frequency(*, user: User, frequency: str) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(user=user, defaults={"frequency": frequency})
    return preference


def _story_emails(user: User, target: int | None) -> Subscription:
    return Subscription(
        what="e-mails about new entries in your children's learning stories",
        on=frequency_of(user) != Frequency.OFF,
        turn_off=lambda: set_notification_frequency(user=user, frequency=Frequency.OFF),
        settings_url=reverse("stories:notifications"),
    )


# The one-click "stop these e-mails" of every story e-mail turns them off ("No e-mails").
STORY_EMAILS = EmailSetting(kind="story", url_name="stories:email_off", find=_story_emails)


def _queue(recipient: User, notices: list[EntryNotice], *, key: str, digest: bool) -> Dispatch:
    links = [(n, f"{settings.SITE_URL}{reverse('stories:observation', args=[n.observation_id])}") for n in notices]
    return queue_mail(
        key=key,
        kind="Learning story: daily digest" if digest else "Learning story: new entry",
        to=recipient,
        template=TEMPLATE,
        context={"recipient": recipient, "notices": notices, "links": links, "digest": digest},
        nursery_id=notices[0].observation.nursery_id,
        unsubscribe_url=unsubscribe_url(STORY_EMAILS, recipient),
    )


def notify_families(*, observation: Observation) -> None:
    """Note who should hear of a newly shared entry, in the transaction that shares it; queue the e-mail
    at once for those who asked for it (key ``entry:<observation>:<user>``). The rest wait for the digest."""
    if observation.staff_only or observation.status != Observation.Status.PUBLISHED or observation.is_home:
        return
    links = list(
        Guardianship.objects.filter(
            child__observation_links__observation=observation, can_view_story=True
        ).select_related("user", "child")
    )
    chosen = dict(  # only these families' choices; without one, a family gets the daily digest
        NotificationPreference.objects.filter(user_id__in={link.user_id for link in links}).values_list(
            "user_id", "frequency"
        )
    )
    for link in links:
        frequency = chosen.get(link.user_id, Frequency.DAILY)
        if frequency == Frequency.OFF:
            continue
        key = f"entry:{observation.pk}:{link.user_id}" if frequency == Frequency.IMMEDIATE else ""
        notice, created = EntryNotice.objects.get_or_create(
            recipient=link.user, observation=observation, defaults={"child": link.child, "mail_key": key}
        )
        if created and key:
            _queue(link.user, [notice], key=key, digest=False)


def queue_daily_digests(*, day: date | None = None) -> int:
    """Queue one e-mail per family member with the entries waiting for them: those who chose the daily
    digest (the default), and any left waiting when someone switched to "straight away". Returns how many
    entries went into digests.

    One digest per person per day (key ``digest:<user>:<day>``), so running the job again, or from cron
    as well as beat, sends nothing twice; an entry shared after today's digest waits for tomorrow's.
    """
    day = day or timezone.localdate()
    waiting = EntryNotice.objects.filter(mail_key="").exclude(recipient__story_notices__frequency=Frequency.OFF)
    recipients = sorted(set(waiting.values_list("recipient_id", flat=True)))
    return sum(_queue_digest(recipient_id, day) for recipient_id in recipients)


@transaction.atomic
def _queue_digest(recipient_id: int, day: date) -> int:
    key = f"digest:{recipient_id}:{day.isoformat()}"
    notices = list(
        EntryNotice.objects.select_for_update(of=("self",))  # a racing run waits here, then finds the key
        .filter(recipient_id=recipient_id, mail_key="")
        .select_related("recipient", "child", "observation")
        .order_by("created_at", "pk")
    )
    if not notices or mail_status(key=key) is not None:
        return 0  # nothing waiting, or today's digest has gone: what came since waits for tomorrow's
    _queue(notices[0].recipient, notices, key=key, digest=True)
    EntryNotice.objects.filter(pk__in=[n.pk for n in notices]).update(mail_key=key)
    return len(notices)
