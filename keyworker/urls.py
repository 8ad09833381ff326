from django.urls import path

from . import views

app_name = "keyworker"

urlpatterns = [
    path("overview/", views.manager_overview, name="overview"),
    path("my-key-children/", views.my_key_children, name="my_key_children"),
    path("my-children/", views.my_children, name="my_children"),
    path("feedback/rooms/<int:pk>/", views.room_feedback, name="room_feedback"),
    path("feedback/undelivered/", views.undelivered_feedback, name="undelivered_feedback"),
    path("feedback/undelivered/<int:pk>/retry/", views.retry_feedback_email, name="retry_feedback_email"),
    path("my-children/today/", views.family_today, name="family_today"),
    path("my-children/<int:pk>/feedback/", views.feedback_history, name="feedback_history"),
    path("my-children/<int:pk>/feedback-by-email/", views.feedback_email_preference, name="feedback_email"),
    path("whats-new/", views.whats_new, name="whats_new"),
    path("whats-new/read/", views.mark_read, name="mark_read"),
    path("children/<int:pk>/confidential-notes/", views.confidential_notes, name="confidential_notes"),
    path("key-person/<int:pk>/", views.assign, name="assign"),
    path("key-person/<int:pk>/buddy/", views.child_buddy, name="child_buddy"),
    path("key-groups/", views.key_groups, name="key_groups"),
    path("key-groups/<int:pk>/", views.key_group, name="key_group"),
    path("key-groups/<int:pk>/move/", views.reassign_group, name="reassign_group"),
    path("register/", views.register, name="register"),
    path("ratios/", views.ratios, name="ratios"),
    path("trackers/", views.tracker_page, name="tracker"),
    path("trackers/export.csv", views.tracker_csv, name="tracker_csv"),
]
