"""Transition plans, trial visits, handovers, the family meeting and the move on its date."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from children.day.selectors import moment
from children.models import Child
from core.models import OutgoingMail
from core.outbox import mail_status
from core.tasks import send_due_mail
from keyworker.models import KeyPersonAssignment
from keyworker.selectors import key_person_on
from nursery.tests.factories import RoomFactory, StaffMemberFactory
from transitions import tasks
from transitions.models import HandoverNote, TransitionPlan, TrialVisit
from transitions.plans import services
from transitions.tests.factories import TransitionPlanFactory, TrialVisitFactory

pytestmark = pytest.mark.django_db

MOVED_SUBJECT = "has moved to"

# Visits are typed as a local time tomorrow; at night before the clocks change, "tomorrow at this hour" does
# not exist or happens twice, and the form rightly refuses it. Tests that type them run at half past ten.
MORNING = moment(date(2026, 12, 9), time(10, 30))


@pytest.fixture
def rainbows(nursery):
    return RoomFactory(nursery=nursery, name="Rainbows", min_age_months=36, max_age_months=60)


@pytest.fixture
def leah(nursery, rainbows):
    return StaffMemberFactory(nursery=nursery, room=rainbows, user__full_name="Leah Morgan")


@pytest.fixture
def move(child, rainbows, leah, practitioner_post, manager):
    return TransitionPlanFactory(
        child=child, to_room=rainbows, to_key_person=leah, from_key_person=practitioner_post, created_by=manager
    )


def plan_form(**changes) -> dict:
    data = {"kind": "room_move", "planned_on": (timezone.localdate() + timedelta(days=14)).isoformat()}
    return data | changes


def test_the_new_room_is_suggested_from_the_childs_age(login, manager, child, room, rainbows):
    child.date_of_birth = timezone.localdate() - timedelta(days=3 * 365 + 40)
    child.save()

    page = login(manager).get(reverse("transitions:new_plan", args=[child.pk]))

    assert page.context["form"].initial["to_room"] == rainbows


def test_a_manager_plans_a_room_move_from_todays_room_and_key_person(
    login, manager, child, room, rainbows, leah, practitioner_post
):
    response = login(manager).post(
        reverse("transitions:new_plan", args=[child.pk]), plan_form(to_room=rainbows.pk, to_key_person=leah.pk)
    )

    plan = TransitionPlan.objects.get(child=child)
    assert response.url == reverse("transitions:plan", args=[plan.pk])
    assert (plan.from_room, plan.from_key_person, plan.to_room, plan.to_key_person) == (
        room,
        practitioner_post,
        rainbows,
        leah,
    )
    assert plan.status == TransitionPlan.Status.PLANNED


def test_the_key_person_can_plan_their_key_childs_move(login, practitioner, child, rainbows):
    login(practitioner).post(reverse("transitions:new_plan", args=[child.pk]), plan_form(to_room=rainbows.pk))

    assert TransitionPlan.objects.filter(child=child).exists()


def test_another_practitioner_cannot_plan_a_move(login, nursery, child, rainbows):
    other = StaffMemberFactory(nursery=nursery).user

    response = login(other).post(reverse("transitions:new_plan", args=[child.pk]), plan_form(to_room=rainbows.pk))

    assert response.status_code == 403


def test_a_move_date_in_the_past_is_refused_and_what_was_typed_is_kept(login, manager, child, rainbows):
    past = (timezone.localdate() - timedelta(days=1)).isoformat()

    page = login(manager).post(
        reverse("transitions:new_plan", args=[child.pk]), plan_form(planned_on=past, to_room=rainbows.pk)
    )

    assert "The move date has passed" in page.text
    assert page.context["form"]["to_room"].value() == str(rainbows.pk)
    assert not TransitionPlan.objects.exists()


def test_moving_to_the_room_the_child_is_in_is_refused(login, manager, child, room):
    page = login(manager).post(reverse("transitions:new_plan", args=[child.pk]), plan_form(to_room=room.pk))

    assert "already in that room" in page.text
    assert not TransitionPlan.objects.exists()


def test_a_leaver_needs_the_school_they_go_to(login, manager, child):
    page = login(manager).post(reverse("transitions:new_plan", args=[child.pk]), plan_form(kind="school"))

    assert "Say which school or setting" in page.text


def test_a_second_open_plan_is_refused_with_a_clear_message(login, manager, move, rainbows):
    client = login(manager)

    page = client.post(reverse("transitions:new_plan", args=[move.child.pk]), plan_form(to_room=rainbows.pk))

    assert "already has a plan that is not finished" in page.text
    assert TransitionPlan.objects.count() == 1
    opening = client.get(reverse("transitions:new_plan", args=[move.child.pk]))
    assert opening.url == reverse("transitions:plan", args=[move.pk])


@pytest.mark.time_machine(MORNING)
def test_a_visit_ending_before_it_starts_is_refused(login, manager, move, leah):
    starts = timezone.localtime() + timedelta(days=1)

    page = login(manager).post(
        reverse("transitions:add_visit", args=[move.pk]),
        {
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "accompanied_by": leah.pk,
        },
    )

    assert "The visit ends before it starts" in page.text
    assert not TrialVisit.objects.exists()


@pytest.mark.time_machine(MORNING)
def test_visits_are_scheduled_and_the_page_says_when_the_child_is_confident(login, manager, move, practitioner_post):
    client = login(manager)
    starts = timezone.localtime() + timedelta(days=1)
    for day in (0, 2):
        client.post(
            reverse("transitions:add_visit", args=[move.pk]),
            {
                "starts_at": (starts + timedelta(days=day)).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (starts + timedelta(days=day, hours=1)).strftime("%Y-%m-%dT%H:%M"),
                "accompanied_by": practitioner_post.pk,
            },
        )
    first, second = TrialVisit.objects.order_by("starts_at")
    move.refresh_from_db()
    assert move.status == TransitionPlan.Status.SETTLING
    assert first.accompanied_by == practitioner_post

    client.post(reverse("transitions:record_visit", args=[first.pk]), {"outcome": "settling", "how_it_went": "Cried"})
    assert "not confident yet: 1 visit so far" in client.get(reverse("transitions:plan", args=[move.pk])).text

    client.post(reverse("transitions:record_visit", args=[second.pk]), {"outcome": "confident", "how_it_went": ""})
    assert "was confident at the last visit" in client.get(reverse("transitions:plan", args=[move.pk])).text
    move.refresh_from_db()
    assert move.status == TransitionPlan.Status.READY


def test_a_visit_needs_its_outcome(login, manager, move):
    visit = TrialVisitFactory(plan=move)

    page = login(manager).post(reverse("transitions:record_visit", args=[visit.pk]), {"how_it_went": "Fine"})

    assert "Choose how the visit went" in page.text


def test_the_new_key_person_reads_the_handover_and_it_is_marked_read(login, practitioner, move, leah):
    login(practitioner).post(reverse("transitions:write_handover", args=[move.pk]), {"text": "Loves the blue bunny."})
    note = HandoverNote.objects.get()
    assert note.read_at is None

    page = login(leah.user).get(reverse("transitions:plan", args=[move.pk]))

    assert "Loves the blue bunny." in page.text
    assert "new for you" in page.text
    note.refresh_from_db()
    assert note.read_at is not None


def test_the_family_sees_the_plan_in_plain_words_but_not_the_handover(login, parent, move, practitioner):
    services.write_handover(plan=move, text="Settles with the blue bunny.", by=practitioner)
    TrialVisitFactory(plan=move)

    page = login(parent).get(reverse("transitions:plan", args=[move.pk]))

    assert "Ava will be in <strong>Rainbows</strong>" in page.text
    assert "Leah Morgan" in page.text
    assert "blue bunny" not in page.text
    assert "coming up" in page.text


def test_the_family_sees_how_a_visit_went_but_not_the_staff_notes(login, parent, manager, move):
    visit = TrialVisitFactory(plan=move)
    staff = login(manager)
    form = staff.get(reverse("transitions:record_visit", args=[visit.pk]))
    assert "Notes for staff" in form.text
    notes = {"outcome": "settling", "how_it_went": "Cried when Zara took the bunny"}
    staff.post(reverse("transitions:record_visit", args=[visit.pk]), notes)

    page = login(parent).get(reverse("transitions:plan", args=[move.pk]))

    assert TrialVisit.objects.get().get_outcome_display().lower() in page.text
    assert "Zara" not in page.text
    assert "Cried" not in page.text


def test_another_family_and_another_nursery_get_404(login, other_parent, other_manager, move):
    for user in (other_parent, other_manager):
        assert login(user).get(reverse("transitions:plan", args=[move.pk])).status_code == 404


def test_a_school_leavers_meeting_with_parents_is_booked(login, practitioner, child):
    plan = TransitionPlanFactory(child=child, kind="school", receiving_setting="Meadow Lane Primary")
    when = (timezone.localtime() + timedelta(days=7)).replace(hour=15, minute=30, second=0, microsecond=0)

    login(practitioner).post(
        reverse("transitions:meeting", args=[plan.pk]),
        {"parents_meeting_at": when.strftime("%Y-%m-%dT%H:%M"), "parents_meeting_notes": "Bring the reading book."},
    )

    plan.refresh_from_db()
    assert plan.parents_meeting_at == when
    assert plan.parents_meeting_notes == "Bring the reading book."


def test_the_managers_list_shows_each_plans_state(login, manager, move, child, practitioner):
    TrialVisitFactory(plan=move, outcome="confident")
    TrialVisitFactory(plan=move)
    services.write_handover(plan=move, text="Note", by=practitioner)

    page = login(manager).get(reverse("transitions:plans"))

    (row,) = page.context["moves"]
    assert (row.visits_done, row.visit_count, row.has_handover) == (1, 2, True)
    assert "1 of 2" in page.text


# --- The move date ------------------------------------------------------------------------------


def test_the_sweep_moves_the_child_on_the_date_and_keeps_the_key_person_history(
    move, child, parent, rainbows, leah, practitioner_post, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    move.planned_on = today
    move.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.apply_due_transitions() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.apply_due_transitions() == 0  # running again changes nothing

    child.refresh_from_db()
    move.refresh_from_db()
    assert child.room == rainbows
    assert move.status == TransitionPlan.Status.COMPLETED
    assert key_person_on(child, today - timedelta(days=1)) == practitioner_post
    assert key_person_on(child, today) == leah
    assert KeyPersonAssignment.objects.get(child=child, key_person=leah).reason == "Moved to Rainbows"
    assert KeyPersonAssignment.objects.filter(child=child).count() == 2
    moved = [m for m in mail.outbox if MOVED_SUBJECT in m.subject]
    assert len(moved) == 1  # the family is told once
    assert "Leah Morgan" in moved[0].body


def test_a_plan_whose_date_has_not_come_is_left_alone(move, child, room):
    assert tasks.apply_due_transitions() == 0

    child.refresh_from_db()
    assert child.room == room


def test_a_manager_moves_the_child_now_and_pressing_again_changes_nothing(
    login, manager, move, child, parent, rainbows, django_capture_on_commit_callbacks
):
    client = login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transitions:move_now", args=[move.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transitions:move_now", args=[move.pk]))

    child.refresh_from_db()
    move.refresh_from_db()
    assert child.room == rainbows
    assert move.planned_on == timezone.localdate()
    assert len([m for m in mail.outbox if MOVED_SUBJECT in m.subject]) == 1
    page = client.get(reverse("children:detail", args=[child.pk]))
    assert "Leah Morgan" in page.text
    assert "Rainbows" in page.text


def test_a_family_not_told_because_the_broker_was_down_is_told_by_the_sweep(
    move, child, parent, broker_down, django_capture_on_commit_callbacks
):
    from conftest import use_broker

    move.planned_on = timezone.localdate()
    move.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.apply_plan(plan_id=move.pk)
    waiting = mail_status(key=f"move:{move.pk}:{parent.pk}")
    assert (waiting.status, waiting.attempts) == (OutgoingMail.Status.PENDING, 0)

    use_broker("memory://", eager=True)  # the broker is back
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        send_due_mail()
        send_due_mail()
    assert len([m for m in mail.outbox if MOVED_SUBJECT in m.subject]) == 1


def test_a_mail_server_fault_is_recorded_and_the_sweep_tells_the_family_later(
    login, manager, move, child, parent, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    move.to_key_person = None  # the same key person: only the family is e-mailed
    move.save()
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        services.apply_plan(plan_id=move.pk, now=True)
    monkeypatch.undo()
    held = mail_status(key=f"move:{move.pk}:{parent.pk}")
    assert (held.status, held.attempts) == (OutgoingMail.Status.PENDING, 1)
    assert "mail server down" in held.last_error
    page = login(manager).get(reverse("transitions:plan", args=[move.pk]))
    assert "the family was told by e-mail" not in page.text

    with time_machine.travel(held.retry_after + timedelta(seconds=1)):
        send_due_mail()
        send_due_mail()
    assert len([m for m in mail.outbox if MOVED_SUBJECT in m.subject]) == 1
    page = login(manager).get(reverse("transitions:plan", args=[move.pk]))
    assert "the family was told by e-mail" in page.text


def test_a_leaver_gets_their_leave_date_on_the_day_and_the_plan_completes(child):
    plan = TransitionPlanFactory(child=child, kind="school", receiving_setting="Meadow Lane Primary")
    plan.planned_on = timezone.localdate()
    plan.save()

    services.apply_plan(plan_id=plan.pk)

    child.refresh_from_db()
    plan.refresh_from_db()
    assert child.leave_date == timezone.localdate()
    assert plan.status == TransitionPlan.Status.COMPLETED


def test_a_leave_date_already_recorded_is_kept(child):
    earlier = timezone.localdate() - timedelta(days=2)
    Child.objects.filter(pk=child.pk).update(leave_date=earlier)
    plan = TransitionPlanFactory(child=child, kind="other_setting", receiving_setting="Little Acorns")
    TransitionPlan.objects.filter(pk=plan.pk).update(planned_on=timezone.localdate())

    services.apply_plan(plan_id=plan.pk)

    child.refresh_from_db()
    assert child.leave_date == earlier


def test_a_manager_sets_how_long_leavers_families_keep_access(login, manager, nursery):
    login(manager).post(reverse("transitions:leaver_access"), {"leaver_access_days": 30})

    nursery.refresh_from_db()
    assert nursery.leaver_access_days == 30


def test_a_child_not_yet_old_enough_is_offered_the_next_room_up(login, manager, child, room, rainbows):
    room.min_age_months, room.max_age_months = 24, 35
    room.save()
    child.date_of_birth = timezone.localdate() - timedelta(days=33 * 30)
    child.save()

    page = login(manager).get(reverse("transitions:new_plan", args=[child.pk]))

    assert page.context["form"].initial["to_room"] == rainbows


def test_a_move_whose_new_key_person_has_left_stays_open_and_the_sweep_goes_on(move, child, leah, room):
    move.planned_on = timezone.localdate()
    move.save()
    leah.is_active = False
    leah.save()

    assert tasks.apply_due_transitions() == 0

    move.refresh_from_db()
    child.refresh_from_db()
    assert move.status == TransitionPlan.Status.PLANNED
    assert child.room == room  # nothing half-done


def test_the_family_sees_the_completed_move_on_their_childs_page(login, parent, move, child):
    services.apply_plan(plan_id=move.pk, now=True)

    page = login(parent).get(reverse("children:detail", args=[child.pk]))

    assert "See how the move went" in page.text


def test_a_finished_plan_cannot_be_changed(login, manager, move, rainbows):
    TransitionPlan.objects.filter(pk=move.pk).update(status=TransitionPlan.Status.CANCELLED)

    page = login(manager).post(reverse("transitions:edit_plan", args=[move.pk]), plan_form(to_room=rainbows.pk))

    assert "This plan is finished" in page.text
