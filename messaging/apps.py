"""Messages between a family and their child's care team, and announcements to families."""

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messages and announcements"
