"""The retention schedule, the nightly sweep, legal holds, the removal log and erasure of a family account."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import InvitationFactory
from children.day.models import Incident
from children.models import Child, ChildAuditEvent, ConfidentialNote, Consent, GuardianInvitation, Guardianship
from children.tests.factories import (
    AttendanceFactory,
    CareEntryFactory,
    ChildFactory,
    ConfidentialNoteFactory,
    GuardianshipFactory,
    IncidentFactory,
    consent,
)
from core.models import OutgoingMail
from keyworker.models import Consultation, ConsultationNotice
from learning_stories.models import Comment, EntryNotice
from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory
from nursery.tests.factories import StaffMemberFactory
from privacy.tests.factories import ready_export
from retention import services
from retention.models import LegalHold, RemovalCount, RemovalRun, RetentionPeriod
from retention.selectors import next_run
from retention.tasks import sweep_retention

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def leaver_world(nursery, room, other_child, practitioner):
    """Leo left on 17 July 2026 with a month of records; Zara (``other_child``) still attends."""
    with time_machine.travel(at(2026, 6, 10), tick=False):
        leo = ChildFactory(
            nursery=nursery,
            room=room,
            first_name="Leo",
            last_name="Marsh",
            date_of_birth=date(2022, 5, 1),
            start_date=date(2024, 9, 1),
            leave_date=date(2026, 7, 17),
        )
        parent = GuardianshipFactory(child=leo, user__full_name="Kim Marsh", user__phone="07700 900999").user
        world = {
            "leo": leo,
            "parent": parent,
            "early_stay": AttendanceFactory(
                child=leo, day=date(2026, 6, 1), signed_in_at=at(2026, 6, 1, 9), signed_out_at=at(2026, 6, 1, 15)
            ),
            "last_stay": AttendanceFactory(child=leo, day=date(2026, 7, 16), signed_in_at=at(2026, 7, 16, 9)),
            "nappy": CareEntryFactory(child=leo, day=date(2026, 6, 1), at=at(2026, 6, 1)),
            "incident": IncidentFactory(
                child=leo,
                day=date(2026, 6, 1),
                happened_at=at(2026, 6, 1),
                what_happened="Fell off the little slide.",
                acknowledged_at=at(2026, 6, 1, 17),
                acknowledged_by=parent,
            ),
            "note": ConfidentialNoteFactory(child=leo, written_by=parent, written_at=at(2026, 6, 1)),
            "solo": ObservationFactory(nursery=nursery, children=[leo], text="Leo built a tall tower."),
            "group": ObservationFactory(nursery=nursery, children=[leo, other_child], text="Den building together."),
            "audit": ChildAuditEvent.objects.create(child=leo, action="viewed", what="Record", at=at(2026, 6, 1)),
            "consent": consent(leo, "photos_own_story", by=parent),
        }
        world["solo_photo"] = ObservationPhotoFactory(observation=world["solo"], children=[leo])
        world["group_photo"] = ObservationPhotoFactory(observation=world["group"], children=[leo, other_child])
        world["zara_photo"] = ObservationPhotoFactory(observation=world["group"], children=[other_child])
        Comment.objects.create(observation=world["group"], child=leo, author=parent, text="Lovely!")
    return world


def sweep_on(day: date, nursery) -> RemovalRun:
    with time_machine.travel(at(day.year, day.month, day.day, 2), tick=False):
        return services.sweep(nursery_id=nursery.pk)


def counts_of(run: RemovalRun) -> dict[str, int]:
    return {line.kind: line.count for line in run.counts.all()}


def exists(obj) -> bool:
    return type(obj).objects.filter(pk=obj.pk).exists()


def test_the_sweep_removes_exactly_what_the_schedule_says_and_keeps_what_is_not_yet_due(
    leaver_world, nursery, other_child
):
    w = leaver_world
    run = sweep_on(date(2029, 7, 10), nursery)  # 3 years after 1 June 2026, 2 years after Leo left

    # Registers and the care log: 3 years after their day. The last stay (16 July 2026) is not due yet.
    assert not exists(w["early_stay"])
    assert exists(w["last_stay"])
    assert not exists(w["nappy"])
    # The learning story: a year after leaving. Leo's own entry goes; the group entry stays for Zara,
    # without Leo, his comment or the photo showing him; Zara's own photo stays.
    assert not exists(w["solo"])
    assert not exists(w["solo_photo"])
    assert list(w["group"].children.all()) == [other_child]
    assert not exists(w["group_photo"])
    assert exists(w["zara_photo"])
    assert not Comment.objects.filter(child=w["leo"]).exists()
    # Kept until Leo is 21 years 3 months, or 25: not due; nor the record history (6 years), nor his record (3 years).
    assert exists(w["incident"])
    assert exists(w["note"])
    assert exists(w["audit"])
    assert exists(w["leo"])
    assert Guardianship.objects.filter(child=w["leo"]).exists()
    assert counts_of(run) == {"attendance": 1, "care_log": 1, "story": 2}


def test_running_the_sweep_again_removes_nothing_more(leaver_world, nursery):
    sweep_on(date(2029, 7, 10), nursery)
    again = sweep_on(date(2029, 7, 10), nursery)
    assert counts_of(again) == {}


def test_the_preview_counts_exactly_what_the_run_then_removes(leaver_world, nursery):
    with time_machine.travel(at(2029, 8, 1, 2), tick=False):
        preview = next_run(nursery)
        run = services.sweep(nursery_id=nursery.pk)
    assert {row.kind.code: row.total for row in preview.kinds if row.total} | {
        "family_account": preview.family_accounts
    } == counts_of(run)
    assert counts_of(run) == {"attendance": 2, "care_log": 1, "story": 2, "child_record": 1, "family_account": 1}
    assert [(child.first_name, {kind.code: n for kind, n in kinds}) for child, kinds in preview.child_rows()] == [
        ("Leo", {"attendance": 2, "care_log": 1, "story": 2, "child_record": 1})
    ]


def test_a_childs_family_details_go_after_three_years_while_the_incident_keeps_his_name(leaver_world, nursery):
    w = leaver_world
    sweep_on(date(2029, 8, 1), nursery)
    assert exists(w["leo"])
    assert exists(w["incident"])
    assert exists(w["consent"])
    assert not Guardianship.objects.filter(child=w["leo"]).exists()
    w["parent"].refresh_from_db()  # Leo was Kim's only child here: the account is closed
    assert w["parent"].full_name == "Former family member"
    assert not w["parent"].is_active


def test_a_child_is_removed_altogether_once_nothing_kept_for_longer_remains(leaver_world, nursery):
    w = leaver_world
    sweep_on(date(2047, 8, 2), nursery)  # Leo is 25: the note and incident are due too
    assert not Child.objects.filter(pk=w["leo"].pk).exists()
    assert not Incident.objects.filter(pk=w["incident"].pk).exists()
    assert not Consent.objects.filter(pk=w["consent"].pk).exists()


def test_a_held_childs_records_are_kept_whatever_the_schedule_says(leaver_world, nursery, manager, login):
    w = leaver_world
    response = login(manager).post(reverse("retention:holds"), {"child": w["leo"].pk, "reason": "Insurance claim"})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.reason, hold.placed_by, hold.released_at) == ("Insurance claim", manager, None)

    run = sweep_on(date(2047, 8, 2), nursery)
    assert counts_of(run) == {}
    for name in ("early_stay", "nappy", "incident", "note", "solo", "solo_photo", "group_photo", "audit"):
        assert exists(w[name]), name
    assert next_run(nursery).total == 0

    login(manager).post(reverse("retention:release_hold", args=[hold.pk]))
    assert sweep_on(date(2047, 8, 2), nursery).counts.exists()


def test_a_manager_may_keep_registers_longer_and_the_sweep_follows(leaver_world, nursery, manager, login):
    data = {kind: str(months) for kind, months in services.periods(nursery).items()} | {"attendance": "48"}
    response = login(manager).post(reverse("retention:schedule"), data)
    assert response.status_code == 302
    assert RetentionPeriod.objects.get(nursery=nursery, kind="attendance").months == 48

    sweep_on(date(2029, 7, 10), nursery)
    assert exists(leaver_world["early_stay"])


def test_a_period_shorter_than_the_minimum_is_refused_naming_where_it_comes_from(nursery, manager, login):
    data = {kind: str(months) for kind, months in services.periods(nursery).items()} | {"incidents": "24"}
    response = login(manager).post(reverse("retention:schedule"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "sets at least 255 months (21 years 3 months) for accidents and incidents" in page
    assert "Limitation Act 1980" in page
    assert not RetentionPeriod.objects.exists()
    with pytest.raises(services.ValidationError, match="21 years 3 months"):
        services.set_period(nursery=nursery, kind_code="incidents", months=24, by=manager)
    with pytest.raises(services.ValidationError, match="3 years"):
        services.set_period(nursery=nursery, kind_code="attendance", months=35, by=manager)


def test_incident_records_are_guidance_not_law_and_say_so():
    incidents = services.BY_CODE["incidents"]
    assert incidents.basis == "Recognised practice (no period in law)"
    assert "Guidance, not a period set by law" in incidents.source
    assert "RIDDOR" in incidents.source
    assert all(kind.basis != "Law" for kind in services.KINDS)  # no default here is a period set by statute


def test_a_nursery_may_keep_incidents_longer_and_the_sweep_follows(leaver_world, nursery, manager):
    incident = leaver_world["incident"]  # Leo was born on 1 May 2022: 21 years 3 months on 1 August 2043
    services.set_period(nursery=nursery, kind_code="incidents", months=25 * 12, by=manager)

    sweep_on(date(2043, 8, 2), nursery)
    assert exists(incident)
    sweep_on(date(2047, 5, 2), nursery)
    assert not exists(incident)


def test_incidents_go_at_21_years_3_months_by_default(leaver_world, nursery):
    incident = leaver_world["incident"]
    sweep_on(date(2043, 8, 1), nursery)
    assert exists(incident)
    sweep_on(date(2043, 8, 2), nursery)
    assert not exists(incident)


def test_a_period_the_law_does_not_set_may_be_shortened(nursery, manager):
    services.set_period(nursery=nursery, kind_code="story", months=6, by=manager)
    assert services.periods(nursery)["story"] == 6


def test_the_schedule_page_shows_each_kind_its_minimum_and_its_source(nursery, manager, login):
    page = login(manager).get(reverse("retention:schedule")).content.decode()
    assert "Accidents and incidents" in page
    assert "Limitation Act 1980" in page
    assert "Policy, not law" in page
    assert "No minimum in law" in page


def test_the_removal_log_shows_counts_and_never_content(leaver_world, nursery, manager, login):
    sweep_on(date(2029, 8, 1), nursery)
    page = login(manager).get(reverse("retention:log")).content.decode()
    assert "Registers and attendance: 2 removed" in page
    for content in ("Leo", "Marsh", "tall tower", "Den building", "Fell off", "Lovely"):
        assert content not in page


def test_the_next_run_page_names_children_and_counts_without_content(leaver_world, nursery, manager, login):
    with time_machine.travel(at(2029, 7, 10), tick=False):
        page = login(manager).get(reverse("retention:next_run")).content.decode()
    assert "Leo Marsh" in page
    assert "registers and attendance 1" in page
    assert "tall tower" not in page
    assert "Fell off" not in page


def test_erasing_a_parent_anonymises_them_and_keeps_the_incident_acknowledgement(leaver_world, nursery, manager, login):
    w = leaver_world
    parent = w["parent"]
    client = login(manager)
    page = client.get(reverse("retention:erase_family_member", args=[parent.pk])).content.decode()
    assert "What is kept, and why" in page
    assert "Acknowledgements of accidents and incidents" in page

    response = client.post(reverse("retention:erase_family_member", args=[parent.pk]), {"confirm": "erase"})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.full_name == "Former family member"
    assert parent.phone == ""
    assert parent.email.endswith("@erased.invalid")
    assert not parent.is_active
    assert not parent.has_usable_password()
    assert not Guardianship.objects.filter(user=parent).exists()
    assert not Comment.objects.filter(author=parent).exists()
    incident = Incident.objects.get(pk=w["incident"].pk)
    assert incident.acknowledged_by == parent
    assert incident.acknowledged_at is not None
    assert Consent.objects.get(pk=w["consent"].pk).recorded_by == parent  # the decision kept, the person anonymised
    assert ConfidentialNote.objects.filter(pk=w["note"].pk).exists()
    run = RemovalRun.objects.get(reason="erasure")
    assert {line.kind: line.count for line in run.counts.all()} == {
        "family_links": 1,
        "story_comments": 1,
        "family_account": 1,
    }


def test_erasure_needs_the_confirmation_box(leaver_world, manager, login):
    parent = leaver_world["parent"]
    response = login(manager).post(reverse("retention:erase_family_member", args=[parent.pk]), {})
    assert "Tick the box" in response.content.decode()
    parent.refresh_from_db()
    assert parent.full_name == "Kim Marsh"


def test_a_family_member_of_a_child_on_legal_hold_is_not_erased_and_the_page_says_why(
    leaver_world, nursery, manager, login
):
    parent = leaver_world["parent"]
    services.place_hold(nursery=nursery, child=leaver_world["leo"], reason="Insurance claim", by=manager)
    client = login(manager)
    url = reverse("retention:erase_family_member", args=[parent.pk])
    reason = "Leo is on legal hold: nothing about a held child is removed, this family member&#x27;s account included."

    page = client.get(url).content.decode()
    response = client.post(url, {"confirm": "erase"})

    assert reason in page
    assert "Erase the account</button>" not in page
    assert response.status_code == 200
    assert reason in response.content.decode()
    parent.refresh_from_db()
    assert parent.full_name == "Kim Marsh"
    assert parent.is_active
    assert Guardianship.objects.filter(user=parent).exists()
    assert Comment.objects.filter(author=parent).exists()
    assert not RemovalRun.objects.filter(reason="erasure").exists()
    with pytest.raises(ValidationError, match="on legal hold"):
        services.erase_family_member(nursery=nursery, member=parent, by=manager)


def test_a_released_hold_no_longer_stops_erasure(leaver_world, nursery, manager):
    hold = services.place_hold(nursery=nursery, child=leaver_world["leo"], reason="Insurance claim", by=manager)
    services.release_hold(hold=hold, by=manager)

    services.erase_family_member(nursery=nursery, member=leaver_world["parent"], by=manager)

    assert not Guardianship.objects.filter(user=leaver_world["parent"]).exists()


def test_another_nurserys_manager_gets_404(leaver_world, nursery, manager, other_manager, login):
    hold = services.place_hold(nursery=nursery, child=leaver_world["leo"], reason="Claim", by=manager)
    client = login(other_manager)
    assert client.get(reverse("retention:erase_family_member", args=[leaver_world["parent"].pk])).status_code == 404
    assert client.post(reverse("retention:erase_family_member", args=[leaver_world["parent"].pk])).status_code == 404
    assert client.post(reverse("retention:release_hold", args=[hold.pk])).status_code == 404
    assert LegalHold.objects.get().released_at is None
    # Nor can they put another nursery's child on hold.
    response = client.post(reverse("retention:holds"), {"child": leaver_world["leo"].pk, "reason": "x"})
    assert response.status_code == 200
    assert LegalHold.objects.count() == 1


def test_a_former_member_of_staff_is_anonymised_six_years_after_leaving(nursery, room):
    with time_machine.travel(at(2026, 6, 10), tick=False):
        post = StaffMemberFactory(
            nursery=nursery,
            room=room,
            user__full_name="Pat Leaver",
            starts_on=date(2020, 1, 6),
            leaves_on=date(2026, 7, 31),
        )
    assert counts_of(sweep_on(date(2032, 7, 31), nursery)) == {}
    run = sweep_on(date(2032, 8, 1), nursery)
    assert counts_of(run) == {"staff": 1}
    assert RemovalCount.objects.get(run=run).action == "anonymised"
    post.user.refresh_from_db()
    assert post.user.full_name == "Former member of staff"
    assert post.user.email.endswith("@erased.invalid")
    assert not post.user.is_active


def test_sent_emails_lose_their_address_after_a_month_and_keep_their_key(nursery):
    with time_machine.travel(at(2026, 6, 10), tick=False):
        sent = OutgoingMail.objects.create(
            key="feedback:1:2",
            kind="Feedback",
            nursery_id=nursery.pk,
            to="kim@example.org",
            subject="Leo's day",
            body="",
            status=OutgoingMail.Status.SENT,
        )
        waiting = OutgoingMail.objects.create(
            key="feedback:1:3",
            kind="Feedback",
            nursery_id=nursery.pk,
            to="kim@example.org",
            subject="Leo's day",
            body="Hello",
        )
    sweep_on(date(2026, 7, 12), nursery)
    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.to, sent.subject, sent.key) == ("", "", "feedback:1:2")
    assert waiting.to == "kim@example.org"


def test_the_nightly_sweep_is_on_the_beat_schedule_and_runs_every_nursery(leaver_world, nursery, other_nursery):
    assert any(entry["task"] == "retention.tasks.sweep_retention" for entry in settings.CELERY_BEAT_SCHEDULE.values())
    with time_machine.travel(at(2029, 7, 10, 2), tick=False):
        assert sweep_retention.apply().result == 4
    assert RemovalRun.objects.filter(nursery=other_nursery).exists()  # when it last ran, though nothing was due


def test_runs_that_remove_nothing_do_not_fill_the_log(nursery):
    for day in (1, 2, 3):
        sweep_on(date(2026, 7, day), nursery)
    assert RemovalRun.objects.filter(nursery=nursery).count() == 1


def test_with_the_clock_moved_forward_the_nightly_sweep_removes_what_the_schedule_says_and_keeps_the_held_child(
    leaver_world, nursery, room, manager
):
    with time_machine.travel(at(2026, 6, 10), tick=False):
        ben = ChildFactory(
            nursery=nursery, room=room, first_name="Ben", date_of_birth=date(2022, 5, 1), leave_date=date(2026, 7, 17)
        )
        bens = [
            AttendanceFactory(child=ben, day=date(2026, 6, 1), signed_in_at=at(2026, 6, 1, 9)),
            CareEntryFactory(child=ben, day=date(2026, 6, 1), at=at(2026, 6, 1)),
            IncidentFactory(child=ben, day=date(2026, 6, 1), happened_at=at(2026, 6, 1)),
            ObservationFactory(nursery=nursery, children=[ben], text="Ben's tower."),
            GuardianshipFactory(child=ben),
            ready_export(child=ben, requested_by=manager),
        ]
        services.place_hold(nursery=nursery, child=ben, reason="Insurance claim", by=manager)

    with time_machine.travel(at(2029, 8, 1, 2), tick=False):
        expected = {row.kind.code: row.total for row in next_run(nursery).kinds if row.total}
        sweep_retention.apply()

    run = RemovalRun.objects.get(nursery=nursery, reason="schedule")
    assert counts_of(run) == expected | {"family_account": 1}
    assert expected == {"attendance": 2, "care_log": 1, "story": 2, "child_record": 1}
    assert not exists(leaver_world["early_stay"])
    assert not Guardianship.objects.filter(child=leaver_world["leo"]).exists()
    for record in [ben, *bens]:
        assert exists(record), record


def test_the_whole_install_sweep_removes_expired_sessions_old_sign_ins_unused_invitations_and_old_downloads(
    nursery, child, manager, django_capture_on_commit_callbacks
):

    now = at(2027, 3, 10, 2)
    with time_machine.travel(at(2026, 6, 10), tick=False):
        old_export = ready_export(child=child, requested_by=manager)
        old_login = AccessLog.objects.create(username="a@example.org", ip_address="127.0.0.1", user_agent="x")
        old_attempt = AccessAttempt.objects.create(
            username="b@example.org", ip_address="127.0.0.1", failures_since_start=1
        )
    with time_machine.travel(at(2027, 3, 1), tick=False):
        new_export = ready_export(child=child, requested_by=manager)
        new_login = AccessLog.objects.create(username="a@example.org", ip_address="127.0.0.1", user_agent="x")
    unused = InvitationFactory(expires_at=at(2026, 11, 1))
    for_the_held_child = InvitationFactory(expires_at=at(2026, 11, 1))
    GuardianInvitation.objects.create(invitation=for_the_held_child, child=child, relationship="mother")
    recently_expired = InvitationFactory(expires_at=at(2027, 2, 1))
    accepted = InvitationFactory(expires_at=at(2026, 11, 1), accepted_at=at(2026, 10, 30))
    expired_session = Session.objects.create(session_key="a" * 32, session_data="", expire_date=at(2027, 3, 9))
    live_session = Session.objects.create(session_key="b" * 32, session_data="", expire_date=at(2027, 3, 10, 14))
    file_name = old_export.file.name
    held_child = ChildFactory(nursery=nursery)
    services.place_hold(nursery=nursery, child=held_child, reason="Claim", by=manager)
    GuardianInvitation.objects.filter(invitation=for_the_held_child).update(child=held_child)

    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.sweep_all()

    assert not exists(old_export)
    assert not old_export.file.storage.exists(file_name)
    assert exists(new_export)
    assert not exists(old_login)
    assert not exists(old_attempt)
    assert exists(new_login)
    assert not exists(unused)
    assert exists(for_the_held_child)
    assert exists(recently_expired)
    assert exists(accepted)
    assert not Session.objects.filter(pk=expired_session.pk).exists()
    assert Session.objects.filter(pk=live_session.pk).exists()
    site = RemovalRun.objects.get(nursery=None, reason="schedule")
    assert counts_of(site) == {"sessions": 1, "sign_in_log": 2, "invitations": 1}
    assert counts_of(RemovalRun.objects.get(nursery=nursery)) == {"subject_access": 1}


def test_second_factors_are_covered_only_when_django_otp_is_installed():

    second_factor = services.BY_CODE["second_factor"]
    assert bool(second_factor.parts) == apps.is_installed("django_otp")
    assert second_factor.describe(0) == "as soon as the account is closed"


def test_releasing_a_hold_twice_writes_one_line_in_the_record_history(leaver_world, nursery, manager):
    hold = services.place_hold(nursery=nursery, child=leaver_world["leo"], reason="Claim", by=manager)
    services.release_hold(hold=hold, by=manager)
    services.release_hold(hold=LegalHold.objects.get(pk=hold.pk), by=manager)
    assert leaver_world["leo"].audit_events.filter(what="Legal hold released").count() == 1
    assert LegalHold.objects.get(pk=hold.pk).released_by == manager


@pytest.fixture
def kim_at_two_nurseries(leaver_world, nursery, other_nursery, practitioner_post):
    """Kim (Leo's parent here) also has Mia at another nursery, with notices from both."""

    kim = leaver_world["parent"]
    mia = ChildFactory(nursery=other_nursery, first_name="Mia")
    GuardianshipFactory(child=mia, user=kim)
    there = StaffMemberFactory(nursery=other_nursery)
    notices = {}
    for where, child, key_person in ((nursery, leaver_world["leo"], practitioner_post), (other_nursery, mia, there)):
        entry = ObservationFactory(nursery=where, children=[child])
        meeting = Consultation.objects.create(child=child, key_person=key_person, requested_by=kim)
        notices[where.pk] = (
            EntryNotice.objects.create(recipient=kim, observation=entry, child=child),
            ConsultationNotice.objects.create(consultation=meeting, recipient=kim, kind="booked", event="slot:1"),
        )
    return {"kim": kim, "mia": mia, "notices": notices}


def test_erasing_a_parent_here_keeps_their_other_nurserys_links_and_notices(
    kim_at_two_nurseries, nursery, other_nursery, manager
):
    kim = kim_at_two_nurseries["kim"]

    services.erase_family_member(nursery=nursery, member=kim, by=manager)

    kim.refresh_from_db()
    assert kim.is_active
    assert kim.full_name == "Kim Marsh"
    assert list(Guardianship.objects.filter(user=kim).values_list("child", flat=True)) == [
        kim_at_two_nurseries["mia"].pk
    ]
    for notice in kim_at_two_nurseries["notices"][nursery.pk]:
        assert not exists(notice)
    for notice in kim_at_two_nurseries["notices"][other_nursery.pk]:
        assert exists(notice)


def test_closing_an_account_keeps_another_nurserys_invitation_and_e_mails_to_that_address(
    leaver_world, nursery, other_nursery, manager
):

    kim = leaver_world["parent"]
    elsewhere = InvitationFactory(email=kim.email)
    GuardianInvitation.objects.create(
        invitation=elsewhere, child=ChildFactory(nursery=other_nursery), relationship="mother"
    )
    here = InvitationFactory(email=kim.email)
    GuardianInvitation.objects.create(invitation=here, child=leaver_world["leo"], relationship="mother")
    mails = {
        where.pk: OutgoingMail.objects.create(
            key=f"news:{where.pk}", kind="News", nursery_id=where.pk, to=kim.email, recipient=kim, subject="Hi"
        )
        for where in (nursery, other_nursery)
    }

    services.erase_family_member(nursery=nursery, member=kim, by=manager)

    kim.refresh_from_db()
    assert not kim.is_active
    assert not exists(here)
    assert exists(elsewhere)
    mails[nursery.pk].refresh_from_db()
    mails[other_nursery.pk].refresh_from_db()
    assert mails[nursery.pk].to == ""
    assert mails[other_nursery.pk].subject == "Hi"


def test_the_sweep_removes_a_leavers_clips_with_their_files_and_keeps_a_friends(
    leaver_world, nursery, other_child, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from learning_stories.models import ObservationClip

    w = leaver_world
    clips = {}
    for name, entry, children in (
        ("solo", w["solo"], [w["leo"]]),
        ("group", w["group"], [w["leo"], other_child]),
        ("zara", w["group"], [other_child]),
    ):
        clip = ObservationClip.objects.create(observation=entry, kind="video", children_chosen=True)
        clip.media.save("clip.mp4", ContentFile(b"film"), save=False)
        clip.poster.save("poster.jpg", ContentFile(b"frame"), save=True)
        clip.children.set(children)
        clips[name] = clip
    files = {name: (clip.media.name, clip.poster.name) for name, clip in clips.items()}

    with django_capture_on_commit_callbacks(execute=True):
        sweep_on(date(2029, 7, 10), nursery)

    assert not exists(clips["solo"])
    assert not exists(clips["group"])  # Leo is in it, and nobody held
    assert exists(clips["zara"])
    for name in ("solo", "group"):
        assert not any(default_storage.exists(file) for file in files[name])
    assert all(default_storage.exists(file) for file in files["zara"])
