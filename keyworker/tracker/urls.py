"""URLs of the tracker pages, mounted under trackers/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.tracker_page, name="tracker"),
    path("export.csv", views.tracker_csv, name="tracker_csv"),
]
