"""Background work for retention: the nightly sweep, a thin wrapper over ``services.sweep_all``."""

from celery import shared_task

from .services import sweep_all


@shared_task
def sweep_retention() -> int:
    """Nightly: remove or anonymise what each nursery's retention schedule says is due (idempotent)."""
    return sweep_all()
