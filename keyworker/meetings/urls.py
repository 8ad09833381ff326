"""URLs of meetings with families: staff's under meetings/, the family's under my-children/."""

from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/cancel/", views.cancel_meeting, name="meeting_cancel"),
    path("meetings/<int:pk>/move/", views.move_meeting, name="meeting_move"),
    path("meetings/times/<int:pk>/book/", views.book_slot, name="meeting_slot_book"),
    path("meetings/times/<int:pk>/withdraw/", views.withdraw_slot, name="meeting_slot_withdraw"),
    path("my-children/meetings/", views.family_meetings, name="family_meetings"),
    path("my-children/<int:pk>/meetings/ask/", views.ask_for_meeting, name="meeting_ask"),
]
