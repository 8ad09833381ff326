"""Django app config for core, so the outbox model and its migrations are installed."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared helpers below every app: the outbox, images, the task queue, PDFs and private media."""

    name = "core"
    verbose_name = "KeyStory core"
