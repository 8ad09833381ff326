"""URLs of the key person system's core: each person's home page, key persons and key groups, the register
and ratios, "What's new", confidential notes and the SENCO view. Mounted in config/urls.py under the
``keyworker`` namespace with the other keyworker subjects."""

from django.urls import path

from . import group_views, views

urlpatterns = [
    path("overview/", views.manager_overview, name="overview"),
    path("my-key-children/", views.my_key_children, name="my_key_children"),
    path("my-children/", views.my_children, name="my_children"),
    path("whats-new/", views.whats_new, name="whats_new"),
    path("whats-new/read/", views.mark_read, name="mark_read"),
    path("children/<int:pk>/confidential-notes/", views.confidential_notes, name="confidential_notes"),
    path("key-person/<int:pk>/", views.assign, name="assign"),
    path("key-person/<int:pk>/buddy/", views.child_buddy, name="child_buddy"),
    path("key-groups/", views.key_groups, name="key_groups"),
    path("key-groups/<int:pk>/", views.key_group, name="key_group"),
    path("key-groups/<int:pk>/move/", views.reassign_group, name="reassign_group"),
    path("register/", views.register, name="register"),
    path("ratios/", views.ratios, name="ratios"),
    path("senco/", views.senco, name="senco"),
    path("groups/<int:pk>/overview/", group_views.group_overview_page, name="group_overview"),
    path("groups/nurseries/<int:pk>/", group_views.group_nursery, name="group_nursery"),
]
