"""Messages between a family and their child's care team, and announcements to families."""

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messages and announcements"

    def ready(self) -> None:
        from children.panels import Panel, register

        from .panels import messages_panel

        register(Panel(template="messaging/_child_panel.html", context=messages_panel, order=25))
