"""Short video and audio clips: checked by content, then transcoded without any metadata by ffmpeg.

Which ffmpeg: the static binary shipped in the ``imageio-ffmpeg`` wheel (pinned in requirements.txt), so a
fresh machine with only Python has one; ``FFMPEG_BINARY`` names another (e.g. Debian's ``/usr/bin/ffmpeg``),
and without either the system's ``ffmpeg`` on the PATH is used. ffprobe is not needed: what a file is, and
how long, is read from what ``ffmpeg -i`` prints.

In the request, ``inspect_clip`` reads the upload's container and streams (by content, never by its name or
the browser's content type) and checks the nursery's limits, so a bad file is refused with a message before
anything is saved. The slow part, ``transcode``, runs in a Celery task: video becomes H.264/AAC MP4 (at most
1280 px, even dimensions, ``+faststart`` so a phone starts playing before the end arrives) with a poster
frame; sound becomes AAC in an .m4a. Global, stream and chapter metadata (GPS location, device make and
model, dates) and every stream but the first picture and sound (cover art, data, subtitles, attachments)
are left out. The output is written to temporary files that the caller publishes only once complete.
"""

import logging
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

logger = logging.getLogger(__name__)

VIDEO = "video"
AUDIO = "audio"
MAX_SIDE = 1280
# The containers a phone, a tablet or a browser records into. Anything else (a photo, a document, a
# playlist, a raw stream) is refused, whatever its name says.
ACCEPTED_FORMATS = {"mov", "mp4", "m4a", "3gp", "3g2", "matroska", "webm", "mp3", "ogg", "wav", "aac", "flac", "amr"}
ACCEPTED_WORDS = "a video (MP4, MOV, WebM) or a sound recording (M4A, MP3, AAC, OGG, WAV)"
# Before every input: only these demuxers and only local files. A "video" that is really a playlist (HLS,
# concat) would otherwise make ffmpeg read other files on the server, or addresses on the network, into it.
SAFE_INPUT = ["-protocol_whitelist", "file", "-format_whitelist", ",".join(sorted(ACCEPTED_FORMATS))]
PROBE_TIMEOUT = 60
TRANSCODE_TIMEOUT = 30 * 60


NO_FFMPEG = "Videos and sound recordings can't be taken on this server at the moment. Please try again later."


