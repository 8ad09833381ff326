"""The progress check pages, under /progress-checks/ (namespace ``checks``)."""

from django.urls import path

from . import views

app_name = "checks"

urlpatterns = [
    path("", views.due, name="due"),
    path("children/<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/health-visitor/", views.health_visitor, name="health_visitor"),
    path("<int:pk>/progress-check.pdf", views.pdf, name="pdf"),
]
