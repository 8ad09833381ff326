"""Observation capture on a tablet, drafts, photos, one entry with its comments, and the manager's review.
Views stay thin: reads come from selectors, writes go through services; anything not the viewer's answers 404."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from children.access import Viewer
from children.models import ChildAuditEvent
from children.services import record_event
from core.ids import parse_id, parse_ids
from core.images import ImageRejected
from core.pagination import paginate
from core.private_media import private_file_response
from nursery.permissions import manager_required, staff_required
from nursery.setup import confirm_step

from ..clips.views import add_uploaded_clips
from ..faces.services import photo_file_for
from ..framework.selectors import aspects_by_area, current_framework_for, suggestions_for
from ..models import Observation
from ..next_steps.forms import achieved_steps
from ..next_steps.selectors import steps_to_close
from ..next_steps.services import set_achieved_steps
from ..story.selectors import decorate, names_mentioned, photo_children, with_story_details
from . import selectors, services
from .forms import CommentForm, ObservationForm, ReturnForm, ReviewPolicyForm, TagForm


def _client_key(request: HttpRequest, draft: Observation | None) -> uuid.UUID:
    if draft is not None:
        return draft.client_key
    try:
        return uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        return uuid.uuid4()


REVIEW_PAGE_SIZE = 20  # whole entries with photos: a screenful to check, not the whole backlog


def _capture_form(request: HttpRequest, draft: Observation | None) -> ObservationForm:
    nursery = request.staff_post.nursery
    framework = draft.framework if draft and draft.framework else current_framework_for(nursery)
    children = selectors.children_for_capture(request.user, nursery, draft=draft)
    photos = draft.photos.prefetch_related("children") if draft else []
    if request.method == "POST":
        return ObservationForm(request.POST, children=children, framework=framework, photos=photos)
    initial = {}
    if draft is not None:
        initial = {
            "observed_at": timezone.localtime(draft.observed_at),
            "text": draft.text,
            "child_voice": draft.child_voice,
            "children": list(draft.children.all()),
            "areas": list(draft.areas.all()),
            "aspects": list(draft.aspects.all()),
            "statements": list(draft.statements.all()),
            "characteristics": list(draft.characteristics.all()),
            "staff_only": draft.staff_only,
            "wellbeing": draft.wellbeing,
            "involvement": draft.involvement,
        }
    elif (child_id := parse_id(request.GET.get("child"))) is not None:
        initial["children"] = list(children.filter(pk=child_id))
    return ObservationForm(initial=initial, children=children, framework=framework, photos=photos)


def _save(request: HttpRequest, form: ObservationForm, draft: Observation | None) -> Observation:
    try:
        return services.save_draft(
            author=request.user,
            nursery=request.staff_post.nursery,
            client_key=_client_key(request, draft),
            data=form.observation_data(),
        )
    except Observation.DoesNotExist:
        raise Http404("No such draft.") from None


@staff_required()
def capture(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The tablet page: children, what happened, areas, photos. Saving or sending is one POST."""
    draft = selectors.access_draft(request.user, pk) if pk is not None else None
    if draft is not None and not draft.is_editable:
        return redirect("stories:observation", pk=draft.pk)
    form = _capture_form(request, draft)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        observation = _save(request, form, draft)
        if not observation.is_editable:  # a second tap on "Send", or a retry after a dropped connection
            return redirect("stories:observation", pk=observation.pk)
        errors += _add_uploaded_photos(request, observation, request.FILES.getlist("photos"))
        errors += add_uploaded_clips(request.user, observation, request.FILES.getlist("clips"))
        if request.POST.get("action") == "submit" and not errors:
            try:
                observation = services.submit(observation=observation, by=request.user)
            except ValidationError as exc:
                errors += exc.messages
            else:
                if observation.staff_only:
                    messages.success(request, "Saved in the child's record for staff only.")
                elif observation.status == Observation.Status.PUBLISHED:
                    messages.success(request, "Shared with the family.")
                else:
                    messages.success(request, "Sent to a manager to check before families see it.")
                return redirect("stories:observation", pk=observation.pk)
        if not errors:
            messages.success(request, "Draft saved.")
            return redirect("stories:edit", pk=observation.pk)
        draft = observation
        form = _capture_form(request, draft)  # re-bound to the POST, now with the saved photos
    return render(request, "learning_stories/capture.html", _capture_context(request, form, draft, errors))


