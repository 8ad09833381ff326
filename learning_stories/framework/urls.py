"""The managers' framework pages, under /framework/ (namespace ``framework``)."""

from django.urls import path

from . import views

app_name = "framework"

urlpatterns = [
    path("", views.statements, name="statements"),
    path("choose/", views.choose_framework, name="choose"),
    path("statements/add/", views.add_statement, name="add_statement"),
    path("statements/<int:pk>/edit/", views.edit_statement, name="edit_statement"),
    path("statements/<int:pk>/retire/", views.retire_statement, name="retire_statement"),
    path("statements/<int:pk>/restore/", views.restore_statement, name="restore_statement"),
]
