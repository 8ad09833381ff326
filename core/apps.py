"""Django app config for core, so the outbox model and its migrations are installed."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared helpers below every app: the outbox, images, the task queue, PDFs and private media."""

    name = "core"
    verbose_name = "KeyStory core"

    def ready(self) -> None:
        from .dates import install_date_bounds
        from .text import install_plain_messages

        install_plain_messages()  # "Keep this to 2,000 characters (it has 2,345)." in every form
        install_date_bounds()  # no form takes year 1 or 9999, which overflow as soon as a day is added
