"""URLs of personal plans, mounted in the ``keyworker`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:pk>/personal-plan/", views.personal_plan, name="personal_plan"),
    path("children/<int:pk>/personal-plan/edit/", views.personal_plan_edit, name="personal_plan_edit"),
    path("personal-plans/<int:pk>/", views.personal_plan_version, name="personal_plan_version"),
]
