"""PDF documents of a child's development records.

PLACEHOLDER written by helper "pack" so the leaver pack can call these; the helpers writing the progress
check and assessments replace this module with the real documents (same signatures).
"""

from typing import BinaryIO

from children.models import Child
from config.pdf import render_pdf

from .models import ProgressCheck


def progress_check_pdf(*, check: ProgressCheck, target: BinaryIO | None = None) -> bytes | None:
    return render_pdf(
        "pdf/placeholder.html",
        {"nursery": check.child.nursery, "title": f"Progress check at two: {check.child.known_as}"},
        target,
    )


def assessments_pdf(*, child: Child, target: BinaryIO | None = None) -> bytes | None:
    return render_pdf(
        "pdf/placeholder.html", {"nursery": child.nursery, "title": f"Assessments: {child.known_as}"}, target
    )
