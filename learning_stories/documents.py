"""Printable documents of the learning story app, rendered by ``core.pdf`` (WeasyPrint)."""

from typing import BinaryIO

from children.models import Child
from core.pdf import render_pdf

from .assessments.selectors import assessment_summaries
from .framework.selectors import current_framework_for
from .models import ProgressCheck
from .story.selectors import family_viewer


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


def assessments_pdf(*, child: Child, target: BinaryIO | None = None) -> bytes | None:
    """Every assessment of the child, newest point first, in plain words (for the leaver pack): into
    ``target`` when given, else as bytes."""
    context = {
        "child": child,
        "nursery": child.nursery,
        "framework": current_framework_for(child.nursery_id),
        "summaries": assessment_summaries(child, family_viewer(child)),  # it leaves with the family
    }
    return render_pdf("learning_stories/pdf/assessments.html", context, target)