@staff_required()
def capture_other_children(request: HttpRequest) -> HttpResponse:
    """The capture page's "Children in other rooms", fetched when opened: each child's chip and (for the
    page to append to its next steps) their next-step box. ``shown`` lists the children already on the page."""
    shown = set(parse_ids(request.GET.get("shown", "").split(",")))
    children = selectors.children_for_capture(request.user, request.staff_post.nursery).exclude(pk__in=shown)
    offered = selectors.capture_children(
        list(children), tagged=set(), observation=None, typed_next_steps={}, ticked_steps=None
    )
    return render(request, "learning_stories/_capture_other_children.html", {"children": offered})


def _add_uploaded_photos(request: HttpRequest, observation: Observation, uploads: list) -> list[str]:
    errors = []
    for upload in uploads:
        try:
            services.add_photo(observation=observation, upload=upload, by=request.user)
        except ImageRejected as exc:
            errors.append(f"{upload.name}: {exc.message}")
    return errors


def _capture_context(request: HttpRequest, form: ObservationForm, draft: Observation | None, errors: list[str]) -> dict:
    children = list(form.fields["children"].queryset)
    here = selectors.children_here_now(form.fields["children"].queryset)
    room_id = request.staff_post.room_id
    selected = {
        name: set(parse_ids(getattr(value, "pk", value) for value in (form[name].value() or [])))
        for name in ("children", "areas", "aspects", "statements", "characteristics")
    }
    # First the children around the practitioner: their room's (those signed in first), or for someone
    # with no room of their own, everyone signed in now. The others wait behind "Children in other rooms",
    # fetched only when it is opened (``capture_other_children``), unless one of them is tagged already.
    if room_id:
        near_ids = {child.pk for child in children if child.room_id == room_id}
        others_label = "Children in other rooms"
    else:
        near_ids = {child.pk for child in children if child.pk in here}
        others_label = "Children not signed in" if near_ids else "All children"
    tagged_elsewhere = bool(selected["children"] - near_ids)
    lazy = bool(near_ids) and not tagged_elsewhere and len(near_ids) < len(children)
    shown = [child for child in children if child.pk in near_ids] if lazy else children
    offered = selectors.capture_children(
        shown,
        tagged=selected["children"],
        observation=draft,
        typed_next_steps=form.typed_next_steps(),
        ticked_steps=form.ticked_steps(),
    )
    tagged_children = [row.child for row in offered if row.tagged]
    near = sorted((row for row in offered if row.child.pk in near_ids), key=lambda row: row.child.pk not in here)
    others = [row for row in offered if row.child.pk not in near_ids]
    others_url = ""
    if lazy:
        others_url = f"{reverse('stories:capture_other_children')}?{urlencode({'shown': ','.join(map(str, near_ids))})}"
    return {
        "form": form,
        "selected": selected,
        "draft": draft,
        "client_key": _client_key(request, draft),
        "room_children": near,
        "other_children": others,
        "others_label": others_label,
        "others_open": not near or tagged_elsewhere,
        "others_url": others_url,
        "children": offered,
        "photos": selectors.photo_cards(form.photos, offered),
        "errors": errors,
        "aspects_by_area": aspects_by_area(form.framework),
        "suggestions": suggestions_for(tagged_children),
        "mentioned": names_mentioned(form.data.get("text", draft.text if draft else ""), tagged_children, children),
    }


@require_POST
@staff_required()
def autosave(request: HttpRequest, pk: int | None = None) -> JsonResponse:
    """Called every few seconds by static/js/capture.js; answers what the page needs to carry on."""
    draft = selectors.access_draft(request.user, pk) if pk is not None else None
    form = _capture_form(request, draft)
    if not form.is_valid():
        return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
    observation = _save(request, form, draft)
    children = list(observation.children.all())
    response = {
        "ok": True,
        "id": observation.pk,
        "editable": observation.is_editable,
        "edit_url": reverse("stories:edit", args=[observation.pk]),
        "autosave_url": reverse("stories:autosave_draft", args=[observation.pk]),
        "photo_url": reverse("stories:upload_photo", args=[observation.pk]),
        "saved_at": timezone.localtime(observation.updated_at).strftime("%H:%M:%S"),
        "mentioned": names_mentioned(observation.text, children, list(form.fields["children"].queryset)),
    }
    return JsonResponse(response)


