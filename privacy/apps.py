"""Privacy: subject access (a person's or a child's data as a ZIP) and the nursery's record history.

It sits above transitions, the highest domain app, because a subject access download reads every app's
records; nothing below imports it.
"""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from children.panels import Panel, register

        from .selectors import child_panel

        register(Panel(template="privacy/_child_panel.html", context=child_panel, order=61))
