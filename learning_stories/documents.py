"""Printable documents of the learning story app, rendered by ``config.pdf`` (WeasyPrint)."""

from typing import BinaryIO

from config.pdf import render_pdf

from .models import ProgressCheck


def progress_check_pdf(*, check: ProgressCheck, target: BinaryIO | None = None) -> bytes | None:
    """The progress check at age two as the family and the health visitor read it: into ``target``, or bytes."""
    child = check.child
    return render_pdf(
        "learning_stories/pdf/progress_check.html",
        {
            "check": check,
            "child": child,
            "nursery": child.nursery,
            "areas": check.area_summaries.select_related("area"),
            "age_label": child.age_label(check.checked_on),
        },
        target,
    )
