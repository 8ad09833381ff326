"""URLs of the children app: the child's record, the day in a room, support plans and collection."""

from django.urls import path

from . import views
from .absences import views as absences
from .collection import views as collection
from .day import views as day
from .imports import views as imports
from .medicines import views as medicines
from .support_plans import views as support_plans

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
    path("today/", day.today, name="today"),
    path("rooms/<int:pk>/register/", day.room_register, name="room_register"),
    path("rooms/<int:pk>/care-log/", day.room_care, name="room_care"),
    path("rooms/<int:pk>/care-log/undo/", day.undo_care, name="room_care_undo"),
    path("<int:pk>/sign-in/", day.sign_in_or_out, {"action": "in"}, name="sign_in"),
    path("<int:pk>/sign-out/", day.sign_in_or_out, {"action": "out"}, name="sign_out"),
    path("<int:pk>/accident/", day.report_incident, name="report_incident"),
    path("care-log/<int:pk>/correct/", day.correct_care_entry, name="correct_care_entry"),
    path("care-log/<int:pk>/remove/", day.remove_care_entry, name="remove_care_entry"),
    path("accidents/<int:pk>/read/", day.acknowledge_incident, name="acknowledge_incident"),
    path("add/", views.child_create, name="add"),
    path("<int:pk>/edit/", views.child_edit, name="edit"),
    path("family-links/<int:pk>/edit/", views.guardian_edit, name="guardian_edit"),
    path("my-details/", views.my_details, name="my_details"),
    path("my-details/<int:pk>/news-by-email/", views.news_email_preference, name="news_email_preference"),
    path("e-mails/off/<str:token>/", views.news_email_off, name="news_email_off"),
    path("<int:pk>/emergency-contacts/add/", views.emergency_contact_add, name="emergency_contact_add"),
    path("emergency-contacts/<int:pk>/edit/", views.emergency_contact_edit, name="emergency_contact_edit"),
    path("emergency-contacts/<int:pk>/remove/", views.emergency_contact_delete, name="emergency_contact_delete"),
    path("<int:pk>/all-about-me/", views.all_about_me, name="all_about_me"),
    path("<int:pk>/all-about-me/edit/", views.all_about_me_edit, name="all_about_me_edit"),
    path("<int:pk>/changes-at-home/", views.propose_home_change, name="propose_home_change"),
    path("changes-at-home/<int:pk>/accept/", views.review_home_change, {"accept": True}, name="accept_home_change"),
    path("changes-at-home/<int:pk>/read/", views.review_home_change, {"accept": False}, name="read_home_change"),
    path("<int:pk>/consents/", views.consents, name="consents"),
    path("consent-purposes/", views.consent_purposes, name="consent_purposes"),
    path("<int:pk>/notes-for-key-person/", views.family_notes, name="family_notes"),
    path("<int:pk>/sessions/", views.bookings, name="bookings"),
    path("import/", imports.import_children, name="import_children"),
    path("import/template.csv", imports.import_children_template, name="import_children_template"),
]

# Support plans (assess, plan, do, review)
urlpatterns += [
    path("<int:pk>/support-plans/new/", support_plans.support_plan_create, name="support_plan_create"),
    path("support-plans/<int:pk>/", support_plans.support_plan, name="support_plan"),
    path("support-plans/<int:pk>/edit/", support_plans.support_plan_edit, name="support_plan_edit"),
    path("support-plans/<int:pk>/targets/add/", support_plans.support_target, name="support_target_add"),
    path("support-plans/<int:pk>/targets/<int:target_pk>/", support_plans.support_target, name="support_target_edit"),
    path("support-plans/<int:pk>/review/", support_plans.support_review, name="support_review"),
]

# Collection: who may collect, the family's collection password, one-off collectors
urlpatterns += [
    path("<int:pk>/collection/", collection.collection, name="collection"),
    path("collectors/<int:pk>/remove/", collection.remove_collector, name="collection_remove_collector"),
    path("one-off-collectors/<int:pk>/cancel/", collection.cancel_one_off, name="collection_cancel_one_off"),
]

# Medicines (a parent's written permission, each dose given with a witness, read by the parent the same day)
urlpatterns += [
    path("<int:pk>/medicines/ask/", medicines.medicine_ask, name="medicine_ask"),
    path("medicines/<int:pk>/", medicines.medicine_request, name="medicine_request"),
    path("medicines/<int:pk>/stop/", medicines.medicine_withdraw, name="medicine_withdraw"),
    path("medicines/<int:pk>/plan/", medicines.medicine_plan, name="medicine_plan"),
    path("medicines/<int:pk>/give/", medicines.medicine_dose, name="medicine_dose"),
    path("medicine-doses/<int:pk>/read/", medicines.medicine_dose_read, name="medicine_dose_read"),
    path("rooms/<int:pk>/medicines/", medicines.room_medicines, name="room_medicines"),
]

# Absences families report (ill, holiday, another reason)
urlpatterns += [
    path("<int:pk>/off/", absences.report_absence, name="report_absence"),
    path("absences/<int:pk>/edit/", absences.edit_absence, name="edit_absence"),
    path("absences/<int:pk>/cancel/", absences.cancel_absence, name="cancel_absence"),
]