@require_POST
@staff_required()
def upload_photo(request: HttpRequest, pk: int) -> JsonResponse:
    """One photo at a time from the capture page, so a bad one is reported alone and nothing else is lost."""
    observation = selectors.access_draft(request.user, pk)
    if not observation.is_editable:
        return JsonResponse({"ok": False, "error": "This observation has already been sent."}, status=409)
    upload = request.FILES.get("photo")
    if upload is None:
        return JsonResponse({"ok": False, "error": "No photo arrived. Please try again."}, status=400)
    try:
        photo, _ = services.add_photo(observation=observation, upload=upload, by=request.user)
    except ImageRejected as exc:
        return JsonResponse({"ok": False, "error": f"{upload.name}: {exc.message}"}, status=400)
    # Without a worker the photo task has run at commit; with one, the card says "being prepared" and polls.
    photo.refresh_from_db(fields=["image", "thumbnail", "original"])
    children = list(selectors.children_for_capture(request.user, request.staff_post.nursery, draft=observation))
    card = selectors.new_photo_card(photo, children)
    html = render_to_string("learning_stories/_photo_card.html", {"card": card}, request=request)
    return JsonResponse({"ok": True, "id": photo.pk, "html": html})


@staff_required()
def photo_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The picture of one photo card, asked for every 2 s by the card while the photo is being prepared."""
    photo = selectors.access_draft_photo(request.user, pk)
    # Without the request: no context processors (the navigation's queries), only the picture.
    return HttpResponse(render_to_string("learning_stories/_photo_preview.html", {"photo": photo}))


@require_POST
@staff_required()
def remove_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.access_draft_photo(request.user, pk)
    try:
        services.remove_photo(photo=photo)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Photo removed.")
    if request.htmx:
        return HttpResponse("")
    return redirect("stories:edit", pk=photo.observation_id)


@staff_required()
def drafts(request: HttpRequest) -> HttpResponse:
    return render(request, "learning_stories/drafts.html", {"drafts": selectors.drafts_of(request.user)})


@login_required
def observation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _observation_page(request, pk)


def _observation_page(
    request: HttpRequest, pk: int, comment_form: CommentForm | None = None, comment_child_id: int | None = None
) -> HttpResponse:
    """The entry with its comment threads; a refused comment comes back in its box with the reason."""
    observation, viewer = selectors.access_observation(request.user, pk)
    entry = with_story_details(Observation.objects.filter(pk=observation.pk)).get()
    decorate([entry], viewer)
    children = [
        link.child for link in entry.child_links.all() if viewer.is_staff or link.child_id in viewer.family_child_ids
    ]
    for child in children:
        record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what=f"Observation {pk}")
    comments = {child.pk: [] for child in children}
    for comment in entry.comments.filter(child__in=children).select_related("author"):
        comments[comment.child_id].append(comment)
    return render(
        request,
        "learning_stories/observation.html",
        {
            "entry": entry,
            "viewer": viewer,
            "threads": [(child, comments[child.pk]) for child in children],
            "can_review": viewer.is_staff
            and entry.status == Observation.Status.AWAITING_REVIEW
            and selectors.review_queue(request.user).filter(pk=pk).exists(),
            "comment_form": comment_form,
            "comment_child_id": comment_child_id,
            "face_photos": [p for p in entry.photos.all() if p.image]
            if viewer.is_staff
            and entry.status == Observation.Status.PUBLISHED
            and selectors.face_editable_observations(request.user).filter(pk=pk).exists()
            else [],
        },
    )


@manager_required
def review_queue(request: HttpRequest) -> HttpResponse:
    viewer = Viewer(user=request.user, is_staff=True)
    queue = selectors.review_queue(request.user).filter(nursery=request.staff_post.nursery)
    page, query = paginate(request, queue, per_page=REVIEW_PAGE_SIZE)
    entries = decorate(list(page.object_list), viewer)
    selectors.name_photo_people(entries)
    return render(
        request,
        "learning_stories/review_queue.html",
        {"entries": entries, "page": page, "query": query, "viewer": viewer, "nursery": request.staff_post.nursery},
    )


@require_POST
@manager_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    observation = selectors.access_observation_to_review(request.user, pk)
    try:
        services.publish(observation=observation, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Shared with the family.")
    return redirect("stories:review_queue")


@require_POST
@manager_required
def return_observation(request: HttpRequest, pk: int) -> HttpResponse:
    observation = selectors.access_observation_to_review(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        services.return_for_changes(observation=observation, by=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, "Returned to the practitioner with your comment.")
    else:
        messages.error(request, "Write what should be changed before returning it.")
    return redirect("stories:review_queue")


@require_POST
@login_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    observation, child, viewer = selectors.access_comment_thread(request.user, pk, request.POST.get("child", ""))
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(
            observation=observation,
            child=child,
            author=request.user,
            text=form.cleaned_data["text"],
            by_staff=viewer.is_staff,
        )
        messages.success(request, "Comment added.")
        return redirect("stories:observation", pk=pk)
    # Refused (empty, too long, a character that can't be saved): the page again, the text back in its box.
    return _observation_page(request, pk, comment_form=form, comment_child_id=child.pk)


@staff_required()
def tag_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff tag the areas of a family's home contribution."""
    entry = selectors.access_home_entry(request.user, pk)
    framework = current_framework_for(entry.nursery)
    form = TagForm(
        request.POST or None,
        framework=framework,
        initial={"areas": list(entry.areas.all()), "aspects": list(entry.aspects.all())},
    )
    children = list(entry.children.all())
    if request.method == "POST" and form.is_valid():
        services.tag_entry(
            observation=entry,
            by=request.user,
            areas=list(form.cleaned_data["areas"]),
            aspects=list(form.cleaned_data["aspects"]),
        )
        ticked = achieved_steps(request.POST, children)
        set_achieved_steps(observation=entry, step_ids=selectors.with_same_wording(ticked, entry=entry))
        messages.success(request, "Areas saved.")
        return redirect("stories:observation", pk=entry.pk)
    open_steps = steps_to_close(children, entry)
    return render(
        request,
        "learning_stories/tag_entry.html",
        {
            "entry": entry,
            "form": form,
            "aspects_by_area": aspects_by_area(framework),
            "steps_by_child": [(child, selectors.one_per_wording(open_steps[child.pk])) for child in children],
        },
    )


