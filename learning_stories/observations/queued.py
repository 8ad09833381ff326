"""Observations made with no connection, sent later from the tablet's outbox (static/js/outbox.js).

One request carries the whole observation: what was typed and tapped, its photos (each with the tablet's key)
and whether to send it or keep it as a draft. Sending the same observation again (a retry after a dropped
connection, or the service worker and a page both trying) answers success with the observation already made:
the capture page's ``client_key`` makes it once, each photo's key adds it once.

Answers (JSON): 200 sent or kept as a draft; 409 ``wrong_person`` when someone else is signed in now (the
tablet keeps it for its author); 422 when it cannot be sent as it is (a child who has left, a photo refused,
no photo consent), with the reasons, and where the server kept a draft of it, its address.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.images import ImageRejected
from nursery.permissions import staff_required

from ..models import Observation
from . import services
from .views import _capture_form, _save

AUTHOR_HEADER = "X-KeyStory-Author"


def _key(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None


def _form_problems(form) -> list[str]:
    problems = []
    for name, errors in form.errors.items():
        if name == "children":
            problems.append(
                "A child in this observation can no longer be chosen: they may have left the nursery. "
                "Choose the children again on the capture page."
            )
        elif name == "__all__":
            problems += errors
        else:
            label = form.fields[name].label or name.replace("_", " ").capitalize()
            problems += [f"{label}: {error}" for error in errors]
    return problems


def _answer(observation: Observation) -> JsonResponse:
    sent = not observation.is_editable
    url = reverse("stories:observation" if sent else "stories:edit", args=[observation.pk])
    return JsonResponse({"ok": True, "id": observation.pk, "sent": sent, "status": observation.status, "url": url})


def _refused(problems: list[str], observation: Observation | None = None, status: int = 422) -> JsonResponse:
    answer = {"ok": False, "errors": problems}
    if observation is not None:
        answer["draft_url"] = reverse("stories:edit", args=[observation.pk])
    return JsonResponse(answer, status=status)


@require_POST
@staff_required()
def send_queued(request: HttpRequest) -> JsonResponse:
    author = request.headers.get(AUTHOR_HEADER)
    if author and author != str(request.user.pk):
        # Someone else signed in on the tablet: their account must not send it. It waits for its author.
        return JsonResponse({"ok": False, "wrong_person": True}, status=409)
    client_key = _key(request.POST.get("client_key", ""))
    if client_key is None:
        return _refused(["This observation has no key: open the capture page and copy the text across."], status=400)
    existing = Observation.objects.filter(client_key=client_key).first()
    mine = existing is None or (
        existing.author_id == request.user.pk and existing.nursery_id == request.staff_post.nursery_id
    )
    if not mine:
        return _refused(["This observation belongs to someone else."], status=404)
    if existing is not None and not existing.is_editable:
        return _answer(existing)  # sent before: the same observation, once
    form = _capture_form(request, existing)
    if not form.is_valid():
        return _refused(_form_problems(form), existing)
    problems = []
    with transaction.atomic():
        observation = _save(request, form, existing)
        if not observation.is_editable:
            return _answer(observation)
        keys = request.POST.getlist("photo_keys")
        for index, upload in enumerate(request.FILES.getlist("photos")):
            key = _key(keys[index]) if index < len(keys) else None
            try:
                services.add_photo(observation=observation, upload=upload, by=request.user, client_key=key)
            except ImageRejected as exc:
                problems.append(f"{upload.name}: {exc.message}")
    if problems:
        return _refused([*problems, "Everything else is kept in the draft."], observation)
    if request.POST.get("action") == "submit":
        try:
            observation = services.submit(observation=observation, by=request.user)
        except ValidationError as exc:
            return _refused(exc.messages, observation)
    return _answer(observation)
