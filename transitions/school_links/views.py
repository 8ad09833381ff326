"""The receiving school's link to a leaver pack: managers make and revoke it, families see it, the school
opens it without an account."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.tablet import full_sign_in_required
from accounts.views import report_dispatch
from children.models import ChildAuditEvent
from children.services import record_event
from core.private_media import private_file_response
from nursery.permissions import manager_required

from ..links import visitor
from ..models import SchoolShareLink
from . import selectors, services
from .forms import SchoolLinkForm


@login_required
@full_sign_in_required
def school_links(request: HttpRequest, pk: int) -> HttpResponse:
    """Managers: share a ready pack and follow each link's downloads. The family: when it was shared and opened."""
    child, viewer = selectors.access_child_for_school_links(request.user, pk)
    record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Links for the school")
    packs = selectors.ready_packs_of(child)
    problem = services.school_link_problem(packs[0]) if packs else "There is no ready leaver pack to share yet."
    form = SchoolLinkForm(request.POST or None, packs=packs) if viewer.may_manage and not problem else None
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
        "is_manager": viewer.may_manage,
        "links": selectors.school_link_rows(child),
        "form": form,
        "problem": problem,
        "now": timezone.now(),
    }
    return render(request, "transitions/school_links.html", context)


@require_POST
@manager_required
def revoke_school_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.access_school_link(request.user, pk)
    services.revoke_school_link(link=link, by=request.user)
    messages.success(request, f"The link for {link.school} no longer works.")
    return redirect("transitions:school_links", pk=link.pack.child_id)


def with_open_link(view: Callable[[HttpRequest, SchoolShareLink], HttpResponse]) -> Callable[..., HttpResponse]:
    """Give the view the working link its address names, or show the friendly page instead: 404 for an
    address that was never made (so nothing says whether a child exists), 410 for one that expired, was
    revoked or lost the family's consent."""

    @wraps(view)
    def opened(request: HttpRequest, token: str) -> HttpResponse:
        try:
            link = selectors.access_school_link_by_token(token)
        except selectors.SchoolLinkClosed as closed:
            if closed.nursery is None:
                return render(request, "transitions/school_link_closed.html", {"unknown": True}, status=404)
            return render(request, "transitions/school_link_closed.html", {"nursery": closed.nursery}, status=410)
        return view(request, link)

    return opened


@with_open_link
def school_page(request: HttpRequest, link: SchoolShareLink) -> HttpResponse:
    return render(request, "transitions/school_page.html", {"link": link, "child": link.pack.child})


@require_POST
@with_open_link
def school_download(request: HttpRequest, link: SchoolShareLink) -> HttpResponse:
    """POST, so that an e-mail scanner following the link never counts (or makes) a download."""
    ip_address, user_agent = visitor(request)
    services.record_school_download(link=link, ip_address=ip_address, user_agent=user_agent)
    child = link.pack.child
    return private_file_response(request, link.pack.file, download_name=f"{child.display_name} leaver pack.zip")
