from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("next-run/", views.next_run, name="next_run"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:pk>/release/", views.release_hold, name="release_hold"),
    path("log/", views.removal_log, name="log"),
    path("family/<int:pk>/erase/", views.erase_family_member, name="erase_family_member"),
]
