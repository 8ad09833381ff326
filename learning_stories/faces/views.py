"""The faces panel on a capture page photo card: name each face, draw a box the detector missed, remove one,
and confirm the faces were checked. The draft's author; on a published entry also its author and the
nursery's managers, to put a wrongly named face right. Anyone else gets 404."""

import math

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from children.models import ConsentPurpose
from children.selectors import children_with_consent
from core.ids import parse_id
from nursery.permissions import staff_required

from ..models import ObservationPhoto
from ..observations.selectors import access_face_photo
from ..story.selectors import photo_children
from . import services
from .models import PhotoFace
from .selectors import needs_check


def _face(user, pk: int) -> PhotoFace:
    face = PhotoFace.objects.filter(pk=pk).first()
    if face is None:
        raise Http404("No such face.")
    face.photo = access_face_photo(user, face.photo_id)  # 404 unless the user may change its faces
    return face


def _panel(request: HttpRequest, photo: ObservationPhoto, *, error: str = "", page: bool = False) -> HttpResponse:
    """The panel again, after a change (``page``: also without htmx); without htmx, back to the capture page."""
    if not request.htmx and not page:
        if error:
            messages.error(request, error)
        if photo.observation.is_editable:
            return redirect("stories:edit", pk=photo.observation_id)
        return redirect("stories:observation", pk=photo.observation_id)
    children = photo_children(photo, photo.observation)
    faces = list(PhotoFace.objects.filter(photo=photo).select_related("child"))
    photo._prefetched_objects_cache = {"faces": faces}
    in_photo = {c.pk for c in children}
    shared = children_with_consent(in_photo, ConsentPurpose.PHOTOS_OTHERS_STORIES) if in_photo else set()
    context = {
        "photo": photo,
        "faces": faces,
        "children": children,
        "needs_check": needs_check(photo, in_photo, shared),
        "unnamed": any(face.child_id is None for face in faces),
        "error": error,
    }
    html = render_to_string("learning_stories/faces/_faces.html", context, request=request)
    return HttpResponse(html)


@staff_required()
def photo_faces(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel, asked for again every 2 s while the photo is being prepared."""
    return _panel(request, access_face_photo(request.user, pk), page=True)


@require_POST
@staff_required()
def name_face(request: HttpRequest, pk: int) -> HttpResponse:
    face = _face(request.user, pk)
    chosen = request.POST.get(f"face-{pk}-child", "")
    child_id = parse_id(chosen)
    if chosen and child_id is None:
        return _panel(request, face.photo, error="Choose one of the children in this photo.")
    try:
        services.name_face(face=face, child_id=child_id)
    except ValidationError as exc:
        return _panel(request, face.photo, error=exc.messages[0])
    return _panel(request, face.photo)


def _fraction(value: str) -> float | None:
    """A percentage typed or sent by the drawing, as a fraction; None if it is not a number."""
    try:
        number = float(value.strip().rstrip("%"))
    except (ValueError, AttributeError):
        return None
    return number / 100 if math.isfinite(number) else None


@require_POST
@staff_required()
def add_face(request: HttpRequest, pk: int) -> HttpResponse:
    photo = access_face_photo(request.user, pk)
    values = [_fraction(request.POST.get(f"photo-{pk}-box-{part}", "")) for part in ("x", "y", "w", "h")]
    if any(value is None for value in values):
        return _panel(request, photo, error="Give the box's left, top, width and height as numbers from 0 to 100.")
    x, y, w, h = values
    try:
        services.add_face(photo=photo, x=x, y=y, w=w, h=h)
    except ValidationError as exc:
        return _panel(request, photo, error=exc.messages[0])
    return _panel(request, photo)


@require_POST
@staff_required()
def remove_face(request: HttpRequest, pk: int) -> HttpResponse:
    face = _face(request.user, pk)
    try:
        services.remove_face(face=face)
    except ValidationError as exc:
        return _panel(request, face.photo, error=exc.messages[0])
    return _panel(request, face.photo)


@require_POST
@staff_required()
def check_faces(request: HttpRequest, pk: int) -> HttpResponse:
    photo = access_face_photo(request.user, pk)
    try:
        services.confirm_faces_checked(photo=photo)
    except ValidationError as exc:
        return _panel(request, photo, error=exc.messages[0])
    return _panel(request, photo)
