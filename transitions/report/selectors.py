"""Reads for the transition report."""

from ..models import TransitionPlan, TransitionReport


def report_of(plan: TransitionPlan) -> TransitionReport | None:
    return TransitionReport.objects.filter(plan=plan).select_related("written_by", "reviewed_by").first()
