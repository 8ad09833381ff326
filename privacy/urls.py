"""The privacy app's addresses: subject access and the record history."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("my-information/", views.my_data, name="my_data"),
    path("my-information/children/<int:pk>/", views.request_own, name="request_own"),
    path("subject-access/", views.requests, name="requests"),
    path("subject-access/<int:pk>/", views.export, name="export"),
    path("subject-access/<int:pk>/download/", views.download, name="download"),
    path("record-history/", views.record_history, name="record_history"),
]
