"""``manage.py run_sweeps``: every periodic job once, in this process, for cron where no Celery beat runs."""

from celery import current_app as app
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run every periodic job in CELERY_BEAT_SCHEDULE once, in this process. For cron on a "
        "single-machine install where no Celery beat runs, e.g. every 10 minutes."
    )

    def handle(self, *args, **options) -> None:
        app.loader.import_default_modules()  # every app's tasks.py, as a worker would (autodiscovery is lazy)
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            result = app.tasks[entry["task"]].apply()
            if result.failed():
                self.stderr.write(self.style.ERROR(f"{name}: failed: {result.result!r}"))
            else:
                self.stdout.write(f"{name}: {result.result}")