class ClipRejected(Exception):
    """An upload that is not a usable clip; ``message`` is plain English for the person uploading."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TranscodeFailed(Exception):
    """ffmpeg could not make the clip from a file it had accepted: trying again will not help."""


@dataclass(frozen=True)
class ClipInfo:
    kind: str  # VIDEO or AUDIO
    duration: float  # seconds
    format: str
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class Limits:
    video_bytes: int
    video_seconds: int
    audio_bytes: int
    audio_seconds: int


def ffmpeg_binary() -> str:
    """The ffmpeg to run: ``FFMPEG_BINARY`` if set, else the imageio-ffmpeg wheel's, else the system's."""
    configured = getattr(settings, "FFMPEG_BINARY", "")
    if configured:
        return configured
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):  # pragma: no cover - the wheel is in requirements.txt
        found = shutil.which("ffmpeg")
        if not found:
            raise RuntimeError("No ffmpeg: install imageio-ffmpeg or set FFMPEG_BINARY.") from None
        return found


def _run(arguments: list[str], *, timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [ffmpeg_binary(), "-hide_banner", "-nostdin", *arguments],
        capture_output=True,
        timeout=timeout,
        check=False,
    )


# --- Reading what a file is from ``ffmpeg -i`` --------------------------------------------------

INPUT = re.compile(r"^Input #0, (?P<formats>[^,]+(?:,[^,]+)*?), from ", re.MULTILINE)
DURATION = re.compile(r"Duration: (?P<h>\d+):(?P<m>\d\d):(?P<s>\d\d(?:\.\d+)?)")
STREAM = re.compile(r"^\s*Stream #0:\d+.*?: (?P<type>Video|Audio|Data|Subtitle|Attachment): (?P<rest>.*)$", re.M)
SIZE = re.compile(r"\b(?P<w>\d{2,5})x(?P<h>\d{2,5})\b")
TIME = re.compile(r"time=(?P<h>\d+):(?P<m>\d\d):(?P<s>\d\d(?:\.\d+)?)")


@dataclass(frozen=True)
class Probe:
    formats: frozenset[str]
    duration: float | None
    video: list[str]  # each video stream's description, cover pictures left out
    audio: list[str]
    width: int = 0
    height: int = 0


def _seconds(match: re.Match) -> float:
    return int(match["h"]) * 3600 + int(match["m"]) * 60 + float(match["s"])


def probe(path: str | Path) -> Probe | None:
    """What ``ffmpeg -i`` says of the file, or None when it is not a media file ffmpeg can open."""
    try:
        result = _run([*SAFE_INPUT, "-i", str(path)], timeout=PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    text = result.stderr.decode("utf-8", "replace")
    found = INPUT.search(text)
    if found is None:
        return None
    formats = frozenset(name.strip() for name in found["formats"].split(","))
    duration = DURATION.search(text)
    video, audio, width, height = [], [], 0, 0
    for stream in STREAM.finditer(text):
        rest = stream["rest"]
        if stream["type"] == "Video" and "(attached pic)" not in rest:
            video.append(rest)
            if not width and (size := SIZE.search(rest)):
                width, height = int(size["w"]), int(size["h"])
        elif stream["type"] == "Audio":
            audio.append(rest)
    return Probe(
        formats=formats,
        duration=_seconds(duration) if duration else None,
        video=video,
        audio=audio,
        width=width,
        height=height,
    )


def _measured_duration(path: str | Path) -> float | None:
    """A recording whose container gives no duration (e.g. a browser's WebM): read it through, copying."""
    try:
        arguments = [*SAFE_INPUT, "-i", str(path), "-map", "0", "-c", "copy", "-f", "null", "-"]
        result = _run(arguments, timeout=PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    times = TIME.findall(result.stderr.decode("utf-8", "replace"))
    if result.returncode or not times:
        return None
    h, m, s = times[-1]
    return int(h) * 3600 + int(m) * 60 + float(s)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _duration_words(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{seconds // 60} minutes" + (f" {seconds % 60} seconds" if seconds % 60 else "")


def inspect_clip(path: str | Path, *, size: int, limits: Limits) -> ClipInfo:
    """Check a clip by its content against the nursery's limits; raises ``ClipRejected`` with a message."""
    if not size:
        raise ClipRejected("This file is empty. Please choose the clip again.")
    largest = max(limits.video_bytes, limits.audio_bytes)
    if size > largest:  # before ffmpeg reads it at all
        raise ClipRejected(
            f"This clip is too large ({_megabytes(size)}). Please choose one under {_megabytes(largest)}, "
            "or record a shorter one."
        )
    try:
        found = probe(path)
    except (RuntimeError, OSError):  # no ffmpeg here (neither imageio-ffmpeg nor FFMPEG_BINARY), or it won't run
        logger.exception("No ffmpeg to check a clip with")
        raise ClipRejected(NO_FFMPEG) from None
    if found is None or not (found.formats & ACCEPTED_FORMATS) or not (found.video or found.audio):
        raise ClipRejected(
            f"This file is not a video or sound recording KeyStory can read, whatever its name says. "
            f"Please choose {ACCEPTED_WORDS}."
        )
    kind = VIDEO if found.video else AUDIO
    duration = found.duration if found.duration else _measured_duration(path)
    if not duration:
        raise ClipRejected("This clip seems damaged or incomplete. Please try uploading it again.")
    most_bytes, most_seconds = (
        (limits.video_bytes, limits.video_seconds) if kind == VIDEO else (limits.audio_bytes, limits.audio_seconds)
    )
    what = "video" if kind == VIDEO else "sound recording"
    if size > most_bytes:
        raise ClipRejected(
            f"This {what} is too large ({_megabytes(size)}). The nursery takes {what}s up to "
            f"{_megabytes(most_bytes)}: please choose a shorter one."
        )
    if duration > most_seconds + 0.5:
        raise ClipRejected(
            f"This {what} is too long ({_duration_words(duration)}). The nursery takes {what}s up to "
            f"{_duration_words(most_seconds)}: please trim it or record a shorter one."
        )
    return ClipInfo(
        kind=kind, duration=duration, format=",".join(sorted(found.formats)), width=found.width, height=found.height
    )


def inspect_upload(upload: IO[bytes], *, size: int, limits: Limits) -> ClipInfo:
    """``inspect_clip`` for an uploaded file, on disk already (a large upload) or copied to a temporary file."""
    on_disk = getattr(upload, "temporary_file_path", None)
    if on_disk is not None:
        return inspect_clip(on_disk(), size=size, limits=limits)
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        upload.seek(0)
        shutil.copyfileobj(upload, copy)
        copy.flush()
        return inspect_clip(copy.name, size=size, limits=limits)


# --- Transcoding ---------------------------------------------------------------------------------

# Nothing of the input's metadata: global, per stream, chapters; no subtitles, data or attachments.
STRIP = ["-map_metadata", "-1", "-map_metadata:s", "-1", "-map_chapters", "-1", "-sn", "-dn", "-fflags", "+bitexact"]
VIDEO_FILTER = (
    f"scale=w='min({MAX_SIDE},iw)':h='min({MAX_SIDE},ih)':force_original_aspect_ratio=decrease"
    ":force_divisible_by=2,setsar=1,format=yuv420p"
)


@dataclass(frozen=True)
class Transcoded:
    """The finished files, in a temporary folder the caller removes (``cleanup``)."""

    media: Path
    poster: Path | None
    duration: float
    width: int
    height: int
    folder: Path

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _check(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode:
        tail = result.stderr.decode("utf-8", "replace")[-600:]
        logger.warning("ffmpeg could not make the %s: %s", what, tail)
        raise TranscodeFailed(what)


def transcode(source: str | Path, *, kind: str) -> Transcoded:
    """Make the clip (and a video's poster) from ``source`` in a new temporary folder.

    Raises ``TranscodeFailed`` when ffmpeg cannot (the file will not get better), ``OSError`` or
    ``subprocess.TimeoutExpired`` for what another try may mend.
    """
    folder = Path(tempfile.mkdtemp(prefix="keystory-clip-"))
    try:
        if kind == VIDEO:
            media = folder / "clip.mp4"
            arguments = [*SAFE_INPUT, "-i", str(source), "-map", "0:V:0", "-map", "0:a:0?", *STRIP]
            arguments += ["-vf", VIDEO_FILTER, "-c:v", "libx264", "-preset", "veryfast", "-crf", "26"]
            arguments += ["-profile:v", "main", "-c:a", "aac", "-b:a", "128k", "-ac", "2"]
            arguments += ["-movflags", "+faststart", "-threads", "2", "-y", str(media)]
        else:
            media = folder / "clip.m4a"
            arguments = [*SAFE_INPUT, "-i", str(source), "-map", "0:a:0", "-vn", *STRIP]
            arguments += ["-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-y", str(media)]
        _check(_run(arguments, timeout=TRANSCODE_TIMEOUT), f"{kind} clip")
        made = probe(media)
        if made is None or not made.duration:
            raise TranscodeFailed(kind)
        poster = None
        if kind == VIDEO:
            poster = folder / "poster.jpg"
            at = f"{min(1.0, made.duration / 2):.2f}"
            frame = ["-ss", at, "-i", str(media), "-map", "0:v:0", "-frames:v", "1", *STRIP]
            frame += ["-q:v", "4", "-y", str(poster)]
            _check(_run(frame, timeout=PROBE_TIMEOUT), "poster frame")
        return Transcoded(
            media=media, poster=poster, duration=made.duration, width=made.width, height=made.height, folder=folder
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def limits_of(nursery) -> Limits:
    """The nursery's limits (``Nursery.clip_*``) in bytes and seconds."""
    mb = 1024 * 1024
    return Limits(
        video_bytes=nursery.clip_video_max_mb * mb,
        video_seconds=nursery.clip_video_max_seconds,
        audio_bytes=nursery.clip_audio_max_mb * mb,
        audio_seconds=nursery.clip_audio_max_seconds,
    )
