"""The learning story pages, under /stories/ (namespace ``stories``): observations, the story, next steps
and assessments."""

from django.urls import path

from .assessments import views as assessments
from .next_steps import views as next_steps
from .observations import queued
from .observations import views as observations
from .story import views as story

app_name = "stories"

urlpatterns = [
    path("observations/new/", observations.capture, name="new"),
    path("observations/new/autosave/", observations.autosave, name="autosave"),
    path("observations/queued/", queued.send_queued, name="send_queued"),  # from the tablet's offline outbox
    path("observations/other-children/", observations.capture_other_children, name="capture_other_children"),
    path("observations/drafts/", observations.drafts, name="drafts"),
    path("observations/<int:pk>/", observations.observation_detail, name="observation"),
    path("observations/<int:pk>/edit/", observations.capture, name="edit"),
    path("observations/<int:pk>/autosave/", observations.autosave, name="autosave_draft"),
    path("observations/<int:pk>/photos/", observations.upload_photo, name="upload_photo"),
    path("observations/<int:pk>/comment/", observations.comment, name="comment"),
    path("observations/<int:pk>/publish/", observations.publish, name="publish"),
    path("observations/<int:pk>/return/", observations.return_observation, name="return"),
    path("observations/<int:pk>/tag/", observations.tag_entry, name="tag"),
    path("photos/<int:pk>/", observations.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", observations.photo, {"size": "thumb"}, name="photo_thumbnail"),
    path("photos/<int:pk>/remove/", observations.remove_photo, name="remove_photo"),
    path("photos/<int:pk>/preview/", observations.photo_preview, name="photo_preview"),
    path("review/", observations.review_queue, name="review_queue"),
    path("review/settings/", observations.review_settings, name="review_settings"),
    path("children/<int:pk>/", story.story, name="story"),
    path("children/<int:pk>/add/", story.add_home_contribution, name="add_home"),
    path("e-mails/", story.notifications, name="notifications"),
    path("e-mails/off/<str:token>/", story.email_off, name="email_off"),
    path("children/<int:pk>/next-steps/", next_steps.next_steps, name="next_steps"),
    path("next-steps/<int:pk>/drop/", next_steps.drop_next_step, name="drop_next_step"),
    path("assessments/points/", assessments.assessment_points, name="assessment_points"),
    path("children/<int:pk>/assessments/", assessments.child_assessments, name="assessments"),
    path("children/<int:pk>/assessments/<int:point>/", assessments.assess_child, name="assess_child"),
]
