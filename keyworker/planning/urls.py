"""URLs of the weekly planning board, mounted under planning/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.planning, name="planning"),
    path("rooms/<int:pk>/", views.board, name="plan_board"),
    path("rooms/<int:pk>/add/", views.add_activity, name="plan_add"),
    path("activities/<int:pk>/", views.edit_activity, name="plan_activity"),
    path("activities/<int:pk>/evaluate/", views.evaluate_activity, name="plan_evaluate"),
]
