"""Assessment points (managers), a child's assessments (staff and family) and the grid where staff record
them. Reads come from ``selectors``, writes go through ``services``; another family's child answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from children.models import ChildAuditEvent
from children.services import record_event
from nursery.permissions import manager_required, staff_required

from ..framework.selectors import areas_of, current_framework_for
from ..story.selectors import access_story
from . import selectors, services
from .forms import AssessmentGridForm, AssessmentPointForm


@manager_required
def assessment_points(request: HttpRequest) -> HttpResponse:
    """The nursery's assessment points, and a form to add the next one."""
    nursery = request.staff_post.nursery
    form = AssessmentPointForm(request.POST or None, nursery=nursery)
    if request.method == "POST" and form.is_valid():
        point = services.add_assessment_point(nursery=nursery, **form.cleaned_data)
        messages.success(request, f"{point.name} added: key persons can now record assessments for it.")
        return redirect("stories:assessment_points")
    points = selectors.assessment_points_of(nursery).order_by("-starts_on")
    return render(request, "learning_stories/assessment_points.html", {"form": form, "points": points})


@login_required
def child_assessments(request: HttpRequest, pk: int) -> HttpResponse:
    """Every assessment of the child, newest point first: for staff with links to record them, for the
    family in plain words."""
    child, viewer = access_story(request.user, pk)
    record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Assessments")
    summaries = selectors.assessment_summaries(child, viewer)
    context = {"child": child, "viewer": viewer, "summaries": summaries}
    if viewer.is_staff:
        context["points"] = selectors.assessment_points_of(child.nursery_id).order_by("-starts_on")
        context["may_assess"] = selectors.may_assess(request.user, child)
    return render(request, "learning_stories/child_assessments.html", context)


@staff_required()
def assess_child(request: HttpRequest, pk: int, point: int) -> HttpResponse:
    """One page per child and point with every area on it, as a key person fills it in."""
    child, point = selectors.access_assessment_grid(request.user, pk, point)
    framework = current_framework_for(child.nursery_id)
    areas = list(areas_of(framework))
    reception = selectors.is_reception_age(child, point.ends_on)
    existing = list(selectors.assessments_for(child).filter(point=point))
    if request.method == "GET":
        record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Assessments")
    form = AssessmentGridForm(
        request.POST or None,
        child=child,
        point=point,
        framework=framework,
        areas=areas,
        default_band=selectors.band_for(framework.bands.all(), child, point.ends_on),
        reception=reception,
        evidence=selectors.evidence_for(child, point),
        existing=existing,
    )
    if request.method == "POST" and form.is_valid():
        services.record_assessments(
            child=child,
            point=point,
            framework=framework,
            assessed_on=form.cleaned_data["assessed_on"],
            rows=form.judgements,
            cleared=form.cleared,
            by=request.user,
        )
        messages.success(request, f"{child.known_as}'s assessments at {point.name} saved.")
        return redirect("stories:assessments", pk=child.pk)
    context = {"child": child, "point": point, "framework": framework, "form": form, "reception": reception}
    return render(request, "learning_stories/assess_child.html", context)
