"""Writes for clips: check and keep an upload, prepare it off the request (``prepare_clip``), remove it.

The upload is checked in the request (``core.clips.inspect_upload``: by content, against the nursery's
limits), kept as ``original`` (never served) and a task queued. The task transcodes it into a temporary
folder; only a complete clip is copied into storage, and the record points at it (and the poster) in one
update, made only if the record still holds the same original. The original is deleted after that commits.
A worker that dies part way leaves the record as it was (acks_late: another worker runs it again, and the
sweep ``clips_waiting`` finds what the broker lost); a file it copied but never pointed at is never served.
"""

import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child, ConsentPurpose
from children.selectors import children_with_consent
from core import clips as media
from core.queue import Dispatch, enqueue

from ..models import Observation, ObservationClip

logger = logging.getLogger(__name__)

COULD_NOT = "This clip could not be prepared. Please remove it and upload it again, or try another file."


def check_upload(*, upload: UploadedFile, nursery) -> media.ClipInfo:
    """Raises ``core.clips.ClipRejected`` with a message to show; nothing is saved."""
    return media.inspect_upload(upload, size=upload.size or 0, limits=media.limits_of(nursery))


def _extension(upload: UploadedFile) -> str:
    """A name for the kept original: never its own (the upload's name is the sender's to choose)."""
    return ".upload"


def store_clip(
    *,
    observation: Observation,
    upload: UploadedFile,
    info: media.ClipInfo,
    by: User,
    children: Iterable[Child] = (),
    chosen: bool = False,
) -> tuple[ObservationClip, Dispatch]:
    """Keep a checked upload as the clip's original and queue its preparation."""
    clip = ObservationClip(
        observation=observation,
        kind=info.kind,
        duration=round(info.duration, 2),
        uploaded_by=by,
        children_chosen=chosen,
    )
    upload.seek(0)
    clip.original.save("clip" + _extension(upload), File(upload), save=False)
    clip.save()
    if chosen:
        clip.children.set(children)
    return clip, queue_clip(clip)


@transaction.atomic
def add_clip(*, observation: Observation, upload: UploadedFile, by: User) -> tuple[ObservationClip, Dispatch]:
    """Check and keep one clip of a draft (raises ``ClipRejected``). Until staff choose otherwise, the clip
    shows the observation's children, as a photo does."""
    info = check_upload(upload=upload, nursery=observation.nursery)
    return store_clip(observation=observation, upload=upload, info=info, by=by)


def queue_clip(clip: ObservationClip) -> Dispatch:
    from ..tasks import prepare_clip  # tasks import this module

    return enqueue(prepare_clip, clip.pk)


def remove_clip(*, clip: ObservationClip) -> None:
    if not clip.observation.is_editable:
        raise ValidationError("This observation has been sent: its clips can no longer be removed here.")
    files = [file for file in (clip.media, clip.poster, clip.original) if file]
    clip.delete()
    for file in files:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def _mark_problem(clip: ObservationClip, original: str, why: str) -> None:
    logger.warning("Clip %s could not be prepared (%s)", clip.pk, why)
    ObservationClip.objects.filter(pk=clip.pk, original=original, media="").update(problem=COULD_NOT[:200])


def prepare_clip(*, clip_id: int) -> bool:
    """Transcode one clip and publish it; idempotent. Returns whether a clip was published.

    ``OSError`` (storage unreachable, disk full) propagates for the task to retry; a file ffmpeg cannot turn
    into a clip is marked with ``problem`` and its original kept (never served) until someone removes it.
    """
    clip = ObservationClip.objects.filter(pk=clip_id).first()
    if clip is None or clip.media or not clip.original or clip.problem:
        return False
    original = clip.original.name
    work = Path(tempfile.mkdtemp(prefix="keystory-upload-"))
    try:
        local = work / "upload"
        try:
            with clip.original.storage.open(original, "rb") as source, local.open("wb") as copy:
                shutil.copyfileobj(source, copy, 1024 * 1024)
        except FileNotFoundError:
            _mark_problem(clip, original, "original gone")
            return False
        try:
            made = media.transcode(local, kind=clip.kind)
        except (media.TranscodeFailed, subprocess.TimeoutExpired) as failure:
            _mark_problem(clip, original, repr(failure))
            return False
        try:
            return _publish(clip, original, made)
        finally:
            made.cleanup()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _publish(clip: ObservationClip, original: str, made: media.Transcoded) -> bool:
    """Copy the finished files into storage, then point the record at them in one update."""
    saved: list[str] = []
    storage = clip.media.storage
    try:
        with made.media.open("rb") as clip_file:
            name = clip.media.field.generate_filename(clip, made.media.name)
            saved.append(storage.save(name, File(clip_file), max_length=100))
        if made.poster is not None:
            with made.poster.open("rb") as poster_file:
                name = clip.poster.field.generate_filename(clip, "poster.jpg")
                saved.append(clip.poster.storage.save(name, File(poster_file), max_length=100))
        with transaction.atomic():
            published = ObservationClip.objects.filter(pk=clip.pk, original=original, media="").update(
                media=saved[0],
                poster=saved[1] if len(saved) > 1 else "",
                original="",
                problem="",
                duration=round(made.duration, 2),
                width=made.width,
                height=made.height,
            )
            if published:
                transaction.on_commit(lambda: clip.original.storage.delete(original))
    except BaseException:
        for name in saved:  # copied but never published: nothing points at them
            storage.delete(name)
        raise
    if not published:  # removed, or finished by another run, while we worked
        for name in saved:
            storage.delete(name)
        return False
    return True


def ready_clips(clips: list[ObservationClip]) -> list[ObservationClip]:
    """The clips that are prepared, preparing now those whose task has not run yet (for a ZIP being built)."""
    for clip in clips:
        if not clip.media and clip.original and not clip.problem:
            prepare_clip(clip_id=clip.pk)
            clip.refresh_from_db(fields=["media", "poster", "original", "problem", "duration", "width", "height"])
    return [clip for clip in clips if clip.media]


WORKER_GRACE = timedelta(minutes=10)  # reading the upload and storing the result, beyond the transcode itself


def clips_waiting(*, limit: int = 100) -> list[int]:
    """For the sweep: clips whose preparation never ran or was cut short (not the ones that failed)."""
    # Not the ones a worker may still be on: a transcode may run for TRANSCODE_TIMEOUT, so wait longer than that.
    started_before = timezone.now() - timedelta(seconds=media.TRANSCODE_TIMEOUT) - WORKER_GRACE
    waiting = ObservationClip.objects.exclude(original="").filter(media="", problem="", created_at__lt=started_before)
    waiting = waiting.order_by("pk")
    return list(waiting.values_list("pk", flat=True)[:limit])


def clip_consent_problems(observation: Observation) -> list[str]:
    """Children in a clip whose family has not agreed to photos (and so clips) in their own story."""
    from .selectors import clip_children

    shown: dict[int, Child] = {}
    for clip in observation.clips.prefetch_related("children"):
        shown.update({child.pk: child for child in clip_children(clip, observation)})
    allowed = children_with_consent(shown, ConsentPurpose.PHOTOS_OWN_STORY)
    return [
        f"{child.known_as}'s family has not agreed to photos or clips in {child.known_as}'s learning story. "
        "Remove the clip."
        for pk, child in shown.items()
        if pk not in allowed
    ]
