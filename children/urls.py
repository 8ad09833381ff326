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
    path("today/", views.today, name="today"),
    path("rooms/<int:pk>/register/", views.room_register, name="room_register"),
    path("rooms/<int:pk>/care-log/", views.room_care, name="room_care"),
    path("<int:pk>/sign-in/", views.sign_in_or_out, {"action": "in"}, name="sign_in"),
    path("<int:pk>/sign-out/", views.sign_in_or_out, {"action": "out"}, name="sign_out"),
    path("<int:pk>/accident/", views.report_incident, name="report_incident"),
    path("care-log/<int:pk>/correct/", views.correct_care_entry, name="correct_care_entry"),
    path("accidents/<int:pk>/read/", views.acknowledge_incident, name="acknowledge_incident"),
]
