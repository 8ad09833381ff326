"""Pages of the progress check at age two: the due list, the key person's form, the family's reading, the PDF.

Thin: reads in ``selectors``, writes in ``services``. A check of another family or nursery answers 404.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.tablet import full_sign_in_required
from accounts.views import report_dispatch
from children import care_team
from children.access import Viewer
from children.models import ChildAuditEvent, ConsentPurpose
from children.selectors import children_on_roll, has_consent
from children.services import record_event
from core.queue import all_of
from nursery.permissions import staff_required

from ..documents import progress_check_pdf
from ..models import ProgressCheck
from . import selectors, services
from .forms import HealthVisitorForm, ParentViewForm, ProgressCheckForm

EVIDENCE_WEEKS = 26  # observations shown beside the form: the last six months


@staff_required()
def due(request: HttpRequest) -> HttpResponse:
    """Children due or overdue a check, and checks waiting for the family's view or completion."""
    nursery = request.staff_post.nursery
    today = timezone.localdate()
    on_roll = children_on_roll(request.user, today).filter(nursery=nursery)
    rows = selectors.progress_checks_due(on_roll, on=today)
    mine = request.GET.get("mine") == "1"
    keyed = care_team.key_children_among(request.user, [row.child for row in rows])
    if mine:
        rows = [row for row in rows if row.child.pk in keyed]
    writable = {row.child.pk for row in rows} if request.staff_post.is_manager else keyed
    open_checks = (
        selectors.progress_checks_for_staff(request.user)
        .filter(child__nursery=nursery, status=ProgressCheck.Status.SHARED)
        .select_related("child")
        .order_by("shared_at")
    )
    return render(
        request,
        "learning_stories/checks_due.html",
        {
            "overdue": [row for row in rows if row.overdue],
            "due": [row for row in rows if not row.overdue],
            "open_checks": open_checks,
            "missed": selectors.missed_progress_checks(on_roll.select_related(None), on=today),  # names only
            "mine": mine,
            "writable": writable,
            "overdue_from": selectors.CHECK_OVERDUE_FROM_MONTHS,
        },
    )


@staff_required()
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the child's draft check, starting one when there is none."""
    child = selectors.access_child_to_check(request.user, pk)
    check = services.start_progress_check(
        child=child, by=request.user, prime_areas=selectors.prime_areas_for(child.nursery_id)
    )
    return redirect("checks:edit", pk=check.pk)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The key person's form, with recent observations of the prime areas and assessments beside it."""
    check, _ = selectors.access_progress_check(request.user, pk, write=True)
    if check.status != ProgressCheck.Status.DRAFT:
        return redirect("checks:detail", pk=check.pk)
    child = check.child
    form = ProgressCheckForm(
        request.POST or None, instance=check, areas=selectors.prime_areas_for(check.child.nursery_id)
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        services.save_progress_check(check=check, text=form.text(), by=request.user)
        if request.POST.get("action") != "share":
            messages.success(request, "Draft saved. The family cannot see it until you share it.")
            return redirect("checks:edit", pk=check.pk)
        try:
            dispatches = services.share_progress_check(check=check, by=request.user)
        except ValidationError as exc:
            problems = exc.messages  # the draft is saved; the page says what is missing
        else:
            report_dispatch(
                request,
                all_of(dispatches),
                f"Shared with {child.known_as}'s family. They can read it now and are told by e-mail.",
            )
            return redirect("checks:detail", pk=check.pk)
    if request.method == "GET":
        record_event(
            child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Progress check at two"
        )
    since = timezone.localdate() - timedelta(weeks=EVIDENCE_WEEKS)
    return render(
        request,
        "learning_stories/check_form.html",
        {
            "check": check,
            "child": child,
            "form": form,
            "problems": problems,
            "observations": selectors.evidence_for_check(child, since=since),
            "assessments": selectors.latest_assessments_for_check(child),
            "age_label": child.age_label(),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The check as shared: parents read it and add their view; staff see it, complete it, hand it over."""
    check, viewer = selectors.access_progress_check(request.user, pk)
    if viewer.is_staff and viewer.may_write and check.status == ProgressCheck.Status.DRAFT:
        return redirect("checks:edit", pk=check.pk)
    record_event(
        child=check.child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Progress check at two"
    )
    return _detail_page(request, check, viewer)


def _detail_page(
    request: HttpRequest,
    check: ProgressCheck,
    viewer: Viewer,
    *,
    parent_form: ParentViewForm | None = None,
    health_visitor_form: HealthVisitorForm | None = None,
) -> HttpResponse:
    may_comment = viewer.is_parent and check.status == ProgressCheck.Status.SHARED
    return render(
        request,
        "learning_stories/check_detail.html",
        {
            "check": check,
            "child": check.child,
            "viewer": viewer,
            "areas": check.area_summaries.select_related("area"),
            "age_label": check.child.age_label(check.checked_on),
            "parent_form": parent_form
            or (ParentViewForm(initial={"text": check.parent_comments}) if may_comment else None),
            "health_visitor_consent": viewer.may_write
            and has_consent(check.child, ConsentPurpose.SHARE_WITH_HEALTH_VISITOR),
            "health_visitor_form": health_visitor_form or HealthVisitorForm(),
        },
    )


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A parent adds the family's view."""
    check, viewer = selectors.access_progress_check(request.user, pk)
    if not viewer.is_parent:
        raise PermissionDenied("The family adds their view; staff write in the check itself.")
    form = ParentViewForm(request.POST)
    if form.is_valid():
        try:
            services.add_parent_view(check=check, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Thank you. Your view is saved and the key person can read it.")
            return redirect("checks:detail", pk=check.pk)
    return _detail_page(request, check, viewer, parent_form=form)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    check, _ = selectors.access_progress_check(request.user, pk, write=True)
    try:
        services.complete_progress_check(check=check, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{check.child.known_as}'s progress check is completed.")
    return redirect("checks:detail", pk=check.pk)


@login_required
@require_POST
def health_visitor(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the check was given to the health visitor: refused without the family's consent."""
    check, viewer = selectors.access_progress_check(request.user, pk, write=True)
    form = HealthVisitorForm(request.POST)
    if form.is_valid():
        try:
            services.record_health_visitor_handover(
                check=check, by=request.user, shared_to=form.cleaned_data["shared_to"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("checks:detail", pk=check.pk)
        messages.success(request, "Recorded: the check was given to the health visitor.")
        return redirect("checks:detail", pk=check.pk)
    return _detail_page(request, check, viewer, health_visitor_form=form)


@login_required
@full_sign_in_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The check as a PDF, for staff of the child's nursery and the child's parents."""
    check, _ = selectors.access_progress_check(request.user, pk)  # the family's scope never holds a draft
    record_event(
        child=check.child,
        actor=request.user,
        action=ChildAuditEvent.Action.EXPORTED,
        what="Progress check at two (PDF)",
    )
    response = HttpResponse(progress_check_pdf(check=check), content_type="application/pdf")
    name = f"progress-check-{check.child.known_as}-{check.checked_on:%Y-%m-%d}.pdf".replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
