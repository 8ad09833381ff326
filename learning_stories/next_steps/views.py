"""A child's next steps: the family reads them, staff add one by hand or drop one no longer needed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from children.models import ChildAuditEvent
from children.services import record_event
from nursery.permissions import staff_required

from ..framework.selectors import current_framework_for
from ..story.selectors import access_story
from . import selectors, services
from .forms import NextStepForm


@login_required
def next_steps(request: HttpRequest, pk: int) -> HttpResponse:
    """A child's open, achieved (and, for staff, dropped) next steps; staff add one by hand here."""
    child, viewer = access_story(request.user, pk)
    form = None
    if viewer.is_staff:
        form = NextStepForm(request.POST or None, child=child, framework=current_framework_for(child.nursery))
        if request.method == "POST" and form.is_valid():
            try:
                services.add_next_step(child=child, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Next step added for {child.known_as}.")
                return redirect("stories:next_steps", pk=child.pk)
    elif request.method == "POST":
        raise Http404("Families read next steps; staff set them.")
    record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Next steps")
    return render(
        request,
        "learning_stories/next_steps.html",
        {"child": child, "viewer": viewer, "steps": selectors.next_steps_of(child, viewer), "form": form},
    )


@require_POST
@staff_required()
def drop_next_step(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.access_next_step(request.user, pk)
    services.drop_next_step(step=step, by=request.user)
    messages.success(request, "Marked as no longer needed.")
    return redirect("stories:next_steps", pk=step.child_id)
