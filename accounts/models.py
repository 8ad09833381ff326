"""The person who logs in (e-mail, not username) and the invitation that lets someone join."""

import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        # People type their e-mail with any capitalisation on a tablet keyboard.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: staff, parent or carer — often more than one of these."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    known_as = models.CharField(
        "known as", max_length=60, blank=True, help_text="What children and colleagues call you."
    )
    phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("can use the admin site", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The language of their pages and e-mails (a code from settings.LANGUAGES); empty: the browser's.
    language = models.CharField(max_length=10, blank=True, default="")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.known_as or self.full_name.split(" ")[0]


def _new_nonce() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A single-use, expiring link that lets someone set a password and join.

    What accepting grants (a staff post, a link to a child) is recorded by the app that owns it,
    in a model pointing here; this app only knows who was invited and whether they accepted.
    """

    email = models.EmailField("e-mail address")
    full_name = models.CharField(max_length=150)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # What the e-mail tells them they are joining, written by the app that grants it, kept for a resent link:
    # where ("Rainbow Nursery") and as what ("a practitioner", "Ava Taylor's parent or carer").
    place = models.CharField(max_length=150, blank=True)
    invited_as = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Part of the signed token: changing it (resend) invalidates every earlier link.
    nonce = models.CharField(max_length=64, default=_new_nonce)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_invitations"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def mail_key(self) -> str:
        """The outbox key of the e-mail carrying the current link: each new link is a new e-mail."""
        return f"invitation:{self.pk}:{self.nonce}"


class SecurityEvent(models.Model):
    """A change to how someone signs in, and who made it: answers "who turned this off, and when?"."""

    class Kind(models.TextChoices):
        TWO_FACTOR_ON = "two_factor_on", "Turned on two-step sign-in"
        TWO_FACTOR_OFF = "two_factor_off", "Turned off two-step sign-in"
        RECOVERY_CODES = "recovery_codes", "Made new recovery codes"
        TWO_FACTOR_RESET = "two_factor_reset", "Reset two-step sign-in"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_events")
    # Who did it: the person themselves, or e.g. the manager who reset a colleague's second step.
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%d %b %Y %H:%M} {self.get_kind_display()} for {self.user} by {self.by}"


class TabletPin(models.Model):
    """A member of staff's short PIN for switching in on a room's shared tablet, hashed like a password.

    Five wrong PINs in a row, on any tablet, lock it until the person next signs in with their e-mail and
    password (``accounts.pins``).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tablet_pin")
    pin = models.CharField(max_length=128)  # a Django password hash, never the digits
    failures = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Tablet PIN of {self.user}"
