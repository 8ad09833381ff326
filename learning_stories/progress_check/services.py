"""Writes for the progress check at age two: started, written, shared with the family (who are e-mailed),
answered by them, completed and given to the health visitor."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent, ConsentPurpose
from children.notices import news_recipients, news_unsubscribe_url
from children.selectors import has_consent
from children.services import record_event
from core.outbox import queue_mail
from core.queue import Dispatch

from ..models import Area, ProgressCheck, ProgressCheckArea


def _check_event(check: ProgressCheck, by: User | None, action: str, what: str) -> None:
    record_event(child=check.child, actor=by, action=action, what=f"Progress check at two: {what}")


@transaction.atomic
def start_progress_check(*, child: Child, by: User, prime_areas: list[Area]) -> ProgressCheck:
    """The child's draft check (a new one with a row per prime area, or the draft already started)."""
    Child.objects.select_for_update().filter(pk=child.pk).first()  # two "Start" taps make one draft
    check = ProgressCheck.objects.filter(child=child, status=ProgressCheck.Status.DRAFT).first()
    if check is None:
        check = ProgressCheck.objects.create(child=child, written_by=by)
        ProgressCheckArea.objects.bulk_create(
            ProgressCheckArea(progress_check=check, area=area) for area in prime_areas
        )
        _check_event(check, by, ChildAuditEvent.Action.CREATED, "started")
    return check


@dataclass
class CheckText:
    checked_on: date
    strengths: str
    less_than_expected: str
    setting_plan: str
    family_plan: str
    # area id -> (summary, progress as expected: True / False / None not yet decided)
    areas: dict[int, tuple[str, bool | None]]


@transaction.atomic
def save_progress_check(*, check: ProgressCheck, text: CheckText, by: User) -> ProgressCheck:
    """Save what the key person wrote. A check the family has seen is not rewritten behind their back."""
    check = ProgressCheck.objects.select_for_update().get(pk=check.pk)  # a colleague may have shared it
    if check.status != ProgressCheck.Status.DRAFT:
        raise ValidationError("This check has been shared with the family, so it can no longer be changed.")
    check.checked_on = text.checked_on
    check.strengths = text.strengths
    check.less_than_expected = text.less_than_expected
    check.setting_plan = text.setting_plan
    check.family_plan = text.family_plan
    check.save(
        update_fields=["checked_on", "strengths", "less_than_expected", "setting_plan", "family_plan", "updated_at"]
    )
    for row in check.area_summaries.all():
        if row.area_id in text.areas:
            row.summary, row.on_track = text.areas[row.area_id]
            row.save(update_fields=["summary", "on_track"])
    _check_event(check, by, ChildAuditEvent.Action.CHANGED, "draft saved")
    return check


def check_sharing_problems(check: ProgressCheck) -> list[str]:
    """What is missing before the family can be given the check."""
    problems = []
    rows = list(check.area_summaries.select_related("area"))
    for row in rows:
        if not row.summary.strip():
            problems.append(f"Write a summary for {row.area.name}.")
        if row.on_track is None:
            problems.append(f"Say whether progress in {row.area.name} is as expected.")
    if not check.strengths.strip():
        problems.append("Write what the child is good at.")
    if any(row.on_track is False for row in rows) and not check.less_than_expected.strip():
        problems.append("Progress is not as expected in an area: say where, and what the nursery will do.")
    if not check.setting_plan.strip():
        problems.append("Write what the nursery will do next.")
    return problems


@transaction.atomic
def share_progress_check(*, check: ProgressCheck, by: User) -> list[Dispatch]:
    """Give the finished check to the family: on their pages now, and an e-mail to each parent with
    parental responsibility, queued in the outbox (key ``progress-check:<check>:<user>``)."""
    check = ProgressCheck.objects.select_for_update(of=("self",)).select_related("child__nursery").get(pk=check.pk)
    if check.status != ProgressCheck.Status.DRAFT:
        return []  # already shared (a second tap, or a colleague): never told twice
    if problems := check_sharing_problems(check):
        raise ValidationError(problems)
    check.status = ProgressCheck.Status.SHARED
    check.shared_at = timezone.now()
    check.save(update_fields=["status", "shared_at", "updated_at"])
    _check_event(check, by, ChildAuditEvent.Action.SHARED, "shared with the family")
    link = f"{settings.SITE_URL}{reverse('checks:detail', args=[check.pk])}"
    return [
        queue_mail(
            key=f"progress-check:{check.pk}:{guardian.user_id}",
            kind="Progress check at two",
            to=guardian.user,
            template="learning_stories/email/progress_check",
            context={"recipient": guardian.user, "check": check, "child": check.child, "link": link},
            nursery_id=check.child.nursery_id,
            unsubscribe_url=news_unsubscribe_url(guardian),
        )
        for guardian in news_recipients(check.child, has_parental_responsibility=True)
    ]


def add_parent_view(*, check: ProgressCheck, by: User, text: str) -> ProgressCheck:
    """A parent adds (or updates) the family's view, until the key person completes the check."""
    if check.status != ProgressCheck.Status.SHARED:
        raise ValidationError(
            "This check is completed, so your view can no longer be changed. Please talk to the key person."
        )
    if not text.strip():
        raise ValidationError("Please write your view before sending it.")
    check.parent_comments = text.strip()
    check.parent_commented_by = by
    check.parent_commented_at = timezone.now()
    check.save(update_fields=["parent_comments", "parent_commented_by", "parent_commented_at", "updated_at"])
    _check_event(check, by, ChildAuditEvent.Action.CHANGED, "the family's view added")
    return check


def complete_progress_check(*, check: ProgressCheck, by: User) -> ProgressCheck:
    if check.status != ProgressCheck.Status.SHARED:
        raise ValidationError("Share the check with the family before marking it completed.")
    check.status = ProgressCheck.Status.COMPLETED
    check.completed_at = timezone.now()
    check.save(update_fields=["status", "completed_at", "updated_at"])
    _check_event(check, by, ChildAuditEvent.Action.CHANGED, "completed")
    return check


def record_health_visitor_handover(*, check: ProgressCheck, by: User, shared_to: str) -> ProgressCheck:
    """Record that the check went to the health visitor: only with the family's current consent."""
    if not has_consent(check.child, ConsentPurpose.SHARE_WITH_HEALTH_VISITOR):
        raise ValidationError(
            f"{check.child.known_as}'s family has not agreed to share with the health visitor, so the check "
            "cannot be sent. Ask the family; they can give consent on the consents page."
        )
    if check.status == ProgressCheck.Status.DRAFT:
        raise ValidationError("Share the check with the family first: they see it before the health visitor does.")
    if not shared_to.strip():
        raise ValidationError("Say who the check went to and how, e.g. the health visitor's name and team.")
    check.health_visitor_shared_at = timezone.now()
    check.health_visitor_shared_to = shared_to.strip()
    check.health_visitor_shared_by = by
    check.save(
        update_fields=["health_visitor_shared_at", "health_visitor_shared_to", "health_visitor_shared_by", "updated_at"]
    )
    _check_event(check, by, ChildAuditEvent.Action.SHARED, f"given to the health visitor ({shared_to.strip()})")
    return check
