from django.urls import path

from . import assessment_views, views

app_name = "stories"

urlpatterns = [
    path("observations/new/", views.capture, name="new"),
    path("observations/new/autosave/", views.autosave, name="autosave"),
    path("observations/drafts/", views.drafts, name="drafts"),
    path("observations/<int:pk>/", views.observation_detail, name="observation"),
    path("observations/<int:pk>/edit/", views.capture, name="edit"),
    path("observations/<int:pk>/autosave/", views.autosave, name="autosave_draft"),
    path("observations/<int:pk>/photos/", views.upload_photo, name="upload_photo"),
    path("observations/<int:pk>/comment/", views.comment, name="comment"),
    path("observations/<int:pk>/publish/", views.publish, name="publish"),
    path("observations/<int:pk>/return/", views.return_observation, name="return"),
    path("observations/<int:pk>/tag/", views.tag_entry, name="tag"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", views.photo, {"size": "thumb"}, name="photo_thumbnail"),
    path("photos/<int:pk>/remove/", views.remove_photo, name="remove_photo"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/settings/", views.review_settings, name="review_settings"),
    path("children/<int:pk>/", views.story, name="story"),
    path("children/<int:pk>/add/", views.add_home_contribution, name="add_home"),
    path("e-mails/", views.notifications, name="notifications"),
    path("children/<int:pk>/next-steps/", views.next_steps, name="next_steps"),
    path("next-steps/<int:pk>/drop/", views.drop_next_step, name="drop_next_step"),
    path("assessments/points/", assessment_views.assessment_points, name="assessment_points"),
    path("children/<int:pk>/assessments/", assessment_views.child_assessments, name="assessments"),
    path("children/<int:pk>/assessments/<int:point>/", assessment_views.assess_child, name="assess_child"),
]
