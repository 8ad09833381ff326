"""The receiving school's link to a leaver pack: managers make and revoke it, families see it, the school
opens it without an account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.views import report_dispatch
from children.models import ChildAuditEvent
from children.selectors import can_manage_child, children_visible_to, guardian_link
from children.services import record_event
from core.private_media import private_file_response
from nursery.permissions import manager_required

from ..models import SchoolShareLink
from . import selectors, services
from .forms import SchoolLinkForm


@login_required
def school_links(request: HttpRequest, pk: int) -> HttpResponse:
    """Managers: share a ready pack and follow each link's downloads. The family: when it was shared and opened."""
    child = get_object_or_404(children_visible_to(request.user), pk=pk)
    is_manager = can_manage_child(request.user, child)
    if not is_manager and guardian_link(request.user, child) is None:
        raise PermissionDenied("Only managers and the child's family see the school links.")
    record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Links for the school")
    packs = selectors.ready_packs_of(child)
    problem = services.school_link_problem(packs[0]) if packs else "There is no ready leaver pack to share yet."
    form = SchoolLinkForm(request.POST or None, packs=packs) if is_manager and not problem else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(problem or "Only managers share leaver packs.")
        if form.is_valid():
            try:
                link, dispatch = services.create_school_link(
                    pack=form.cleaned_data["pack"],
                    school=form.cleaned_data["school"],
                    email=form.cleaned_data["email"],
                    days=form.cleaned_data["days"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if dispatch is None:
                    messages.success(request, f"Link made for {link.school}. Copy it below and send it to them.")
                else:
                    report_dispatch(request, dispatch, f"Link made; it is on its way to {link.email}.")
                return redirect("transitions:school_links", pk=child.pk)
    context = {
        "child": child,
        "is_manager": is_manager,
        "links": selectors.school_link_rows(child),
        "form": form,
        "problem": problem,
        "now": timezone.now(),
    }
    return render(request, "transitions/school_links.html", context)


@require_POST
@manager_required
def revoke_school_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(selectors.school_links_managed_by(request.user), pk=pk)
    services.revoke_school_link(link=link, by=request.user)
    messages.success(request, f"The link for {link.school} no longer works.")
    return redirect("transitions:school_links", pk=link.pack.child_id)


def _open_link(request: HttpRequest, token: str) -> tuple[SchoolShareLink | None, HttpResponse | None]:
    """The working link, or the friendly page to show instead: 404 for an address that was never made (so
    nothing says whether a child exists), 410 for one that expired, was revoked or lost the family's consent."""
    link = selectors.school_link_for_token(token)
    if link is None:
        return None, render(request, "transitions/school_link_closed.html", {"unknown": True}, status=404)
    if not selectors.school_link_works(link):
        context = {"nursery": link.pack.child.nursery}
        return None, render(request, "transitions/school_link_closed.html", context, status=410)
    return link, None


def school_page(request: HttpRequest, token: str) -> HttpResponse:
    link, closed = _open_link(request, token)
    if closed:
        return closed
    return render(request, "transitions/school_page.html", {"link": link, "child": link.pack.child})


@require_POST
def school_download(request: HttpRequest, token: str) -> HttpResponse:
    """POST, so that an e-mail scanner following the link never counts (or makes) a download."""
    link, closed = _open_link(request, token)
    if closed:
        return closed
    services.record_school_download(
        link=link, ip_address=request.META.get("REMOTE_ADDR"), user_agent=request.headers.get("User-Agent", "")
    )
    child = link.pack.child
    return private_file_response(request, link.pack.file, download_name=f"{child.display_name} leaver pack.zip")
