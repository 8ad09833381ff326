"""URLs of meetings with families: staff's under meetings/, the family's under my-children/."""

from django.urls import path

from . import ask_views, views

urlpatterns = [
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/cancel/", views.cancel_meeting, name="meeting_cancel"),
    path("meetings/<int:pk>/move/", views.move_meeting, name="meeting_move"),
    path("meetings/times/<int:pk>/book/", views.book_slot, name="meeting_slot_book"),
    path("meetings/times/<int:pk>/withdraw/", views.withdraw_slot, name="meeting_slot_withdraw"),
    path("my-children/meetings/", views.family_meetings, name="family_meetings"),
    path("my-children/<int:pk>/meetings/ask/", views.ask_for_meeting, name="meeting_ask"),
    # the key person asks a family to meet, and the family answers
    path("meetings/ask-family/<int:pk>/", ask_views.ask_family, name="meeting_request_new"),
    path("meetings/requests/<int:pk>/", ask_views.meeting_request, name="meeting_request"),
    path("my-children/meeting-requests/<int:pk>/", ask_views.family_meeting_request, name="family_meeting_request"),
]
