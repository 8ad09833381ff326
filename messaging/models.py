"""One conversation per child between the family and the child's care team; announcements to a room or the whole
nursery that families acknowledge; who has read what; and which e-mail notices are still to go."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from children.models import Child
from core.private_media import UnguessableName
from nursery.models import Nursery, Room

# Long enough for a real note home, short enough to stay a message (a longer story belongs in a meeting).
MESSAGE_MAX_LENGTH = 2000
ANNOUNCEMENT_MAX_LENGTH = 5000


class Conversation(models.Model):
    """The thread about one child: made when the first message is sent."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="conversation")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"Messages about {self.child}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Which side wrote it, fixed when sent: a parent who also works at the nursery writes as family here.
    from_family = models.BooleanField()
    text = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    # Private media, written through core.images (checked, EXIF stripped) and served by a permission-checked view.
    THUMBNAIL = ("photo", "photo_thumbnail")  # made by core.tasks.make_thumbnail
    photo = models.FileField(upload_to=UnguessableName("messages/photos"), blank=True)
    photo_thumbnail = models.FileField(upload_to=UnguessableName("messages/thumbnails"), blank=True)
    # Who is in the photo (the conversation's child and any other child staff named), so consent is checked as
    # for story photos: when sent, and again each time the family opens it (a family's own photo: their child).
    children_in_photo = models.ManyToManyField(Child, blank=True, related_name="message_photos")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.pk} about {self.conversation.child}"


class ReadMark(models.Model):
    """How far one person has read a conversation: messages up to ``last_read`` (an id) are read. One row per
    person and thread keeps unread counts and "Seen" receipts to one indexed comparison."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_read_marks")
    last_read = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="one_read_mark_per_person")]

    def __str__(self) -> str:
        return f"{self.user} read {self.conversation} to {self.last_read}"


class Announcement(models.Model):
    """News for every family of a room, or of the whole nursery (no room)."""

    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="announcements")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="announcements")
    title = models.CharField(max_length=120)
    text = models.TextField(max_length=ANNOUNCEMENT_MAX_LENGTH)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audience(self) -> str:
        return f"Families in {self.room.name}" if self.room_id else "All families"


class AnnouncementReceipt(models.Model):
    """One family member an announcement went to (fixed when sent), and when they said they had read it."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcement_receipts")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="one_receipt_per_person")]
        indexes = [models.Index(fields=["user", "acknowledged_at"], name="receipts_waiting")]

    def __str__(self) -> str:
        return f"{self.announcement} to {self.user}"


class EmailChoice(models.Model):
    """How a family member hears of messages and announcements by e-mail (they are always on KeyStory)."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Straight away"
        DAILY = "daily", "Once a day (at 18:00)"
        OFF = "off", "No e-mails"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_emails")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"


class MailNotice(models.Model):
    """Something a family member should hear of by e-mail: a message from the nursery or an announcement.
    ``mail_key`` is the outbox key once it went (at once or in a digest); "" while it waits for the digest."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    announcement = models.ForeignKey(Announcement, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="+")
    mail_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["mail_key", "recipient"], name="message_notices_waiting")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(message__isnull=True) ^ models.Q(announcement__isnull=True),
                name="notice_of_a_message_or_an_announcement",
            )
        ]

    def __str__(self) -> str:
        return f"Notice to {self.recipient}"
