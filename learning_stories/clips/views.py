"""Clips: played (with ranges, as phones ask) by whoever may see them, prepared off the request, removed by
their author, and the nursery's limits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from accounts.models import User
from children.models import ChildAuditEvent
from children.services import record_event
from core.clips import ClipRejected
from core.private_media import private_file_response
from core.ranges import private_ranged_response
from nursery.permissions import manager_required, staff_required

from ..models import Observation
from . import selectors, services
from .forms import ClipLimitsForm


def add_uploaded_clips(user: User, observation: Observation, uploads: list) -> list[str]:
    """For the capture page's save: each chosen clip checked and kept, or a message naming the file."""
    errors = []
    for upload in uploads:
        try:
            services.add_clip(observation=observation, upload=upload, by=user)
        except ClipRejected as exc:
            errors.append(f"{upload.name}: {exc.message}")
    return errors


@login_required
def clip(request: HttpRequest, pk: int) -> HttpResponse:
    """The clip itself, whole or a range of it: staff of the nursery, or a family allowed to see it."""
    found, viewer = selectors.access_clip(request.user, pk)
    if not found.media:  # being prepared: the original is never served
        raise Http404("This clip is being prepared.")
    # Written once per playing, not for every piece a player asks for.
    if request.headers.get("Range", "bytes=0-").replace(" ", "") in ("bytes=0-", "bytes=0-1"):
        for child in selectors.clip_children(found, found.observation):
            if viewer.is_staff or child.pk in viewer.family_child_ids:
                record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what=f"Clip {pk}")
    return private_ranged_response(request, found.media, content_type=found.content_type)


@login_required
def clip_poster(request: HttpRequest, pk: int) -> HttpResponse:
    found, _ = selectors.access_clip(request.user, pk)
    if not found.poster:
        raise Http404("No poster.")
    return private_file_response(request, found.poster)


@login_required
def clip_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The player of one clip, asked for every 3 s by its card while the clip is being prepared."""
    found, _ = selectors.access_clip(request.user, pk)
    number = request.GET.get("n", "")
    number = number if number.isdigit() and len(number) <= 3 else ""
    html = render_to_string("learning_stories/_clip.html", {"clip": found, "number": number})
    return HttpResponse(html)


@require_POST
@staff_required()
def remove_clip(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_draft_clip(request.user, pk)
    try:
        services.remove_clip(clip=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Clip removed.")
    if request.htmx:
        return HttpResponse("")
    return redirect("stories:edit", pk=found.observation_id)


@manager_required
def clip_settings(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    form = ClipLimitsForm(request.POST or None, instance=nursery)
    if request.method == "POST" and form.is_valid():
        form.save(commit=False).save(update_fields=list(ClipLimitsForm.Meta.fields))
        messages.success(request, "Saved.")
        return redirect("stories:clip_settings")
    return render(request, "learning_stories/clip_settings.html", {"form": form, "nursery": nursery})
