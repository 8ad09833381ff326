"""Faces in story photos, and the blurred copies families see.

A face is a box on the photo's display copy, in fractions of its width and height (0..1), found by the
detector or drawn by a practitioner, and named as one of the children in the photo (or left unnamed).
A family sees every face blurred except their own child's and those of children whose families agreed to
appear in other children's stories; unnamed faces are blurred for every family. Families needing the same
faces blurred share one variant, keyed by that set of faces.
"""

from django.db import models

from children.models import Child
from core.private_media import UnguessableName


class PhotoFace(models.Model):
    class Source(models.TextChoices):
        DETECTED = "detected", "Found on the photo"
        MANUAL = "manual", "Drawn by hand"

    photo = models.ForeignKey("learning_stories.ObservationPhoto", on_delete=models.CASCADE, related_name="faces")
    x = models.FloatField()
    y = models.FloatField()
    w = models.FloatField()
    h = models.FloatField()
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DETECTED)

    class Meta:
        ordering = ["x", "y", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(x__gte=0, y__gte=0, w__gt=0, h__gt=0, x__lte=1, y__lte=1),
                name="face_box_inside_photo",
            )
        ]

    def __str__(self) -> str:
        return f"Face {self.pk} on photo {self.photo_id}"


class PhotoVariant(models.Model):
    """The photo with some faces blurred (``key``: which ones); made by a task, served like the photo."""

    photo = models.ForeignKey("learning_stories.ObservationPhoto", on_delete=models.CASCADE, related_name="variants")
    key = models.CharField(max_length=64)
    image = models.FileField(upload_to=UnguessableName("stories/variants"))
    thumbnail = models.FileField(upload_to=UnguessableName("stories/variants"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["photo", "key"], name="one_variant_per_face_set")]

    def __str__(self) -> str:
        return f"Variant {self.key[:8]} of photo {self.photo_id}"
