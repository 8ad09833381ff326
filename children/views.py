from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.views import invitation_action, report_dispatch
from config.images import PhotoForm
from config.private_media import photo_response
from config.queue import Dispatch
from nursery.permissions import manager_required, staff_required

from . import selectors, services
from .forms import GuardianInvitationForm
from .models import Child, ChildAuditEvent, ConsentPurpose, Guardianship
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
            "photo_shown": bool(child.photo) and selectors.has_consent(child, ConsentPurpose.PHOTOS_OWN_STORY),
            "is_staff": is_manager or selectors.works_at(request.user, child.nursery_id),
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


@login_required
def child_photo(request: HttpRequest, pk: int, small: bool) -> HttpResponse:
    """The child's photo, for anyone who may see the child, while the family's consent stands."""
    child = get_object_or_404(selectors.children_visible_to(request.user), pk=pk)
    if not selectors.has_consent(child, ConsentPurpose.PHOTOS_OWN_STORY):
        raise Http404("No photo.")
    if not small:  # thumbnails are part of pages that record their own viewing
        services.record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Photo")
    return photo_response(
        request, child.photo, child.photo_thumbnail, small=small, download_name=f"{child.known_as}.jpg"
    )


def tell_photo_saved(request: HttpRequest, dispatch: Dispatch | None) -> None:
    if dispatch is None:
        messages.success(request, "Photo removed.")
    elif dispatch.queued is False:
        messages.success(request, "Photo saved. Its small version for lists will appear shortly.")
    else:
        messages.success(request, "Photo saved.")


@staff_required()
def change_child_photo(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(selectors.children_in_staff_care(request.user), pk=pk)
    allowed = selectors.has_consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = services.set_child_photo(child=child, photo=form.cleaned_data["photo"], by=request.user)
        except ValidationError as refused:
            form.add_error(None, refused.message)
        else:
            tell_photo_saved(request, dispatch)
            return redirect("children:detail", pk=child.pk)
    return render(
        request,
        "children/change_photo.html",
        {
            "child": child,
            "form": form,
            "allowed": allowed,
            "current": reverse("children:photo_thumbnail", args=[child.pk]) if child.photo and allowed else "",
        },
    )


@require_POST
@staff_required()
def remove_child_photo(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(selectors.children_in_staff_care(request.user), pk=pk)
    tell_photo_saved(request, services.set_child_photo(child=child, photo=None, by=request.user))
    return redirect("children:detail", pk=child.pk)
