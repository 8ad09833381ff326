"""URLs of the nursery app: staff and invitations, e-mails not delivered, rooms, sessions, absences, photos."""

from django.urls import path

from . import group_views, rooms, setup_views, tablet_views, views

app_name = "nursery"

urlpatterns = [
    path("staff/", views.staff_list, name="staff"),
    path("staff/invite/", views.invite_staff, name="invite_staff"),
    path("staff/<int:pk>/post/", views.edit_staff, name="edit_staff"),
    path("staff/<int:pk>/two-step/reset/", views.reset_staff_two_factor, name="reset_staff_two_factor"),
    path(
        "staff/invitations/<int:pk>/resend/",
        views.staff_invitation_action,
        {"action": "resend"},
        name="resend_staff_invitation",
    ),
    path(
        "staff/invitations/<int:pk>/cancel/",
        views.staff_invitation_action,
        {"action": "cancel"},
        name="cancel_staff_invitation",
    ),
    path("emails/undelivered/", views.undelivered_mail, name="undelivered_mail"),
    path("emails/<int:pk>/retry/", views.retry_mail, name="retry_mail"),
    path("rooms/", rooms.room_list, name="rooms"),
    path("rooms/add/", rooms.room_form, name="add_room"),
    path("rooms/<int:pk>/", rooms.room_form, name="edit_room"),
    path("rooms/<int:pk>/archive/", rooms.archive_room_view, name="archive_room"),
    path("rooms/<int:pk>/use-again/", rooms.restore_room_view, name="restore_room"),
    path("set-up/", setup_views.checklist, name="setup"),
    path("set-up/confirm/", setup_views.confirm_step, name="setup_confirm"),
    path("details/", setup_views.nursery_details, name="details"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<int:pk>/", views.session_list, name="edit_session"),
    path("staff/<int:pk>/working-week/", views.working_pattern, name="working_pattern"),
    path("absences/", views.absence_list, name="absences"),
    path("absences/<int:pk>/remove/", views.delete_absence, name="delete_absence"),
    path("my-photo/", views.my_photo, name="my_photo"),
    path("staff/<int:pk>/photo/", views.change_staff_photo, name="change_staff_photo"),
    path("staff/<int:pk>/photo/remove/", views.remove_staff_photo, name="remove_staff_photo"),
    path("staff/<int:pk>/photo/view/", views.staff_photo, {"small": False}, name="staff_photo"),
    path("staff/<int:pk>/photo/small/", views.staff_photo, {"small": True}, name="staff_photo_thumbnail"),
    path("groups/<int:pk>/", group_views.group_nurseries_page, name="group"),
    path("groups/<int:pk>/add-nursery/", group_views.add_nursery, name="group_add_nursery"),
    path("groups/<int:pk>/owners/", group_views.group_owners, name="group_owners"),
    path(
        "groups/owner-invitations/<int:pk>/resend/",
        group_views.owner_invitation_action,
        {"action": "resend"},
        name="resend_owner_invitation",
    ),
    path(
        "groups/owner-invitations/<int:pk>/cancel/",
        group_views.owner_invitation_action,
        {"action": "cancel"},
        name="cancel_owner_invitation",
    ),
    path("switch/", group_views.switch_nursery, name="switch"),
    path("tablets/", tablet_views.tablet_list, name="tablets"),
    path("tablets/idle-minutes/", tablet_views.tablet_idle_minutes, name="tablet_idle_minutes"),
    path("tablets/<int:pk>/revoke/", tablet_views.revoke_tablet, name="revoke_tablet"),
    path("tablet/", tablet_views.tablet_room, name="tablet"),
    path("tablet/people/<int:pk>/", tablet_views.tablet_switch_in, name="tablet_switch_in"),
    path("my-pin/", tablet_views.my_pin, name="my_pin"),
]
