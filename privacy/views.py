"""Subject access pages (a parent's own download, a manager's requests, following and downloading an
export) and the nursery's record history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts.tablet import full_sign_in_required
from core.ids import parse_id
from core.private_media import private_file_response
from core.queue import Dispatch
from nursery.permissions import manager_required

from . import selectors, services
from .forms import HistoryForm, RequestForm
from .models import SubjectAccessExport


def _tell(request: HttpRequest, dispatch: Dispatch | None) -> None:
    if dispatch is None:
        messages.info(request, "This download is already being made: here is how far it has got.")
    elif dispatch.queued is False:
        messages.info(request, "Your request is saved. Making the download will start in a few minutes.")


@login_required
@full_sign_in_required
def my_data(request: HttpRequest) -> HttpResponse:
    """A parent or carer downloads what the nursery holds about their child and about themselves."""
    if not request.user.guardianships.exists():
        raise PermissionDenied("This page is for parents and carers.")
    return render(
        request,
        "privacy/subject_access_mine.html",
        {"children": selectors.children_for_own_export(request.user), "exports": selectors.own_exports(request.user)},
    )


@login_required
@require_POST
@full_sign_in_required
def request_own(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.access_child_for_own_export(request.user, pk)
    export, dispatch = services.request_export(nursery=child.nursery, child=child, person=request.user, by=request.user)
    _tell(request, dispatch)
    return redirect("privacy:export", export.pk)


@manager_required
def requests(request: HttpRequest) -> HttpResponse:
    """A manager answers a subject access request about anyone at the nursery, within the statutory month."""
    nursery = request.staff_post.nursery
    initial = {}
    if child_id := request.GET.get("child", ""):
        initial["child"] = parse_id(child_id)
    form = RequestForm(request.POST or None, nursery=nursery, initial=initial)
    if request.method == "POST" and form.is_valid():
        export, dispatch = services.request_export(
            nursery=nursery,
            child=form.cleaned_data["child"],
            person=form.cleaned_data["person"],
            by=request.user,
            received_on=form.cleaned_data["received_on"],
        )
        _tell(request, dispatch)
        return redirect("privacy:export", export.pk)
    return render(
        request,
        "privacy/subject_access_requests.html",
        {"form": form, "exports": selectors.nursery_exports(nursery), "listed": selectors.EXPORTS_LISTED},
    )


@login_required
@full_sign_in_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the export has got (the status part is fetched again by htmx until it is done)."""
    export = selectors.access_export(request.user, pk)
    template = "privacy/_subject_access_status.html" if request.htmx else "privacy/subject_access_export.html"
    return render(request, template, {"export": export})


@login_required
@full_sign_in_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    export = selectors.access_export(request.user, pk)
    if export.is_expired:
        return render(request, "privacy/subject_access_expired.html", {"export": export}, status=410)
    if export.status != SubjectAccessExport.Status.READY:
        return redirect("privacy:export", export.pk)
    services.record_download(export=export, user=request.user)
    name = f"{export.subject_name} - information held {export.built_at:%Y-%m-%d}.zip"
    response = private_file_response(request, export.file, download_name=name)
    if response.has_header("Content-Disposition"):  # a ZIP is saved, never shown
        response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@manager_required
def record_history(request: HttpRequest) -> HttpResponse:
    """Who viewed, changed, exported or shared which child's record, filterable, a page at a time."""
    nursery = request.staff_post.nursery
    form = HistoryForm(request.GET or None, nursery=nursery)
    chosen = selectors.HistoryFilter(**form.usable_filters())
    before = request.GET.get("before", "")
    events, more = selectors.record_history(nursery, chosen, before=parse_id(before))
    query = request.GET.copy()
    query.pop("before", None)
    newest = f"?{query.urlencode()}" if before else ""
    if more:
        query["before"] = str(events[-1].pk)
    return render(
        request,
        "privacy/record_history.html",
        {"form": form, "events": events, "older": f"?{query.urlencode()}" if more else "", "newest": newest},
    )
