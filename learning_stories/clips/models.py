"""A clip (video or sound) in an observation or a home contribution, stored like a story photo."""

from django.conf import settings
from django.db import models

from core.private_media import UnguessableName


class ObservationClip(models.Model):
    """A short video or sound recording, transcoded without metadata; served only through permission-checked
    views. ``original`` is the upload as it came, kept privately (never served) until the transcode is
    published; ``media`` and ``poster`` are set together, in one update, once both are complete."""

    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        AUDIO = "audio", "Sound recording"

    observation = models.ForeignKey("learning_stories.Observation", on_delete=models.CASCADE, related_name="clips")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    original = models.FileField(upload_to=UnguessableName("stories/clips/originals"), blank=True)
    media = models.FileField(upload_to=UnguessableName("stories/clips"), blank=True)
    poster = models.FileField(upload_to=UnguessableName("stories/clips/posters"), blank=True)
    duration = models.FloatField(default=0)  # seconds, of the upload until it is prepared, then of the clip
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # Set when the upload could not be transcoded: the card says so and nothing is ever served.
    problem = models.CharField(max_length=200, blank=True)
    # Who is in the clip: consent is checked per child as for photos.
    children = models.ManyToManyField("children.Child", blank=True, related_name="story_clips")
    children_chosen = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} of observation {self.observation_id}"

    @property
    def is_ready(self) -> bool:
        return bool(self.media)

    @property
    def failed(self) -> bool:
        return not self.media and (bool(self.problem) or not self.original)

    @property
    def is_video(self) -> bool:
        return self.kind == self.Kind.VIDEO

    @property
    def content_type(self) -> str:
        return "video/mp4" if self.is_video else "audio/mp4"
