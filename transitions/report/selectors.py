"""Reads for the transition report: a plan's report, and one fetched with the asker's standing."""

from django.http import Http404

from accounts.models import User
from children.access import Viewer

from ..models import TransitionPlan, TransitionReport
from ..plans.selectors import access_plan


def report_of(plan: TransitionPlan) -> TransitionReport | None:
    return TransitionReport.objects.filter(plan=plan).select_related("written_by", "reviewed_by").first()


def access_report(user: User, plan_pk: int, *, staff: bool = False) -> tuple[TransitionReport, Viewer]:
    """The report of plan ``plan_pk`` with the user's standing (who may see the plan: see ``access_plan``),
    or 404 when the plan has none yet."""
    plan, viewer = access_plan(user, plan_pk, staff=staff)
    report = report_of(plan)
    if report is None:
        raise Http404("This plan has no report yet.")
    report.plan = plan
    return report, viewer
