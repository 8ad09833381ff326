"""E-mails telling a family of a message from the nursery or an announcement: straight away, in a daily
digest, or not at all, as each family member chose. Through the outbox (``core.outbox``), keyed so nobody is
told twice.

The e-mail never carries the message itself, only who wrote, about which child and a link: e-mail is less
private than KeyStory (forwarded, read on a shared screen, kept by the mail provider) and messages often hold
health or family details. An announcement's title is in the e-mail, its text is not (it may name plans).
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Child
from core.mail_unsubscribe import EmailSetting, Subscription, unsubscribe_url
from core.outbox import mail_status, queue_mail

from .models import Announcement, AnnouncementReceipt, EmailChoice, MailNotice, Message, ReadMark

NOTICE = "messaging/email/new_message"
DIGEST = "messaging/email/messages_digest"
Frequency = EmailChoice.Frequency


def _frequency(user: User) -> str:
    choice = EmailChoice.objects.filter(user=user).first()
    return choice.frequency if choice else Frequency.IMMEDIATE


def _turn_off(user: User) -> None:
    EmailChoice.objects.update_or_create(user=user, defaults={"frequency": Frequency.OFF})


def _message_emails(user: User, target: int | None) -> Subscription:
    return Subscription(
        what="e-mails about messages and announcements from the nursery",
        on=_frequency(user) != Frequency.OFF,
        turn_off=lambda: _turn_off(user),
        settings_url=reverse("messaging:email_preference"),
    )


MESSAGE_EMAILS = EmailSetting(kind="messages", url_name="messaging:email_off", find=_message_emails)


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _choices(user_ids: list[int]) -> dict[int, str]:
    return dict(EmailChoice.objects.filter(user_id__in=user_ids).values_list("user_id", "frequency"))


def _queue_notice(recipient: User, *, key: str, nursery_id: int, context: dict) -> None:
    queue_mail(
        key=key,
        kind="Messages: new message or announcement",
        to=recipient,
        template=NOTICE,
        context={"recipient": recipient, **context},
        nursery_id=nursery_id,
        unsubscribe_url=unsubscribe_url(MESSAGE_EMAILS, recipient),
    )


def notify_family_of_message(*, message: Message, child: Child) -> None:
    """In the transaction that sends it: e-mail the child's family members who chose "straight away" (key
    ``message:<message>:<user>``), note it for those on the daily digest."""
    from .selectors import family_members_for

    links = list(family_members_for(child))
    chosen = _choices([link.user_id for link in links])
    for link in links:
        frequency = chosen.get(link.user_id, Frequency.IMMEDIATE)
        if frequency == Frequency.OFF:
            continue
        key = f"message:{message.pk}:{link.user_id}" if frequency == Frequency.IMMEDIATE else ""
        MailNotice.objects.create(recipient=link.user, message=message, nursery_id=child.nursery_id, mail_key=key)
        if key:
            _queue_notice(
                link.user,
                key=key,
                nursery_id=child.nursery_id,
                context={
                    "message": message,
                    "child": child,
                    "author": message.author,
                    "link": _link(reverse("messaging:conversation", args=[child.pk])),
                },
            )


def notify_families_of_announcement(*, announcement: Announcement, user_ids: list[int]) -> None:
    chosen = _choices(user_ids)
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids)}
    for user_id in user_ids:
        frequency = chosen.get(user_id, Frequency.IMMEDIATE)
        if frequency == Frequency.OFF:
            continue
        key = f"announcement:{announcement.pk}:{user_id}" if frequency == Frequency.IMMEDIATE else ""
        MailNotice.objects.create(
            recipient_id=user_id, announcement=announcement, nursery_id=announcement.nursery_id, mail_key=key
        )
        if key:
            _queue_notice(
                users[user_id],
                key=key,
                nursery_id=announcement.nursery_id,
                context={
                    "announcement": announcement,
                    "link": _link(reverse("messaging:announcement", args=[announcement.pk])),
                },
            )


def queue_daily_digests(*, day: date | None = None) -> int:
    """Queue one e-mail per family member with what is waiting for them (those on the daily digest, and what
    waited when someone switched to "straight away"). What they already read on KeyStory is left out. One
    digest per person per day (key ``messages-digest:<user>:<day>``): running again sends nothing twice.
    Returns how many notices went into digests."""
    day = day or timezone.localdate()
    waiting = MailNotice.objects.filter(mail_key="").exclude(recipient__message_emails__frequency=Frequency.OFF)
    recipients = sorted(set(waiting.values_list("recipient_id", flat=True)))
    return sum(_queue_digest(recipient_id, day) for recipient_id in recipients)


def _still_unread(notice: MailNotice) -> bool:
    if notice.message_id:
        return not ReadMark.objects.filter(
            conversation_id=notice.message.conversation_id,
            user_id=notice.recipient_id,
            last_read__gte=notice.message_id,
        ).exists()
    return AnnouncementReceipt.objects.filter(
        announcement_id=notice.announcement_id, user_id=notice.recipient_id, acknowledged_at__isnull=True
    ).exists()


@transaction.atomic
def _queue_digest(recipient_id: int, day: date) -> int:
    key = f"messages-digest:{recipient_id}:{day.isoformat()}"
    notices = list(
        MailNotice.objects.select_for_update(of=("self",))  # a racing run waits here, then finds the key
        .filter(recipient_id=recipient_id, mail_key="")
        .select_related("recipient", "message__conversation__child", "message__author", "announcement")
    )
    if not notices or mail_status(key=key) is not None:
        return 0  # nothing waiting, or today's digest has gone: what came since waits for tomorrow's
    unread = [notice for notice in notices if _still_unread(notice)]
    if unread:
        children: dict[int, tuple[Child, int]] = {}
        for notice in unread:
            if notice.message_id:
                child = notice.message.conversation.child
                children[child.pk] = (child, children.get(child.pk, (child, 0))[1] + 1)
        recipient = notices[0].recipient
        queue_mail(
            key=key,
            kind="Messages: daily digest",
            to=recipient,
            template=DIGEST,
            context={
                "recipient": recipient,
                "conversations": [
                    (child, count, _link(reverse("messaging:conversation", args=[child.pk])))
                    for child, count in children.values()
                ],
                "announcements": [
                    (n.announcement, _link(reverse("messaging:announcement", args=[n.announcement_id])))
                    for n in unread
                    if n.announcement_id
                ],
            },
            nursery_id=unread[0].nursery_id,
            unsubscribe_url=unsubscribe_url(MESSAGE_EMAILS, recipient),
        )
    MailNotice.objects.filter(pk__in=[n.pk for n in notices]).update(mail_key=key if unread else "read")
    return len(unread)
