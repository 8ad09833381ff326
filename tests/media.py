"""Real video and sound clips made by ffmpeg at test time (once per test run), for tests of the clip pipeline.

The video carries what a phone writes: a GPS location and the device's make and model. The sound recording
carries a cover picture (a JPEG with GPS EXIF), as music and voice-memo apps attach.
"""

import functools
import subprocess
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from core.clips import ffmpeg_binary
from tests.images import camera_jpeg

LOCATION = "+51.5074-000.1278/"
MAKE, MODEL = "AcmePhone", "Model X9"


@functools.cache
def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="keystory-test-media-"))


def _make(name: str, arguments: list[str]) -> bytes:
    path = _folder() / name
    if not path.exists():
        subprocess.run(
            [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *arguments, str(path)],
            check=True,
            timeout=120,
        )
    return path.read_bytes()


def phone_video(seconds: int = 20, size: str = "640x362") -> bytes:
    """An H.264/AAC MP4 from a test pattern and a tone, tagged with a location and a device."""
    return _make(
        f"video-{seconds}-{size}.mp4",
        [
            "-f",
            "lavfi",
            "-i",
            f"testsrc=size={size}:rate=15:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            "-metadata",
            f"location={LOCATION}",
            "-metadata",
            f"make={MAKE}",
            "-metadata",
            f"model={MODEL}",
            "-movflags",
            "use_metadata_tags",
        ],
    )


def cover_with_gps() -> Path:
    path = _folder() / "cover.jpg"
    if not path.exists():
        path.write_bytes(camera_jpeg(width=64, height=64))
    return path


def song_with_cover(extension: str = "mp3", seconds: int = 5) -> bytes:
    """An MP3 (ID3 picture) or AAC .m4a (cover atom) with an attached cover picture that has GPS and the
    camera's make and model in its EXIF, and (m4a) a location tag."""
    codec = ["-c:a", "libmp3lame", "-id3v2_version", "3"] if extension == "mp3" else ["-c:a", "aac"]
    return _make(
        f"song-{seconds}.{extension}",
        [
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=330:duration={seconds}",
            "-i",
            str(cover_with_gps()),
            "-map",
            "0:a",
            "-map",
            "1:v",
            *codec,
            "-c:v",
            "copy",
            "-disposition:v:0",
            "attached_pic",
            "-metadata",
            f"location={LOCATION}",
            "-metadata",
            f"artist={MAKE}",
        ],
    )


def clip_upload(content: bytes, name: str = "clip.mp4", content_type: str = "video/mp4") -> SimpleUploadedFile:
    """An uploaded file: the name and content type are what a browser claims, not what it is."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def described(path_or_bytes: Path | bytes) -> str:
    """What ``ffmpeg -i`` prints about a file (streams, codecs, metadata)."""
    if isinstance(path_or_bytes, bytes):
        path = _folder() / "described.bin"
        path.write_bytes(path_or_bytes)
    else:
        path = path_or_bytes
    result = subprocess.run([ffmpeg_binary(), "-hide_banner", "-i", str(path)], capture_output=True, timeout=60)
    return result.stderr.decode("utf-8", "replace")
