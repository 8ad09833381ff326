"""Assigning key persons: history kept, bad input refused with a clear message, nothing half-saved."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from children.models import ChildAuditEvent
from children.tests.factories import ChildFactory, GuardianshipFactory
from core.models import OutgoingMail
from core.queue import all_of
from keyworker import services
from keyworker.models import KeyPersonAssignment, KeyPersonNotice
from keyworker.selectors import (
    children_without_key_person,
    key_group_sizes,
    key_person_on,
    starters_without_key_person,
)
from keyworker.tests.factories import KeyGroupFactory, KeyPersonAssignmentFactory
from keyworker.tests.outbox import sweep_outbox
from nursery.models import StaffMember
from nursery.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tom(nursery, room):
    return StaffMemberFactory(nursery=nursery, room=room, user__full_name="Tom Hughes")


@pytest.fixture
def grace(nursery, room):
    return StaffMemberFactory(nursery=nursery, room=room, user__full_name="Grace Okafor")


def assign(child, key_person, starts_on, manager, **kwargs):
    kwargs.setdefault("reason", "Settling in")
    return services.assign_key_person(child=child, key_person=key_person, starts_on=starts_on, by=manager, **kwargs)


def snapshot(child):
    return list(child.key_person_assignments.order_by("starts_on").values_list("key_person", "starts_on", "ends_on"))


def test_key_person_on_date_d_across_several_changes(child, practitioner_post, tom, grace, manager):
    assign(child, tom, date(2026, 1, 5), manager, reason="Bonded with Tom")
    assign(child, grace, date(2026, 2, 2), manager, ends_on=date(2026, 2, 13), reason="Tom on long leave")
    assign(child, tom, date(2026, 2, 16), manager, reason="Tom back")

    expected = {
        date(2025, 8, 31): None,
        date(2025, 9, 1): practitioner_post,
        date(2026, 1, 4): practitioner_post,
        date(2026, 1, 5): tom,
        date(2026, 2, 1): tom,
        date(2026, 2, 2): grace,
        date(2026, 2, 13): grace,
        date(2026, 2, 14): None,  # the weekend between spells: a hole the dashboard would show
        date(2026, 2, 16): tom,
        date(2027, 1, 1): tom,
    }
    assert {day: key_person_on(child, day) for day in expected} == expected
    assert [spell.reason for spell in child.key_person_assignments.order_by("starts_on")] == [
        "",
        "Bonded with Tom",
        "Tom on long leave",
        "Tom back",
    ]
    assert child.audit_events.filter(action=ChildAuditEvent.Action.CHANGED, what__startswith="Key person").count() == 3


def test_a_key_person_can_be_chosen_before_the_child_starts(nursery, room, tom, manager):
    starter = ChildFactory(nursery=nursery, room=room, start_date=timezone.localdate() + timedelta(days=10))
    assert list(starters_without_key_person(manager)) == [starter]

    assign(starter, tom, timezone.localdate(), manager, reason="Allocated before starting")

    assert not starters_without_key_person(manager).exists()
    assert not children_without_key_person(manager).filter(pk=starter.pk).exists()


def test_a_starters_planned_key_person_is_replaced_not_kept_as_history(nursery, room, tom, grace, manager):
    first_day = timezone.localdate() + timedelta(days=10)
    starter = ChildFactory(nursery=nursery, room=room, start_date=first_day)
    assign(starter, tom, first_day, manager)

    assign(starter, grace, first_day, manager, reason="Family know Grace")

    assert snapshot(starter) == [(grace.pk, first_day, None)]
    assert starter.audit_events.filter(what__contains="replaced before starting").exists()


@pytest.mark.parametrize(
    ("who", "message"),
    [
        (lambda nursery, other: StaffMemberFactory(nursery=other), "does not work at this nursery"),
        (lambda nursery, other: StaffMemberFactory(nursery=nursery, is_active=False), "does not work at this nursery"),
        (
            lambda nursery, other: StaffMemberFactory(
                nursery=nursery, leaves_on=timezone.localdate() - timedelta(days=1)
            ),
            "left on",
        ),
        (lambda nursery, other: StaffMemberFactory(nursery=nursery, can_be_key_person=False), "not a key person"),
    ],
    ids=["staff of another nursery", "someone removed", "someone whose leaving date has passed", "not a key person"],
)
def test_only_someone_in_post_here_who_may_be_a_key_person_can_be_one(
    child, manager, nursery, other_nursery, who, message
):
    before = snapshot(child)
    with pytest.raises(ValidationError, match=message):
        assign(child, who(nursery, other_nursery), date(2026, 3, 2), manager)
    assert snapshot(child) == before


def test_a_start_date_overlapping_the_current_key_persons_time_is_refused(child, tom, manager):
    before = snapshot(child)
    with pytest.raises(ValidationError, match=r"since 1 September 2025\. Choose a start date after that"):
        assign(child, tom, date(2025, 9, 1), manager)
    assert snapshot(child) == before


def test_a_start_date_overlapping_an_earlier_spell_is_refused(child, tom, grace, manager):
    spell = child.key_person_assignments.get()
    spell.ends_on = date(2026, 1, 31)
    spell.save()
    before = snapshot(child)
    with pytest.raises(ValidationError, match="overlaps Priya Practitioner's time as key person"):
        assign(child, tom, date(2026, 1, 15), manager)
    assert snapshot(child) == before


def test_back_to_front_dates_are_refused_by_the_service_and_the_database(child, tom, manager):
    before = snapshot(child)
    with pytest.raises(ValidationError, match="last day is before the first day"):
        assign(child, tom, date(2026, 3, 2), manager, ends_on=date(2026, 3, 1))
    assert snapshot(child) == before
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyPersonAssignmentFactory(child=child, key_person=tom, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 1))


def test_every_change_needs_a_reason(child, tom, manager):
    with pytest.raises(ValidationError, match="Say why"):
        assign(child, tom, date(2026, 3, 2), manager, reason="  ")


def test_the_same_key_person_again_is_refused(child, practitioner_post, manager):
    with pytest.raises(ValidationError, match="already Ava's key person"):
        assign(child, practitioner_post, date(2026, 3, 2), manager)


def test_a_group_over_its_limit_needs_an_explicit_override(nursery, room, child, tom, manager):
    KeyGroupFactory(key_person=tom, size_limit=1)
    KeyPersonAssignmentFactory(child=ChildFactory(nursery=nursery, room=room), key_person=tom)
    before = snapshot(child)

    with pytest.raises(ValidationError, match="would have 2 children; its limit is 1") as caught:
        assign(child, tom, date(2026, 3, 2), manager)
    assert caught.value.code == services.OVER_LIMIT
    assert snapshot(child) == before

    assign(child, tom, date(2026, 3, 2), manager, allow_over_limit=True)
    assert key_person_on(child, date(2026, 3, 2)) == tom


def test_a_whole_group_moves_in_one_action_keeping_each_childs_history(
    nursery, room, child, practitioner_post, tom, manager
):
    second = ChildFactory(nursery=nursery, room=room)
    KeyPersonAssignmentFactory(child=second, key_person=practitioner_post, starts_on=date(2025, 10, 1))

    result = services.reassign_key_group(
        from_person=practitioner_post, to_person=tom, starts_on=date(2026, 3, 2), reason="Priya moved room", by=manager
    )

    assert len(result.assignments) == 2
    for moved in (child, second):
        assert key_person_on(moved, date(2026, 3, 1)) == practitioner_post
        assert key_person_on(moved, date(2026, 3, 2)) == tom
    assert key_group_sizes(nursery, date(2026, 3, 2)) == {tom.pk: 2}


def test_moving_a_group_is_all_or_nothing(nursery, room, child, practitioner_post, tom, manager):
    late = ChildFactory(nursery=nursery, room=room)
    KeyPersonAssignmentFactory(child=late, key_person=practitioner_post, starts_on=date(2026, 3, 2))
    before = KeyPersonAssignment.objects.order_by("pk").values_list("child", "key_person", "starts_on", "ends_on")
    before = list(before)

    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.reassign_key_group(
            from_person=practitioner_post, to_person=tom, starts_on=date(2026, 3, 2), reason="Leaving", by=manager
        )

    after = KeyPersonAssignment.objects.order_by("pk").values_list("child", "key_person", "starts_on", "ends_on")
    assert list(after) == before


def test_moving_a_group_over_the_new_key_persons_limit_needs_the_override(child, practitioner_post, tom, manager):
    KeyGroupFactory(key_person=tom, size_limit=0)
    with pytest.raises(ValidationError) as caught:
        services.reassign_key_group(
            from_person=practitioner_post, to_person=tom, starts_on=date(2026, 3, 2), reason="Leaving", by=manager
        )
    assert caught.value.code == services.OVER_LIMIT
    assert key_person_on(child, date(2026, 3, 2)) == practitioner_post


def test_a_buddy_cannot_be_the_key_person_or_from_another_nursery(child, practitioner_post, other_nursery, manager):
    with pytest.raises(ValidationError, match="must be someone else"):
        services.set_child_buddy(child=child, buddy=practitioner_post, by=manager)
    with pytest.raises(ValidationError, match="must work at this nursery"):
        services.set_child_buddy(child=child, buddy=StaffMemberFactory(nursery=other_nursery), by=manager)
    assert child.key_person_assignments.get().buddy is None


def test_the_family_is_told_once_by_email_when_the_key_person_changes(
    child, parent, tom, manager, django_capture_on_commit_callbacks
):
    GuardianshipFactory(child=child, user__email="second@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        result = assign(child, tom, date(2026, 3, 2), manager, reason="Bonded with Tom")

    assert all_of(result.dispatches).queued
    assert sorted(m.to[0] for m in mail.outbox) == sorted([parent.email, "second@example.org"])
    body = mail.outbox[0].body
    assert "Tom Hughes is Ava's key person" in body
    assert "taking over from Priya Practitioner" in body
    assert "Bonded with Tom" not in body  # the reason is for the nursery's records
    notice = KeyPersonNotice.objects.get()
    family = User.objects.filter(guardianships__child=child)
    assert sorted(OutgoingMail.objects.values_list("key", "status")) == sorted(
        (f"key-person:{notice.assignment_id}:{user.pk}", "sent") for user in family
    )
    assert sweep_outbox() == 0
    assert len(mail.outbox) == 2


def test_a_notice_that_could_not_be_queued_is_sent_by_the_sweep(
    child, parent, tom, manager, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = assign(child, tom, date(2026, 3, 2), manager)
    assert all_of(result.dispatches).queued is False
    assert key_person_on(child, date(2026, 3, 2)) == tom  # the change itself is kept
    assert mail.outbox == []

    from conftest import use_broker

    use_broker("memory://", eager=True)
    assert sweep_outbox() == 1
    assert [m.to for m in mail.outbox] == [[parent.email]]


def test_a_planned_key_person_replaced_before_the_email_went_is_never_announced(
    child, parent, tom, grace, manager, broker_down, django_capture_on_commit_callbacks
):
    starts_on = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        assign(child, tom, starts_on, manager)
        assign(child, grace, starts_on, manager, reason="Tom is moving rooms")

    from conftest import use_broker

    use_broker("memory://", eager=True)
    sweep_outbox()
    assert [m.to for m in mail.outbox] == [[parent.email]]
    assert "Grace Okafor is Ava's key person" in mail.outbox[0].body


# Key person choice follows the posts: any post in post (managers, deputies, room leaders too), never leavers.


def test_manager_makes_themselves_key_person_of_a_child_and_sees_them_in_my_key_children(login, manager, nursery, room):
    from django.urls import reverse

    ruby = ChildFactory(nursery=nursery, room=room, first_name="Ruby")
    own_post = manager.staff_posts.get()
    client = login(manager)
    assert f'value="{own_post.pk}"' in client.get(reverse("keyworker:assign", args=[ruby.pk])).content.decode()

    response = client.post(
        reverse("keyworker:assign", args=[ruby.pk]),
        {"key_person": own_post.pk, "starts_on": timezone.localdate().isoformat(), "reason": "Small setting"},
    )

    assert response.status_code == 302
    assert key_person_on(ruby) == own_post
    page = client.get(reverse("keyworker:my_key_children")).content.decode()
    assert "Ruby" in page
    assert "You are not anyone&#x27;s key person" not in page


@pytest.mark.parametrize("role", [StaffMember.Role.DEPUTY, StaffMember.Role.ROOM_LEADER, StaffMember.Role.MANAGER])
def test_a_deputy_room_leader_or_manager_can_be_key_person_and_buddy(child, practitioner_post, manager, nursery, role):
    post = StaffMemberFactory(nursery=nursery, role=role)

    assign(child, post, timezone.localdate(), manager, buddy=practitioner_post)
    assert key_person_on(child) == post

    services.save_key_group(key_person=practitioner_post, size_limit=None, buddy=post)
    assert practitioner_post.key_group.buddy == post


def test_leavers_and_staff_who_are_not_key_persons_are_not_offered(child, nursery, practitioner_post, manager):
    from keyworker.forms import AssignKeyPersonForm, ChildBuddyForm, KeyGroupForm, ReassignGroupForm

    today = timezone.localdate()
    left = StaffMemberFactory(nursery=nursery, leaves_on=today)  # their leaving date is today: gone
    removed = StaffMemberFactory(nursery=nursery, is_active=False)
    cook = StaffMemberFactory(nursery=nursery, can_be_key_person=False)
    leaving_soon = StaffMemberFactory(nursery=nursery, leaves_on=today + timedelta(days=1))
    offered = [
        set(AssignKeyPersonForm(nursery=nursery).fields["key_person"].queryset),
        set(AssignKeyPersonForm(nursery=nursery).fields["buddy"].queryset),
        set(ChildBuddyForm(nursery=nursery).fields["buddy"].queryset),
        set(KeyGroupForm(key_person=practitioner_post).fields["buddy"].queryset) | {practitioner_post},
        set(ReassignGroupForm(from_person=practitioner_post).fields["to_person"].queryset) | {practitioner_post},
    ]
    for people in offered:
        assert people == {practitioner_post, manager.staff_posts.get(), leaving_soon}
        assert not people & {left, removed, cook}


def test_a_buddy_who_has_left_is_refused(child, practitioner_post, nursery, manager):
    gone = StaffMemberFactory(nursery=nursery, leaves_on=timezone.localdate() - timedelta(days=3))
    with pytest.raises(ValidationError, match="must work at this nursery"):
        services.set_child_buddy(child=child, buddy=gone, by=manager)


def test_a_key_person_leaving_before_a_planned_start_is_refused(child, nursery, manager):
    today = timezone.localdate()
    leaving = StaffMemberFactory(nursery=nursery, leaves_on=today + timedelta(days=5), user__full_name="Lou Leaving")
    with pytest.raises(ValidationError, match="Lou Leaving leaves on"):
        assign(child, leaving, today + timedelta(days=7), manager)


def test_a_leavers_key_child_shows_as_a_hole_on_the_overview_and_their_history_stays(
    login, manager, child, practitioner_post
):
    from django.urls import reverse

    from keyworker.selectors import assignment_history

    yesterday = timezone.localdate() - timedelta(days=1)
    practitioner_post.leaves_on = yesterday
    practitioner_post.save()

    assert list(children_without_key_person(manager)) == [child]
    assert child.key_person_assignments.get().key_person == practitioner_post  # the record stays
    assert [spell.key_person for spell in assignment_history(child)] == [practitioner_post]
    page = login(manager).get(reverse("keyworker:overview")).content.decode()
    assert f"Key person Priya Practitioner left on {yesterday:%-d %B %Y}" in page
    assert "Has left" in page  # their group still shows, so it can be moved


def test_a_starter_whose_key_person_leaves_before_their_first_day_is_a_hole(nursery, room, practitioner_post, manager):
    today = timezone.localdate()
    starter = ChildFactory(nursery=nursery, room=room, start_date=today + timedelta(days=10))
    KeyPersonAssignmentFactory(child=starter, key_person=practitioner_post, starts_on=today)
    assert not starters_without_key_person(manager).exists()

    practitioner_post.leaves_on = today + timedelta(days=5)
    practitioner_post.save()

    holes = list(starters_without_key_person(manager))
    assert holes == [starter]
    assert (holes[0].former_key_person, holes[0].former_leaves_on) == ("Priya Practitioner", today + timedelta(days=5))


@pytest.mark.parametrize("role", [StaffMember.Role.DEPUTY, StaffMember.Role.ROOM_LEADER])
def test_a_deputy_or_room_leader_opens_their_key_children_and_whats_new(login, nursery, role):
    from django.urls import reverse

    client = login(StaffMemberFactory(nursery=nursery, role=role).user)
    assert client.get(reverse("keyworker:my_key_children")).status_code == 200
    assert client.get(reverse("keyworker:whats_new")).status_code == 200


def test_a_manager_who_is_a_key_person_can_offer_meeting_times(login, manager):
    from django.urls import reverse

    page = login(manager).get(reverse("keyworker:meetings")).content.decode()
    assert 'name="starts_at"' in page
