"""The outbox: every e-mail KeyStory sends is a row here first, so none is lost or sent twice."""

from django.conf import settings
from django.db import models


class OutgoingMail(models.Model):
    """One e-mail to one address, rendered when queued and sent once by the outbox task.

    ``key`` names the message ("feedback:12:34") so that queuing the same notice twice, from a retried
    request, a second worker or a sweep, keeps the first row: a family never gets a notice twice.
    A failed send waits until ``retry_after`` for the sweep, with longer waits each time, and stops after
    ``MAX_ATTEMPTS``; managers see what has not gone and can try again.
    """

    MAX_ATTEMPTS = 6

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Stopped trying"
        CANCELLED = "cancelled", "No longer needed"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=80, help_text="What the e-mail is, in words a manager reads.")
    # The nursery whose managers see it if it cannot be delivered (none for a group-wide e-mail). A plain
    # id, not a foreign key: core sits below every app, and the row outlives nothing it points at.
    nursery_id = models.PositiveBigIntegerField(null=True, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="Blanked once sent or cancelled: links in it must not outlive their use.")
    # Headers fixed when the mail is queued (Message-ID, Auto-Submitted, List-Unsubscribe…), so every try
    # sends the same message; the HTML part is made from the body when it is sent (``core.mail``).
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_after = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "retry_after"], name="outbox_due"),
            models.Index(fields=["nursery_id", "status"], name="outbox_by_nursery"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.get_status_display()})"

    @property
    def undelivered(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.FAILED) and self.attempts > 0


class ClientRequest(models.Model):
    """A request from the tablet's offline outbox (static/js/outbox.js) that has been carried out, by the key the
    tablet gave it: the same request sent again answers with what it did the first time (``core.replay``)."""

    key = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    done = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.done}"
