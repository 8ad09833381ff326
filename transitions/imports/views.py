"""A manager imports a leaver pack from another setting: upload, see what will arrive, confirm, see the result."""

from uuid import uuid4

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nursery.permissions import manager_required

from . import selectors, services
from .forms import PackUploadForm
from .importer import PackRejected, open_pack

STAGED = "transitions_staged_pack"  # session key: the uploaded ZIP waiting for the manager to confirm


def _discard_staged(request: HttpRequest) -> None:
    if name := request.session.pop(STAGED, None):
        default_storage.delete(name)


@manager_required
def import_pack(request: HttpRequest) -> HttpResponse:
    """Upload a pack: it is checked in full and its contents counted before anything is imported."""
    form = PackUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "imports": selectors.imports_managed_by(request.user)[:20]}
    if request.method == "POST" and form.is_valid():
        _discard_staged(request)
        name = default_storage.save(f"{services.STAGED_FOLDER}/{uuid4().hex}.zip", form.cleaned_data["pack"])
        try:
            with default_storage.open(name) as upload, open_pack(upload) as pack:
                context.update(preview=pack.counts(), setting=pack.setting, child_name=pack.child_name)
        except PackRejected as rejected:
            context["problems"] = rejected.problems
        else:
            request.session[STAGED] = name
        finally:  # kept only when it waits for the manager to confirm, whatever went wrong otherwise
            if request.session.get(STAGED) != name:
                default_storage.delete(name)
    return render(request, "transitions/import_pack.html", context)


@require_POST
@manager_required
def confirm_import(request: HttpRequest) -> HttpResponse:
    """Import the checked upload, all or nothing; or cancel it."""
    name = request.session.get(STAGED)
    if "cancel" in request.POST or not name:
        _discard_staged(request)
        messages.info(request, "Nothing was imported." if name else "Choose the pack again: nothing is waiting.")
        return redirect("transitions:import_pack")
    try:
        with default_storage.open(name) as upload:
            result = services.import_pack(nursery=request.staff_post.nursery, upload=upload, by=request.user)
    except PackRejected as rejected:
        context = {"form": PackUploadForm(), "problems": rejected.problems}
        return render(request, "transitions/import_pack.html", context)
    finally:
        _discard_staged(request)
    return redirect("transitions:import_result", pk=result.pk)


@manager_required
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    result = selectors.access_pack_import(request.user, pk)
    return render(request, "transitions/import_result.html", {"result": result, "child": result.child})
