"""The notices families receive about new entries in their children's stories: straight away, in a daily
digest, or not at all."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Guardianship
from core.mail import send_templated
from core.queue import enqueue

from .models import EntryNotice, NotificationPreference, Observation


def frequency_of(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.frequency if preference else NotificationPreference.Frequency.DAILY


def set_notification_frequency(*, user: User, frequency: str) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(user=user, defaults={"frequency": frequency})
    return preference


def notify_families(*, observation: Observation) -> None:
    """Note who should hear of a newly shared entry; e-mail at once those who asked for it."""
    if observation.staff_only or observation.status != Observation.Status.PUBLISHED or observation.is_home:
        return
    links = list(Guardianship.objects.filter(child__observation_links__observation=observation, can_view_story=True))
    chosen = dict(  # only these families' choices; without one, a family gets the daily digest
        NotificationPreference.objects.filter(user_id__in={link.user_id for link in links}).values_list(
            "user_id", "frequency"
        )
    )
    from .tasks import send_entry_notices

    for link in links:
        frequency = chosen.get(link.user_id, NotificationPreference.Frequency.DAILY)
        if frequency == NotificationPreference.Frequency.OFF:
            continue
        _, created = EntryNotice.objects.get_or_create(
            recipient_id=link.user_id, observation=observation, defaults={"child_id": link.child_id}
        )
        if created and frequency == NotificationPreference.Frequency.IMMEDIATE:
            enqueue(send_entry_notices, link.user_id)


def send_notices(*, recipient_id: int, frequency: str) -> int:
    """E-mail one person their unsent notices (one entry, or a digest). Returns how many entries were sent.

    Notices are claimed before the e-mail goes and released if it fails, so two workers never send
    the same entry and a failure leaves it for the next run.
    """
    with transaction.atomic():
        pending = list(
            EntryNotice.objects.select_for_update()
            .filter(recipient_id=recipient_id, sent_at__isnull=True)
            .select_related("recipient", "child", "observation")
        )
        if not pending or frequency_of(pending[0].recipient) != frequency:
            return 0
        now = timezone.now()
        EntryNotice.objects.filter(pk__in=[n.pk for n in pending], sent_at__isnull=True).update(sent_at=now)
    recipient = pending[0].recipient
    context = {
        "recipient": recipient,
        "notices": pending,
        "links": [
            (n, f"{settings.SITE_URL}{reverse('stories:observation', args=[n.observation_id])}") for n in pending
        ],
        "digest": frequency == NotificationPreference.Frequency.DAILY,
    }
    try:
        send_templated("learning_stories/email/new_entries", context, [recipient.email])
    except OSError:
        EntryNotice.objects.filter(pk__in=[n.pk for n in pending]).update(sent_at=None)
        raise
    if context["digest"]:
        NotificationPreference.objects.update_or_create(user=recipient, defaults={"last_digest_at": now})
    return len(pending)


def recipients_waiting(frequency: str) -> list[int]:
    """People with unsent notices who chose this frequency (daily is also the default).

    Daily: only people whose last digest is more than 20 hours old, so running the job often is harmless.
    """
    waiting = EntryNotice.objects.filter(sent_at__isnull=True)
    if frequency == NotificationPreference.Frequency.DAILY:
        recent = timezone.now() - timedelta(hours=20)
        waiting = waiting.exclude(
            recipient_id__in=NotificationPreference.objects.filter(
                ~Q(frequency=frequency) | Q(last_digest_at__gt=recent)
            ).values("user_id")
        )
    else:
        waiting = waiting.filter(
            recipient_id__in=NotificationPreference.objects.filter(frequency=frequency).values("user_id")
        )
    return sorted(set(waiting.values_list("recipient_id", flat=True)))
