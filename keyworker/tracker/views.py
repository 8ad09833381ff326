"""The tracker pages (figures from ``learning_stories.trackers``; the scopes here, where key groups live):
the grid at an assessment point with the trend, and its CSV export for managers."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from children.models import ChildAuditEvent
from children.services import record_daily_view, record_events
from learning_stories.assessments.tracker import Tracker, tracker, trend, trend_chart, write_tracker_csv
from nursery.permissions import manager_required, staff_required

from .forms import TrackerForm


def _tracker_for(request: HttpRequest) -> tuple[TrackerForm, Tracker | None]:
    form = TrackerForm(request.GET, nursery=request.staff_post.nursery, post=request.staff_post)
    if not form.is_valid():
        return form, None
    figures = tracker(
        nursery=request.staff_post.nursery,
        point=form.cleaned_data["point"],
        child_ids=form.child_ids(),
        cohort=form.cohort(),
    )
    return form, figures


@staff_required()
def tracker_page(request: HttpRequest) -> HttpResponse:
    """Children by areas at a point, per-area figures, and the trend over points (managers and practitioners)."""
    form, grid = _tracker_for(request)
    context = {"form": form, "grid": grid}
    if grid is not None:
        record_daily_view(
            child_ids=[row.child.pk for row in grid.rows], actor=request.user, what=f"Tracker at {grid.point.name}"
        )
        areas, points = trend(
            nursery=request.staff_post.nursery,
            child_ids=form.child_ids(),
            cohort=form.cohort(),
            children=grid.scope_children,
        )
        context |= {"trend": points, "chart": trend_chart(areas, points), "scope": form.scope_label()}
        context["query"] = request.GET.urlencode()
    return render(request, "keyworker/tracker.html", context)


@manager_required
def tracker_csv(request: HttpRequest) -> HttpResponse:
    """The tracker's grid as a spreadsheet, for managers (exports of children's records are theirs, as
    DESIGN.md gives them); each child's record notes the export."""
    _form, grid = _tracker_for(request)
    if grid is None:
        messages.error(request, "Choose an assessment point and children to export.")
        return redirect("keyworker:tracker")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tracker-{slugify(grid.point.name)}.csv"'
    write_tracker_csv(grid, response)
    record_events(
        ((row.child.pk, f"Tracker exported: {grid.point.name}") for row in grid.rows),
        actor=request.user,
        action=ChildAuditEvent.Action.EXPORTED,
    )
    return response
