"""Printed documents of a child's development, rendered by ``config.pdf`` (WeasyPrint)."""

from typing import BinaryIO

from children.models import Child
from config.pdf import render_pdf

from .selectors import assessment_summaries, current_framework_for


def assessments_pdf(*, child: Child, target: BinaryIO | None = None) -> bytes | None:
    """Every assessment of the child, newest point first, in plain words (for the leaver pack): into
    ``target`` when given, else as bytes."""
    context = {
        "child": child,
        "nursery": child.nursery,
        "framework": current_framework_for(child.nursery_id),
        "summaries": assessment_summaries(child),
    }
    return render_pdf("learning_stories/pdf/assessments.html", context, target)
