"""URLs of end-of-session feedback: a room's page for staff, and the family's (under my-children/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("feedback/rooms/<int:pk>/", views.room_feedback, name="room_feedback"),
    path("my-children/today/", views.family_today, name="family_today"),
    path("my-children/<int:pk>/feedback/", views.feedback_history, name="feedback_history"),
    path("my-children/<int:pk>/feedback-by-email/", views.feedback_email_preference, name="feedback_email"),
    path("my-children/feedback-by-email/off/<str:token>/", views.feedback_email_off, name="feedback_email_off"),
]
