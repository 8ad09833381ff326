"""The nursery's limits on clips (a manager's setting)."""

from django import forms

from nursery.models import Nursery


class ClipLimitsForm(forms.ModelForm):
    class Meta:
        model = Nursery
        fields = ["clip_video_max_mb", "clip_video_max_seconds", "clip_audio_max_mb", "clip_audio_max_seconds"]
        help_texts = {
            "clip_video_max_mb": "A minute of phone video is often 50 to 150 MB.",
            "clip_video_max_seconds": "Short clips are quicker to send, to watch and to keep.",
        }
