"""A manager imports children and invites their families from a CSV: upload, preview, confirm."""

import csv
import io
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from nursery.permissions import manager_required

from .forms import ChildrenUploadForm, ConfirmImportForm, stage
from .reading import COLUMN_NAMES, COLUMNS, MAX_ROWS, read_children
from .services import ImportRejected
from .services import import_children as import_all


@manager_required
def import_children(request: HttpRequest) -> HttpResponse:
    """GET: how to fill the file in. POST a file: the preview. POST the staged file back: the import."""
    nursery, user = request.staff_post.nursery, request.user
    if request.method == "POST" and "staged" in request.POST:
        if "cancel" in request.POST:
            messages.info(request, "Nothing was imported.")
            return redirect("children:import_children")
        confirm = ConfirmImportForm(request.POST, nursery_id=nursery.pk, user_id=user.pk)
        if not confirm.is_valid():
            return _upload_page(request, ChildrenUploadForm(), problems=confirm.errors["staged"])
        try:
            imported = import_all(nursery=nursery, text=confirm.cleaned_data["staged"], by=user)
        except ImportRejected as rejected:
            return render(request, "children/import_preview.html", {"plan": rejected.plan, "rejected_on_confirm": True})
        _report(request, imported)
        return redirect("children:list")

    form = ChildrenUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        plan = read_children(text, nursery=nursery)
        context = {"plan": plan, "file_name": request.FILES["file"].name}
        if plan.ok:
            context["staged"] = stage(text, nursery_id=nursery.pk, user_id=user.pk)
        return render(request, "children/import_preview.html", context)
    return _upload_page(request, form)


def _upload_page(request: HttpRequest, form: ChildrenUploadForm, problems=()) -> HttpResponse:
    rooms = request.staff_post.nursery.rooms.filter(archived_on__isnull=True)
    context = {
        "form": form,
        "columns": COLUMNS,
        "rooms": rooms,
        "max_rows": MAX_ROWS,
        "problems": problems,
        "invitation_days": settings.INVITATION_VALID_DAYS,
    }
    return render(request, "children/import_children.html", context)


def _report(request: HttpRequest, imported) -> None:
    count, invited = len(imported.children), len(imported.invited)
    added = f"{count} child{'ren' if count != 1 else ''} added."
    if any(item.dispatch.queued is False for item in imported.invited):
        messages.warning(
            request,
            f"{added} The invitation e-mails could not be queued just now; they will go out automatically soon.",
        )
    elif invited:
        messages.success(
            request, f"{added} {invited} invitation{'s are' if invited != 1 else ' is'} on the way by e-mail."
        )
    else:
        messages.success(request, f"{added} Invite their families from each child's page.")


@manager_required
def import_children_template(request: HttpRequest) -> HttpResponse:
    """The column names and one example row, ready to fill in (with a byte order mark, so Excel reads
    accents in names correctly)."""
    today = timezone.localdate()
    room = request.staff_post.nursery.rooms.filter(archived_on__isnull=True).first()
    example = {
        "child_first_name": "Ada",
        "child_last_name": "Example",
        "preferred_name": "Addie",
        "date_of_birth": (today - timedelta(days=3 * 365)).isoformat(),
        "start_date": today.isoformat(),
        "room": room.name if room else "",
        "guardian_name": "Sam Example",
        "guardian_email": "sam.example@example.com",
        "relationship": "mother",
        "parental_responsibility": "yes",
        "guardian2_name": "Alex Example",
        "guardian2_email": "alex.example@example.com",
        "guardian2_relationship": "father",
        "guardian2_parental_responsibility": "yes",
    }
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow([example[name] for name in COLUMN_NAMES])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="keystory-children.csv"'
    return response
