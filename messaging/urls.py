from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("child/<int:pk>/", views.conversation, name="conversation"),
    path("photo/<int:pk>/", views.photo, name="photo"),
    path("photo/<int:pk>/thumb/", views.photo, {"size": "thumb"}, name="photo_thumbnail"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/<int:pk>/", views.announcement, name="announcement"),
    path("announcements/<int:pk>/read/", views.acknowledge, name="acknowledge"),
    path("e-mails/", views.email_preference, name="email_preference"),
    path("e-mails/off/<str:token>/", views.email_off, name="email_off"),
]
