"""The leaver pack for staff and the family: ask for it, follow its progress, download it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts.tablet import full_sign_in_required
from core.private_media import private_file_response

from ..models import LeaverPack
from . import selectors, services


@login_required
@require_POST
@full_sign_in_required
def request_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a child's leaver pack (or join the one being made), then follow its progress."""
    child = selectors.access_child_for_pack(request.user, pk)
    pack, dispatch = services.request_pack(child=child, user=request.user)
    if dispatch is None:
        messages.info(request, "The pack is already being made: here is how far it has got.")
    elif dispatch.queued is False:
        messages.info(
            request,
            "Your request is saved. Making the pack will start shortly; you can leave this page and we will "
            "e-mail you when it is ready.",
        )
    return redirect("transitions:pack", pack.pk)


@login_required
@full_sign_in_required
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the pack has got (the status part is fetched again by htmx until it is done)."""
    pack = selectors.access_pack(request.user, pk)
    template = "transitions/_pack_status.html" if request.htmx else "transitions/pack.html"
    return render(request, template, {"pack": pack, "child": pack.child, "expired": _expired(pack)})


@login_required
@full_sign_in_required
def download_pack(request: HttpRequest, pk: int) -> HttpResponse:
    pack = selectors.access_pack(request.user, pk)
    if _expired(pack):
        return render(request, "transitions/pack_expired.html", {"pack": pack, "child": pack.child}, status=410)
    if pack.status != LeaverPack.Status.READY:
        return redirect("transitions:pack", pack.pk)
    services.record_download(pack=pack, user=request.user)
    name = f"{pack.child.known_as} leaver pack {pack.built_at:%Y-%m-%d}.zip"
    response = private_file_response(request, pack.file, download_name=name)
    if response.has_header("Content-Disposition"):  # a ZIP is saved, never shown
        response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _expired(pack: LeaverPack) -> bool:
    """Expired as soon as the date passes, even before the sweep deletes the file."""
    return pack.status == LeaverPack.Status.EXPIRED or (
        pack.status == LeaverPack.Status.READY and pack.expires_at is not None and pack.expires_at <= timezone.now()
    )
