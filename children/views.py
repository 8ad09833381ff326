from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.views import invitation_action, report_dispatch
from nursery.forms import WeekPatternForm
from nursery.permissions import manager_required, staff_required

from . import selectors, services
from .forms import GuardianInvitationForm
from .models import Child, ChildAuditEvent, Guardianship
from .panels import panels_for


@staff_required()
def child_list(request: HttpRequest) -> HttpResponse:
    children = (
        selectors.children_in_staff_care(request.user)
        .filter(nursery=request.staff_post.nursery)
        .order_by("room__min_age_months", "first_name")
    )
    return render(request, "children/child_list.html", {"children": children})


@login_required
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(
        selectors.children_visible_to(request.user).prefetch_related(
            Prefetch("guardianships", queryset=Guardianship.objects.select_related("user"))
        ),
        pk=pk,
    )
    services.record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Child's page")
    is_manager = selectors.can_manage_child(request.user, child)
    return render(
        request,
        "children/child_detail.html",
        {
            "child": child,
            "panels": panels_for(request, child),
            "is_manager": is_manager,
            "pending": selectors.pending_guardian_invitations(request.user).filter(child=child) if is_manager else [],
        },
    )


def _managed_child(request: HttpRequest, pk: int) -> Child:
    child = get_object_or_404(selectors.children_visible_to(request.user), pk=pk)
    if not selectors.can_manage_child(request.user, child):
        raise PermissionDenied("Only the nursery's managers can do this.")
    return child


@manager_required
def invite_guardian(request: HttpRequest, pk: int) -> HttpResponse:
    child = _managed_child(request, pk)
    form = GuardianInvitationForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invited = services.invite_guardian(
            children=[child, *data.get("siblings", [])],
            email=data["email"],
            full_name=data["full_name"],
            relationship=data["relationship"],
            has_parental_responsibility=data["has_parental_responsibility"],
            invited_by=request.user,
        )
        report_dispatch(
            request, invited.dispatch, f"Invitation for {invited.invitation.email} saved and on its way by e-mail."
        )
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/invite_guardian.html", {"child": child, "form": form})


@require_POST
@manager_required
def guardian_invitation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    grant = get_object_or_404(selectors.pending_guardian_invitations(request.user), pk=pk)
    invitation_action(request, grant.invitation, action)
    return redirect("children:detail", pk=grant.child_id)


@manager_required
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    child = _managed_child(request, pk)
    events = child.audit_events.select_related("actor")[:200]
    return render(request, "children/audit_log.html", {"child": child, "events": events})


@manager_required
def bookings(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's booking pattern: which sessions they come to on which weekdays."""
    child = _managed_child(request, pk)
    form = WeekPatternForm(
        request.POST or None,
        sessions=list(child.nursery.sessions.all()),
        chosen=set(child.bookings.values_list("weekday", "session_id")),
    )
    if request.method == "POST" and form.is_valid():
        services.set_booking_pattern(child=child, slots=form.cleaned_data["slots"], by=request.user)
        messages.success(request, f"{child.known_as}'s sessions saved.")
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/bookings.html", {"child": child, "form": form})
