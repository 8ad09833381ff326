"""Settling-in plans for new starters. Thin views: staff read and (managers, the key person) change it;
the child's family read a friendly version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from children.models import ChildAuditEvent
from children.services import record_event
from nursery.permissions import staff_required

from ..models import SettlingSession
from ..pages import form_page, service_errors
from . import selectors, services
from .forms import DetailsForm, SessionForm, SessionOutcomeForm

NO_PLAN_YET = "Start the settling-in plan first."


@login_required
def settling(request: HttpRequest, pk: int) -> HttpResponse:
    """Child ``pk``'s settling-in plan: the checklist and sessions for staff, sessions and how they went for
    the family."""
    child, standing = selectors.access_child(request.user, pk)
    plan = selectors.plan_of(child)
    sessions = selectors.sessions_of(plan)
    context = {"child": child, "plan": plan, "sessions": sessions, "standing": standing, "today": timezone.localdate()}
    if plan is not None:
        record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Settling-in plan")
    if not standing.is_staff:
        context["key_person"] = selectors.starter_key_person(child)
        return render(request, "transitions/settling_family.html", context)
    context |= {
        "checklist": selectors.checklist(child, plan, sessions),
        "key_person": selectors.starter_key_person(child),
        "all_about_me_empty": selectors.all_about_me_is_empty(child),
        "now": timezone.now(),
    }
    return render(request, "transitions/settling.html", context)


@require_POST
@staff_required()
def start_settling(request: HttpRequest, pk: int) -> HttpResponse:
    child, _ = selectors.access_child(request.user, pk, edit=True)
    services.start_plan(child=child, by=request.user)
    messages.success(request, f"Settling-in plan started for {child.known_as}.")
    return redirect("transitions:settling", pk=child.pk)


@staff_required()
def settling_details(request: HttpRequest, pk: int) -> HttpResponse:
    child, _ = selectors.access_child(request.user, pk, edit=True)
    plan = selectors.plan_of(child)
    if plan is None:  # a GET changes nothing: the plan is started by its own button
        messages.info(request, NO_PLAN_YET)
        return redirect("transitions:settling", pk=child.pk)
    form = DetailsForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_details(plan=form.instance, by=request.user)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Settling-in plan saved.")
            return redirect("transitions:settling", pk=child.pk)
    return form_page(request, form, child=child, title=f"Settling in: {child.display_name}", submit="Save")


@staff_required()
def add_session(request: HttpRequest, pk: int) -> HttpResponse:
    child, _ = selectors.access_child(request.user, pk, edit=True)
    plan = selectors.plan_of(child)
    if plan is None:  # a GET changes nothing: the plan is started by its own button
        messages.info(request, NO_PLAN_YET)
        return redirect("transitions:settling", pk=child.pk)
    form = SessionForm(request.POST or None, instance=SettlingSession(plan=plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.book_session(session=form.instance, by=request.user)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Settling session booked.")
            return redirect("transitions:settling", pk=child.pk)
    return form_page(request, form, child=child, title="Book a settling session", submit="Book session")


@staff_required()
def record_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.access_session(request.user, pk)
    child = session.plan.child
    form = SessionOutcomeForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_session(
                session=session,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                what_helped=form.cleaned_data["what_helped"],
                by=request.user,
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Session recorded.")
            return redirect("transitions:settling", pk=child.pk)
    when = f"{timezone.localtime(session.starts_at):%-d %B, %H:%M}"
    return form_page(request, form, child=child, title=f"How the session on {when} went", submit="Save")
