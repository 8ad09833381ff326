"""PDF documents of a child's transition.

PLACEHOLDER written by helper "pack" so the leaver pack can call it; the helper writing the transition
report replaces this module with the real document (same signature).
"""

from typing import BinaryIO

from config.pdf import render_pdf

from .models import TransitionReport


def transition_report_pdf(*, report: TransitionReport, target: BinaryIO | None = None) -> bytes | None:
    child = report.plan.child
    return render_pdf(
        "pdf/placeholder.html", {"nursery": child.nursery, "title": f"Transition report: {child.known_as}"}, target
    )
