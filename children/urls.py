from django.urls import path

from . import views

app_name = "children"

urlpatterns = [
    path("", views.child_list, name="list"),
    path("<int:pk>/", views.child_detail, name="detail"),
    path("<int:pk>/invite-family/", views.invite_guardian, name="invite_guardian"),
    path("<int:pk>/record-history/", views.audit_log, name="audit_log"),
    path(
        "family-invitations/<int:pk>/resend/",
        views.guardian_invitation_action,
        {"action": "resend"},
        name="resend_guardian_invitation",
    ),
    path(
        "family-invitations/<int:pk>/cancel/",
        views.guardian_invitation_action,
        {"action": "cancel"},
        name="cancel_guardian_invitation",
    ),
    path("<int:pk>/photo/", views.child_photo, {"small": False}, name="photo"),
    path("<int:pk>/photo/small/", views.child_photo, {"small": True}, name="photo_thumbnail"),
    path("<int:pk>/photo/change/", views.change_child_photo, name="change_photo"),
    path("<int:pk>/photo/remove/", views.remove_child_photo, name="remove_photo"),
]
