from django.urls import path

from . import views

app_name = "keyworker"

urlpatterns = [
    path("overview/", views.manager_overview, name="overview"),
    path("my-key-children/", views.my_key_children, name="my_key_children"),
    path("my-children/", views.my_children, name="my_children"),
    path("whats-new/", views.whats_new, name="whats_new"),
    path("whats-new/read/", views.mark_read, name="mark_read"),
    path("children/<int:pk>/confidential-notes/", views.confidential_notes, name="confidential_notes"),
]