@login_required
def photo(request: HttpRequest, pk: int, size: str = "full") -> HttpResponse:
    """Every photo goes through here: staff of the nursery, or a family allowed to see it; 404 for anyone else."""
    found, viewer = selectors.access_photo(request.user, pk)
    if not found.image:  # still being prepared: its stripped original is never served
        raise Http404("This photo is being prepared.")
    # Families get their copy with other children's faces blurred (learning_stories.faces); staff the original.
    shown = photo_file_for(found, viewer, small=size == "thumb")
    if shown is None:
        raise Http404("This photo is being prepared.")
    if size == "thumb":
        return private_file_response(request, shown)
    # Opening the full photo is written to the history of each child in it whom the viewer may see.
    for child in photo_children(found, found.observation):
        if viewer.is_staff or child.pk in viewer.family_child_ids:
            record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what=f"Photo {pk}")
    return private_file_response(request, shown)


@manager_required
def review_settings(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    form = ReviewPolicyForm(
        request.POST if request.method == "POST" else None,
        initial={"observations_need_review": nursery.observations_need_review},
    )
    if request.method == "POST" and form.is_valid():
        services.set_review_policy(nursery=nursery, need_review=form.cleaned_data["observations_need_review"])
        confirm_step(nursery=nursery, key="review")  # the set-up checklist's step is decided
        messages.success(request, "Saved.")
        return redirect("stories:review_queue")
    return render(request, "learning_stories/review_settings.html", {"form": form, "nursery": nursery})
