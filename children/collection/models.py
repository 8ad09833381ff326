"""Who may collect a child: people the family names, the family's collection password (hashed), and a one-off
collector named for one day. Guardians (``Guardianship.can_collect``) and emergency contacts
(``EmergencyContact.may_collect``) who may collect are on the list too; their records stay where they are."""

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone

from children.models import Child


class AuthorisedCollector(models.Model):
    """Someone the family allows to collect the child on any day (a childminder, an aunt)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="authorised_collectors")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=80, help_text="e.g. Aunt, Childminder, Family friend")
    phone = models.CharField(max_length=30)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["child", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship}) may collect {self.child}"


class CollectionPassword(models.Model):
    """The word the family gives anyone collecting in their place. Only its hash is kept: staff check what the
    collector says against it and never see it. Wrong guesses are counted so it cannot be guessed at the door."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="collection_password")
    password = models.CharField(max_length=128)  # a Django password hash, never the word itself
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    last_failed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Collection password for {self.child}"

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def matches(self, raw: str) -> bool:
        return check_password(raw, self.password)


class OneOffCollector(models.Model):
    """Someone the family names to collect the child on one day only; they must give the collection password."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="one_off_collectors")
    day = models.DateField(db_index=True)
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=80, help_text="e.g. Neighbour, Uncle, Friend's mum")
    phone = models.CharField(max_length=30, blank=True)
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    named_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "pk"]
        constraints = [models.UniqueConstraint(fields=["child", "day"], name="one_one_off_collector_per_day")]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship}) collects {self.child} on {self.day}"
