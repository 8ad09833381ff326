"""The learning story pages, under /stories/ (namespace ``stories``): observations, the story, next steps
and assessments."""

from django.urls import path

from .assessments import views as assessments
from .clips import views as clips
from .faces import views as faces
from .next_steps import views as next_steps
from .observations import queued
from .observations import views as observations
from .story import views as story
from .suggest import views as suggest
from .wellbeing import views as wellbeing

app_name = "stories"

urlpatterns = [
    path("observations/new/", observations.capture, name="new"),
    path("observations/new/autosave/", observations.autosave, name="autosave"),
    path("observations/queued/", queued.send_queued, name="send_queued"),  # from the tablet's offline outbox
    path("observations/other-children/", observations.capture_other_children, name="capture_other_children"),
    path("observations/drafts/", observations.drafts, name="drafts"),
    path("observations/suggest/", suggest.suggest_areas, name="suggest_areas"),
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
    path("clips/<int:pk>/", clips.clip, name="clip"),
    path("clips/<int:pk>/poster/", clips.clip_poster, name="clip_poster"),
    path("clips/<int:pk>/preview/", clips.clip_preview, name="clip_preview"),
    path("clips/<int:pk>/remove/", clips.remove_clip, name="remove_clip"),
    path("clips/settings/", clips.clip_settings, name="clip_settings"),
    path("photos/<int:pk>/faces/", faces.photo_faces, name="photo_faces"),
    path("photos/<int:pk>/faces/add/", faces.add_face, name="add_face"),
    path("photos/<int:pk>/faces/checked/", faces.check_faces, name="check_faces"),
    path("faces/<int:pk>/name/", faces.name_face, name="name_face"),
    path("faces/<int:pk>/remove/", faces.remove_face, name="remove_face"),
    path("review/", observations.review_queue, name="review_queue"),
    path("review/settings/", observations.review_settings, name="review_settings"),
    path("review/wellbeing/", wellbeing.wellbeing_settings, name="wellbeing_settings"),
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
