"""The transition report as a PDF, for the family, the next room or school, and the leaver pack."""

from typing import BinaryIO

from core.pdf import render_pdf
from learning_stories.framework.selectors import areas_of, current_framework_for

from ..models import TransitionReport


def report_areas(report: TransitionReport) -> list[tuple[str, str]]:
    """Each area of learning's name with the report's paragraph for it, in the framework's order."""
    return [
        (area.name, report.areas.get(area.code, ""))
        for area in areas_of(current_framework_for(report.plan.child.nursery_id))
    ]


def transition_report_pdf(*, report: TransitionReport, target: BinaryIO | None = None) -> bytes | None:
    """Render the report; into ``target`` when given (returns None), else returns the PDF's bytes."""
    plan = report.plan
    context = {
        "report": report,
        "plan": plan,
        "child": plan.child,
        "nursery": plan.child.nursery,
        "areas": report_areas(report),
    }
    return render_pdf("transitions/pdf/transition_report.html", context, target=target)
