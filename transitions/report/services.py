"""Writes for the transition report: pre-filled from the story, edited, the family's view, reviewed and shared."""

import re
from collections import Counter
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.access import Viewer
from children.day.models import Attendance
from children.models import Booking, Child
from children.selectors import all_about_me_of
from children.support_plans.models import SupportPlan
from learning_stories.framework.selectors import areas_of, current_framework_for
from learning_stories.models import Assessment, Observation
from learning_stories.story.selectors import children_to_redact, redact, shared_with_families

from ..models import TransitionPlan, TransitionReport
from ..plans.services import record_plan_event

# The report looks back this far for observations, attendance and the child's words.
REPORT_WINDOW = timedelta(weeks=13)


VOICE_QUOTES = 3


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip(), flags=re.S)
    return (match.group(1) if match else text.strip())[:240]


def _attendance(child: Child, since: date, until: date) -> str:
    """Days attended against booked days over the window, in two queries."""
    weekdays = set(Booking.objects.filter(child=child).values_list("weekday", flat=True))
    start = max(since, child.start_date) if child.start_date else since
    booked = sum(1 for n in range((until - start).days + 1) if (start + timedelta(days=n)).weekday() in weekdays)
    came = Attendance.objects.filter(child=child, day__gte=start, day__lte=until).values("day").distinct().count()
    if not booked:
        return f"Came on {came} days since {start:%-d %B %Y} (no regular sessions booked)."
    return f"Came on {came} of {booked} booked days since {start:%-d %B %Y} ({round(100 * came / booked)}%)."


def prefill(child: Child, *, today: date | None = None) -> dict:
    """What the report starts from: the latest assessment per area, recent published observations, how the
    child learns, All about me's likes, needs and plans, attendance and the child's own words.

    Other children's names are replaced by "a friend", as the family and the next setting will read it.
    A fixed number of queries whatever the length of the story."""
    today = today or timezone.localdate()
    since = timezone.now() - REPORT_WINDOW
    as_family = Viewer(user=None, is_staff=False, family_child_ids=frozenset({child.pk}))
    latest: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(child=child, aspect__isnull=True)
        .select_related("band")
        .order_by("-assessed_on", "-pk")
    ):
        latest.setdefault(assessment.area_id, assessment)
    nursery_children = children_to_redact([child.nursery_id])  # a rationale may name any of them
    entries = list(
        Observation.objects.filter(shared_with_families(), child_links__child=child, observed_at__gte=since)
        .prefetch_related("areas", "characteristics")
        .order_by("-observed_at", "-pk")
    )
    areas = {}
    for area in areas_of(current_framework_for(child.nursery_id)):
        parts = []
        if assessment := latest.get(area.pk):
            band = f" ({assessment.band.name})" if assessment.band else ""
            parts.append(f"{assessment.get_judgement_display()}{band} on {assessment.assessed_on:%-d %B %Y}.")
            if assessment.rationale.strip():
                parts.append(redact(assessment.rationale.strip(), nursery_children, as_family))
        tagged = [entry for entry in entries if area in entry.areas.all()]
        if tagged:
            newest = redact(first_sentence(tagged[0].text), nursery_children, as_family)
            count = f"{len(tagged)} observation{'s' if len(tagged) != 1 else ''}"
            parts.append(f"{count} in the last 13 weeks; the latest: “{newest}”")
        areas[area.code] = " ".join(parts)
    learning = Counter(c.name for entry in entries for c in entry.characteristics.all())
    plans = list(
        SupportPlan.objects.filter(child=child, status=SupportPlan.Status.ACTIVE).values_list("title", flat=True)
    )
    needs = [f"Special educational needs: {child.get_send_status_display()}."]
    if plans:
        needs.append("Support plans: " + ", ".join(plans) + ".")
    voices = [
        f"“{redact(entry.child_voice.strip(), nursery_children, as_family)}”"
        for entry in entries
        if entry.child_voice.strip()
    ][:VOICE_QUOTES]
    return {
        "areas": areas,
        "characteristics": "; ".join(
            f"{name} (seen {n} time{'s' if n != 1 else ''})" for name, n in learning.most_common()
        ),
        "interests": all_about_me_of(child).likes,
        "needs": " ".join(needs),
        "attendance": _attendance(child, (since).date(), today),
        "child_voice": " ".join(voices),
    }


@transaction.atomic
def start_report(*, plan: TransitionPlan, by: User) -> TransitionReport:
    """The plan's report, pre-filled the first time (starting it again changes nothing)."""
    report = TransitionReport.objects.select_for_update().filter(plan=plan).first()
    if report is None:
        report = TransitionReport.objects.create(plan=plan, written_by=by, **prefill(plan.child))
        record_plan_event(plan, by, "Transition report started")
    return report


REPORT_FIELDS = ["characteristics", "interests", "needs", "attendance", "parent_view", "child_voice"]


def save_report(*, report: TransitionReport, data: dict, by: User) -> None:
    if report.status != TransitionReport.Status.DRAFT:
        raise ValidationError("The report has been sent for checking; it can be changed once it is returned.")
    report.areas = data["areas"]
    for name in REPORT_FIELDS:
        setattr(report, name, data[name])
    report.written_by = by
    report.save()
    record_plan_event(report.plan, by, "Transition report edited")


def save_parent_view(*, report: TransitionReport, text: str, by: User) -> None:
    """The family's own words for the report, from their phone, until a manager approves it."""
    if report.status == TransitionReport.Status.SHARED:
        raise ValidationError("The report has already been shared, so it can no longer change.")
    if report.status == TransitionReport.Status.APPROVED:
        raise ValidationError(
            "The report has been checked and approved, so your view can no longer be added. "
            "Please tell your child's key person if something should change."
        )
    report.parent_view = text.strip()
    report.save(update_fields=["parent_view", "updated_at"])
    record_plan_event(report.plan, by, "Family's view added to the transition report")


REPORT_STEPS = {
    # action: (from status, to status, who: "editor" or "manager")
    "submit": (TransitionReport.Status.DRAFT, TransitionReport.Status.AWAITING_REVIEW, "editor"),
    "approve": (TransitionReport.Status.AWAITING_REVIEW, TransitionReport.Status.APPROVED, "manager"),
    "return": (TransitionReport.Status.AWAITING_REVIEW, TransitionReport.Status.DRAFT, "manager"),
    "share": (TransitionReport.Status.APPROVED, TransitionReport.Status.SHARED, "manager"),
}


def review_report(*, report: TransitionReport, action: str, by: User, comment: str = "") -> None:
    """Submit for review, approve, return with a comment, or share with the family."""
    before, after, _ = REPORT_STEPS[action]
    if report.status != before:
        raise ValidationError(f"The report is “{report.get_status_display()}”, so it cannot be {action}ed now.")
    if action == "return" and not comment.strip():
        raise ValidationError("Say what needs changing, so the key person knows.")
    report.status = after
    if action in ("approve", "return"):
        report.reviewed_by, report.reviewed_at, report.review_comment = by, timezone.now(), comment.strip()
    if action == "share":
        report.shared_at = timezone.now()
    report.save()
    record_plan_event(report.plan, by, f"Transition report: {report.get_status_display()}")
