"""The key person pages as managers, practitioners and parents use them."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.day.selectors import moment
from children.models import ConsentPurpose
from children.tests.factories import (
    AllAboutMeFactory,
    AttendanceFactory,
    BookingFactory,
    ChildFactory,
    HomeChangeFactory,
    consent,
)
from keyworker.models import KeyGroup, KeyPersonAssignment
from keyworker.selectors import key_person_on
from keyworker.tests.factories import KeyGroupFactory, KeyPersonAssignmentFactory
from nursery.tests.factories import (
    NurserySessionFactory,
    StaffAbsenceFactory,
    StaffMemberFactory,
    WorkingPatternFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tom(nursery, room):
    return StaffMemberFactory(nursery=nursery, room=room, user__full_name="Tom Hughes")


def change(client, child, **data):
    data = {"starts_on": "2026-03-02", "reason": "Bonded with Tom", **data}
    return client.post(reverse("keyworker:assign", args=[child.pk]), data)


def test_manager_changes_a_key_person_and_the_child_page_shows_it(login, manager, child, tom):
    client = login(manager)
    response = change(client, child, key_person=tom.pk, starts_on=timezone.localdate().isoformat())

    assert response.url == reverse("children:detail", args=[child.pk])
    page = client.get(response.url).content.decode()
    assert "Tom Hughes" in page
    history = client.get(reverse("keyworker:assign", args=[child.pk])).content.decode()
    assert "Priya Practitioner" in history
    assert "Bonded with Tom" in history


def test_a_leaver_is_not_offered_and_choosing_them_is_refused_with_a_clear_message(login, manager, child, nursery):
    leaver = StaffMemberFactory(
        nursery=nursery, leaves_on=timezone.localdate() - timedelta(days=1), user__full_name="Lee Leaver"
    )
    client = login(manager)
    assert "Lee Leaver" not in client.get(reverse("keyworker:assign", args=[child.pk])).content.decode()
    response = change(client, child, key_person=leaver.pk)

    assert response.status_code == 200
    assert "Choose someone in post at this nursery who may be a key person." in response.content.decode()
    assert child.key_person_assignments.count() == 1


def test_assigning_staff_of_another_nursery_is_refused(login, manager, child, other_nursery):
    stranger = StaffMemberFactory(nursery=other_nursery)
    response = change(login(manager), child, key_person=stranger.pk)
    assert "Choose someone in post at this nursery who may be a key person." in response.content.decode()
    assert child.key_person_assignments.count() == 1


def test_back_to_front_dates_keep_what_was_typed(login, manager, child, tom):
    response = change(login(manager), child, key_person=tom.pk, ends_on="2026-03-01", reason="Cover for a week")
    page = response.content.decode()
    assert "The last day is before the first day" in page
    assert 'value="Cover for a week"' in page
    assert child.key_person_assignments.count() == 1


def test_overlapping_dates_are_explained(login, manager, child, tom):
    page = change(login(manager), child, key_person=tom.pk, starts_on="2025-08-01").content.decode()
    assert "since 1 September 2025. Choose a start date after that." in page
    assert key_person_on(child, date(2025, 9, 2)).user.full_name == "Priya Practitioner"


def test_over_limit_warning_then_explicit_override(login, manager, child, tom):
    KeyGroupFactory(key_person=tom, size_limit=0)
    client = login(manager)

    warned = change(client, child, key_person=tom.pk).content.decode()
    assert "would have 1 children; its limit is 0" in warned
    assert "Go over the limit" in warned
    assert key_person_on(child, date(2026, 3, 2)).user.full_name == "Priya Practitioner"

    response = change(client, child, key_person=tom.pk, allow_over_limit="on")
    assert response.status_code == 302
    assert key_person_on(child, date(2026, 3, 2)) == tom


def test_manager_moves_a_whole_key_group(login, manager, nursery, room, child, practitioner_post, tom):
    second = ChildFactory(nursery=nursery, room=room)
    KeyPersonAssignmentFactory(child=second, key_person=practitioner_post)

    response = login(manager).post(
        reverse("keyworker:reassign_group", args=[practitioner_post.pk]),
        {"to_person": tom.pk, "starts_on": "2026-03-02", "reason": "Priya moved to Rainbows"},
        follow=True,
    )

    assert "2 children moved from Priya Practitioner to Tom Hughes." in response.content.decode()
    assert {key_person_on(c, date(2026, 3, 2)) for c in (child, second)} == {tom}
    assert KeyPersonAssignment.objects.filter(key_person=practitioner_post, ends_on=date(2026, 3, 1)).count() == 2


def test_manager_sets_a_groups_limit_and_buddy(login, manager, practitioner_post, tom):
    login(manager).post(
        reverse("keyworker:key_group", args=[practitioner_post.pk]), {"size_limit": "8", "buddy": tom.pk}
    )
    group = KeyGroup.objects.get(key_person=practitioner_post)
    assert (group.size_limit, group.buddy) == (8, tom)


def test_a_child_buddy_of_another_nursery_is_refused(login, manager, child, other_nursery):
    stranger = StaffMemberFactory(nursery=other_nursery)
    response = login(manager).post(
        reverse("keyworker:child_buddy", args=[child.pk]), {"buddy": stranger.pk}, follow=True
    )
    assert "Choose someone who works at this nursery." in response.content.decode()
    assert child.key_person_assignments.get().buddy is None


def test_the_register_names_each_childs_key_person_on_the_chosen_day(login, practitioner, nursery, child, tom):
    full_day = NurserySessionFactory(nursery=nursery)
    BookingFactory(child=child, session=full_day, weekday=0)
    spell = child.key_person_assignments.get()
    spell.ends_on = date(2026, 3, 8)
    spell.save()
    KeyPersonAssignmentFactory(child=child, key_person=tom, starts_on=date(2026, 3, 9))
    client = login(practitioner)

    before = client.get(reverse("keyworker:register"), {"day": "2026-03-02"})
    after = client.get(reverse("keyworker:register"), {"day": "2026-03-09"})

    assert [row.key_person.user.full_name for row in before.context["rows"]] == ["Priya Practitioner"]
    assert [row.key_person.user.full_name for row in after.context["rows"]] == ["Tom Hughes"]
    assert "08:00\N{EN DASH}18:00" in after.content.decode()


def test_a_day_that_is_not_a_date_is_refused_with_a_plain_message(login, practitioner):
    response = login(practitioner).get(reverse("keyworker:register"), {"day": "next tuesday"})
    assert response.status_code == 400
    assert "The day in this address is not a date" in response.content.decode()


def test_the_ratio_page_names_a_child_without_a_date_of_birth(login, manager, nursery, room):
    nameless = ChildFactory(nursery=nursery, room=room, date_of_birth=None, first_name="Nobirth")
    BookingFactory(child=nameless, session=NurserySessionFactory(nursery=nursery), weekday=0)

    page = login(manager).get(reverse("keyworker:ratios"), {"day": "2026-03-02"}).content.decode()

    assert f"No date of birth recorded for {nameless.display_name}" in page
    assert "counted as under two" in page


def test_dashboard_shows_cover_and_shortfalls(login, manager, nursery, room, child, practitioner_post):
    today = timezone.localdate()
    session = NurserySessionFactory(nursery=nursery, starts_at=time(8), ends_at=time(18))
    for weekday in range(7):
        BookingFactory(child=child, session=session, weekday=weekday)
    starter = ChildFactory(nursery=nursery, room=room, start_date=today + timedelta(days=3), first_name="Nell")

    response = login(manager).get(reverse("keyworker:overview"))

    assert [row.child for row in response.context["cover"]] == [child]  # Priya has no working week
    assert response.context["starters_without"] == [starter]
    assert response.context["cover_day"] == today
    assert len(response.context["shortfalls"]) == 7  # a child every day, nobody working in the room
    WorkingPatternFactory(staff=practitioner_post, session=session, weekday=today.weekday())
    assert len(login(manager).get(reverse("keyworker:overview")).context["shortfalls"]) == 6


def test_practitioner_sees_each_key_childs_next_session_and_what_is_due(login, practitioner, nursery, room, child):
    today = timezone.localdate()
    BookingFactory(child=child, session=NurserySessionFactory(nursery=nursery, name="Morning"), weekday=today.weekday())
    practitioner_post = practitioner.staff_posts.get()
    starter = ChildFactory(nursery=nursery, room=room, start_date=today + timedelta(days=5), date_of_birth=None)
    KeyPersonAssignmentFactory(child=starter, key_person=practitioner_post, starts_on=today + timedelta(days=5))

    page = login(practitioner).get(reverse("keyworker:my_key_children")).content.decode()

    assert "Next session: today, Morning" in page
    assert starter.display_name in page
    assert f"Starts on {starter.start_date:%A %-d %B}." in page
    assert "No date of birth recorded" in page


def test_parent_sees_the_new_key_person_buddy_and_a_notice(
    login, manager, parent, child, tom, nursery, django_capture_on_commit_callbacks
):
    KeyGroupFactory(key_person=tom, buddy=StaffMemberFactory(nursery=nursery, user__full_name="Bea Buddy"))
    with django_capture_on_commit_callbacks(execute=True):
        change(login(manager), child, key_person=tom.pk, starts_on=timezone.localdate().isoformat())

    page = login(parent).get(reverse("keyworker:my_children")).content.decode()

    assert "New key person for Ava:" in page
    assert "Key person: <strong>Tom Hughes</strong>" in page
    assert "Bea Buddy" in page
    assert 'class="avatar avatar-staff" aria-hidden="true">TH<' in page


def test_another_familys_notice_is_not_shown(
    login, manager, child, other_parent, tom, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change(login(manager), child, key_person=tom.pk, starts_on=timezone.localdate().isoformat())
    page = login(other_parent).get(reverse("keyworker:my_children")).content.decode()
    assert "New key person" not in page
    assert KeyPersonAssignment.objects.filter(key_person=tom).exists()


def test_a_buddy_sees_the_children_they_cover_today(login, nursery, room, child, practitioner_post):
    today = timezone.localdate()
    session = NurserySessionFactory(nursery=nursery)
    BookingFactory(child=child, session=session, weekday=today.weekday())
    buddy = StaffMemberFactory(nursery=nursery, room=room, user__full_name="Bea Buddy")
    WorkingPatternFactory(staff=buddy, session=session, weekday=today.weekday())
    KeyGroupFactory(key_person=practitioner_post, buddy=buddy)  # Priya has no working week: not in

    response = login(buddy.user).get(reverse("keyworker:my_key_children"))

    assert [row.child for row in response.context["covering"]] == [child]
    assert "You are covering today" in response.content.decode()


def test_a_buddy_covers_the_children_they_are_buddy_of_and_not_those_with_a_buddy_of_their_own(
    login, nursery, room, child, other_child, practitioner_post
):
    today = timezone.localdate()
    session = NurserySessionFactory(nursery=nursery)
    buddy = StaffMemberFactory(nursery=nursery, room=room, user__full_name="Bea Buddy")
    WorkingPatternFactory(staff=buddy, session=session, weekday=today.weekday())
    KeyGroupFactory(key_person=practitioner_post, buddy=buddy)  # the group's buddy: Priya has no working week
    someone_else = StaffMemberFactory(nursery=nursery, room=room, user__full_name="Sid Else")
    KeyPersonAssignmentFactory(child=other_child, key_person=practitioner_post, buddy=someone_else)
    third = ChildFactory(nursery=nursery, room=room, first_name="Ben")
    KeyPersonAssignmentFactory(child=third, key_person=StaffMemberFactory(nursery=nursery), buddy=buddy)
    for kid in (child, other_child, third):
        BookingFactory(child=kid, session=session, weekday=today.weekday())

    response = login(buddy.user).get(reverse("keyworker:my_key_children"))

    assert {row.child for row in response.context["covering"]} == {child, third}


def test_opening_a_childs_key_person_history_is_logged(login, manager, child):
    login(manager).get(reverse("keyworker:assign", args=[child.pk]))
    assert child.audit_events.filter(actor=manager, action="viewed", what="Key person history").exists()


def test_the_register_says_who_is_away(login, manager, practitioner_post):
    StaffAbsenceFactory(staff=practitioner_post, kind="training", starts_on=date(2026, 3, 2))
    page = login(manager).get(reverse("keyworker:register"), {"day": "2026-03-02"}).content.decode()
    assert "Away: Priya Practitioner (training)." in page


def test_a_leavers_key_group_stays_listed_until_it_is_moved(login, manager, child, practitioner_post, tom):
    practitioner_post.is_active = False
    practitioner_post.save()
    client = login(manager)
    assert "Has left: move this group" in client.get(reverse("keyworker:key_groups")).content.decode()

    client.post(
        reverse("keyworker:reassign_group", args=[practitioner_post.pk]),
        {"to_person": tom.pk, "starts_on": timezone.localdate().isoformat(), "reason": "Priya has left"},
    )

    assert key_person_on(child) == tom
    assert "Has left" not in client.get(reverse("keyworker:key_groups")).content.decode()


def test_key_children_show_allergies_photo_consent_and_changes_at_home_to_read(login, practitioner, parent, child):
    AllAboutMeFactory(child=child, allergies="Peanuts")
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY, granted=False)
    HomeChangeFactory(child=child, proposed_by=parent)

    page = login(practitioner).get(reverse("keyworker:my_key_children")).content.decode()

    assert "Allergy: Peanuts" in page
    assert "No photos" in page
    assert "1 change at home from the family to read." in page


def test_parent_sees_the_key_persons_photo_when_they_have_one(login, parent, child, practitioner_post):
    practitioner_post.photo = "staff/priya.jpg"
    practitioner_post.save()

    page = login(parent).get(reverse("keyworker:my_children")).content.decode()

    assert reverse("nursery:staff_photo_thumbnail", args=[practitioner_post.pk]) in page


def test_parent_home_links_to_the_story_only_when_the_family_link_allows_it(login, parent, child):
    home = reverse("keyworker:my_children")
    assert reverse("stories:story", args=[child.pk]) in login(parent).get(home).content.decode()

    parent.guardianships.update(can_view_story=False, can_contribute=False)

    page = login(parent).get(home).content.decode()
    assert reverse("stories:story", args=[child.pk]) not in page
    assert reverse("stories:add_home", args=[child.pk]) not in page


def stay(child, day: date, start: time, end: time) -> None:
    AttendanceFactory(child=child, day=day, signed_in_at=moment(day, start), signed_out_at=moment(day, end))


def test_the_register_records_when_each_child_was_signed_in_and_out(login, practitioner, nursery, room, child):
    monday = date(2026, 3, 2)
    BookingFactory(child=child, session=NurserySessionFactory(nursery=nursery), weekday=monday.weekday())
    stay(child, monday, time(8, 5), time(17, 40))
    extra = ChildFactory(nursery=nursery, room=room, first_name="Otto")  # came on a day he is not booked
    stay(extra, monday, time(9), time(12))
    absent = ChildFactory(nursery=nursery, room=room, first_name="Iris")
    BookingFactory(child=absent, session=NurserySessionFactory(nursery=nursery), weekday=monday.weekday())

    response = login(practitioner).get(reverse("keyworker:register"), {"day": monday.isoformat()})
    rows = {row.child.first_name: row for row in response.context["rows"]}
    page = response.content.decode()

    assert set(rows) == {"Ava", "Otto", "Iris"}
    assert "08:05\N{EN DASH}17:40" in page
    assert rows["Otto"].sessions == []
    assert "Not booked" in page
    assert rows["Iris"].stays == []
    assert "Not signed in" in page
