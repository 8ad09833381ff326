from django.urls import path

from . import plan_views, views

app_name = "keyworker"

urlpatterns = [
    path("overview/", views.manager_overview, name="overview"),
    path("my-key-children/", views.my_key_children, name="my_key_children"),
    path("my-children/", views.my_children, name="my_children"),
    path("feedback/rooms/<int:pk>/", views.room_feedback, name="room_feedback"),
    path("my-children/today/", views.family_today, name="family_today"),
    path("my-children/<int:pk>/feedback/", views.feedback_history, name="feedback_history"),
    path("my-children/<int:pk>/feedback-by-email/", views.feedback_email_preference, name="feedback_email"),
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
    # plan: the weekly planning board and meetings with families
    path("planning/", plan_views.planning, name="planning"),
    path("planning/rooms/<int:pk>/", plan_views.board, name="plan_board"),
    path("planning/rooms/<int:pk>/add/", plan_views.add_activity, name="plan_add"),
    path("planning/activities/<int:pk>/", plan_views.edit_activity, name="plan_activity"),
    path("planning/activities/<int:pk>/evaluate/", plan_views.evaluate_activity, name="plan_evaluate"),
    path("meetings/", plan_views.meetings, name="meetings"),
    path("meetings/<int:pk>/", plan_views.meeting, name="meeting"),
    path("meetings/<int:pk>/cancel/", plan_views.cancel_meeting, name="meeting_cancel"),
    path("meetings/<int:pk>/move/", plan_views.move_meeting, name="meeting_move"),
    path("meetings/times/<int:pk>/book/", plan_views.book_slot, name="meeting_slot_book"),
    path("meetings/times/<int:pk>/withdraw/", plan_views.withdraw_slot, name="meeting_slot_withdraw"),
    path("my-children/meetings/", plan_views.family_meetings, name="family_meetings"),
    path("my-children/<int:pk>/meetings/ask/", plan_views.ask_for_meeting, name="meeting_ask"),
    # dash
    path("senco/", views.senco, name="senco"),
    path("trackers/", views.tracker_page, name="tracker"),
    path("trackers/export.csv", views.tracker_csv, name="tracker_csv"),
]
