"""End-of-session feedback: sent once per child and session, to the portal and to those who asked by e-mail."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from children.day.models import CareEntry
from children.day.selectors import moment
from children.tests.factories import CareEntryFactory, ChildFactory, GuardianshipFactory, earlier_today
from core import outbox
from core.models import OutgoingMail
from keyworker.feedback import services
from keyworker.models import SessionFeedback
from keyworker.tasks import publish_feedback, sweep_session_feedback
from keyworker.tests.day import all_day_session, attended, lunch
from keyworker.tests.factories import SessionFeedbackFactory
from keyworker.tests.flaky_mail import FlakyBackend
from keyworker.tests.outbox import sweep_outbox
from learning_stories.models import Observation
from learning_stories.tests.factories import ObservationFactory, area
from nursery.tests.factories import NurserySessionFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


@pytest.fixture
def today_session(nursery, child, parent):
    """Ava attended a session today and had lunch; her parent asked for feedback by e-mail."""
    session = all_day_session(nursery)
    attended(child, session, timezone.localdate(), start=earlier_today(60))
    lunch(child, earlier_today(30), amount="most")
    parent.guardianships.update(feedback_by_email=True)
    return session


def send(client, room, session, **notes):
    return client.post(
        reverse("keyworker:room_feedback", args=[room.pk]),
        {"session": session.pk, **{f"note-{pk}": note for pk, note in notes.items()}},
        follow=True,
    )


def test_the_room_page_shows_each_attending_childs_summary_from_the_care_log(login, practitioner, room, today_session):
    page = login(practitioner).get(reverse("keyworker:room_feedback", args=[room.pk])).content.decode()
    assert "Ava Taylor" in page
    assert "Food and drink: lunch (most)." in page
    assert "Key person: Priya Practitioner" in page
    assert "Send feedback" in page


def test_sending_the_rooms_feedback_publishes_it_and_emails_the_parent_who_opted_in(
    login, practitioner, room, child, parent, today_session, django_capture_on_commit_callbacks
):
    no_email = GuardianshipFactory(child=child, user__full_name="Alex Taylor").user
    with django_capture_on_commit_callbacks(execute=True):
        response = send(login(practitioner), room, today_session, **{str(child.pk): "Ava built a tall tower."})

    assert "Feedback sent for 1 child" in response.content.decode()
    feedback = SessionFeedback.objects.get()
    assert (feedback.status, feedback.note, feedback.written_by) == ("sent", "Ava built a tall tower.", practitioner)
    assert [m.to for m in mail.outbox] == [[parent.email]]
    assert "lunch (most)" in mail.outbox[0].body
    assert "Ava built a tall tower." in mail.outbox[0].body
    # A parent who did not ask for e-mail (or has none that works) still reads it in the portal.
    for reader in (parent, no_email):
        home = login(reader).get(reverse("keyworker:my_children")).content.decode()
        assert "Ava built a tall tower." in home


def test_pressing_send_twice_never_sends_feedback_twice(
    login, practitioner, manager, room, today_session, child, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(login(practitioner), room, today_session)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(login(manager), room, today_session, **{str(child.pk): "Late note"})

    assert "already been sent" in response.content.decode()
    assert SessionFeedback.objects.count() == 1
    assert SessionFeedback.objects.get().note == ""
    assert len(mail.outbox) == 1


def test_the_summary_covers_only_the_session_it_is_for(nursery, room, child):
    morning = NurserySessionFactory(nursery=nursery, name="Morning", starts_at=time(8), ends_at=time(13))
    afternoon = NurserySessionFactory(nursery=nursery, name="Afternoon", starts_at=time(13), ends_at=time(18))
    attended(child, morning, MONDAY, start=moment(MONDAY, time(7, 50)), end=moment(MONDAY, time(17)))
    attended(child, afternoon, MONDAY, start=moment(MONDAY, time(7, 50)) + timedelta(days=7))
    CareEntryFactory(
        child=child, kind=CareEntry.Kind.MEAL, meal="breakfast", amount="half", at=moment(MONDAY, time(7, 55))
    )
    CareEntryFactory(
        child=child, kind=CareEntry.Kind.SLEEP, at=moment(MONDAY, time(13, 30)), ends_at=moment(MONDAY, time(14, 15))
    )
    CareEntryFactory(child=child, kind=CareEntry.Kind.NAPPY, condition="wet", at=moment(MONDAY, time(10, 5)))

    from keyworker.feedback.selectors import feedback_rows

    [morning_row] = feedback_rows(room, morning, MONDAY)
    [afternoon_row] = feedback_rows(room, afternoon, MONDAY)
    assert morning_row.summary == "Food and drink: breakfast (half).\nNappies and toilet: nappy wet at 10:05."
    assert afternoon_row.summary == "Sleep: slept 13:30 to 14:15 (45 min)."


def test_the_summary_counts_the_sessions_published_observations_without_their_text(
    room, child, other_child, today_session
):
    from keyworker.feedback.selectors import feedback_rows

    group = ObservationFactory(
        nursery=child.nursery, children=[child, other_child], text="Ava and Zara hid", observed_at=earlier_today(9)
    )
    group.areas.add(area("CL"), area("PD"))
    ObservationFactory(nursery=child.nursery, children=[child], observed_at=earlier_today(10), staff_only=True)
    ObservationFactory(
        nursery=child.nursery, children=[child], observed_at=earlier_today(10), status=Observation.Status.DRAFT
    )

    [row] = feedback_rows(room, today_session, timezone.localdate())

    assert row.summary.splitlines()[-1] == (
        "Learning: 1 new entry in the learning story (Communication and Language and Physical Development)."
    )
    assert "Zara" not in row.summary


# --- The sweep ---------------------------------------------------------------------------------


@pytest.fixture
def monday_morning(nursery, child, parent):
    morning = NurserySessionFactory(nursery=nursery, name="Morning", starts_at=time(8), ends_at=time(13))
    attended(child, morning, MONDAY, start=moment(MONDAY, time(8)), end=moment(MONDAY, time(12, 45)))
    lunch(child, moment(MONDAY, time(11, 45)))
    parent.guardianships.update(feedback_by_email=True)
    return morning


def test_the_sweep_waits_for_the_grace_period_after_a_session_ends(monday_morning):
    ended = moment(MONDAY, monday_morning.ends_at)
    assert services.create_missing_feedback(now=ended + services.FEEDBACK_GRACE - timedelta(minutes=1)) == []
    assert len(services.create_missing_feedback(now=ended + services.FEEDBACK_GRACE)) == 1


def test_the_sweep_writes_feedback_from_the_care_log_once_however_often_it_runs(monday_morning, child, parent):
    later = moment(MONDAY, time(15))
    services.create_missing_feedback(now=later)
    services.create_missing_feedback(now=later)
    for feedback_id in services.unpublished_feedback_ids() * 2:  # a task run twice, as when redelivered
        publish_feedback.delay(feedback_id)
    assert services.unpublished_feedback_ids() == []
    sweep_outbox()
    sweep_outbox()

    feedback = SessionFeedback.objects.get()
    assert (feedback.child, feedback.status, feedback.written_by) == (child, "sent", None)
    assert feedback.summary == "Food and drink: lunch (all)."
    assert [m.to for m in mail.outbox] == [[parent.email]]


def test_the_sweep_leaves_alone_feedback_a_person_already_wrote(monday_morning, child, practitioner):
    SessionFeedbackFactory(child=child, session=monday_morning, day=MONDAY, note="Lovely day", written_by=practitioner)
    assert services.create_missing_feedback(now=moment(MONDAY, time(15))) == []


# --- Faults: the broker, the mail server --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_sending_while_the_broker_is_down_saves_the_feedback_tells_the_user_and_the_sweep_sends_it(
    login, practitioner, room, child, parent, today_session, broker_down
):
    from conftest import use_broker

    response = send(login(practitioner), room, today_session, **{str(child.pk): "Painted a rainbow"})

    assert "will be sent automatically" in response.content.decode()
    feedback = SessionFeedback.objects.get()
    assert (feedback.status, feedback.note) == ("ready", "Painted a rainbow")
    assert mail.outbox == []
    assert "Painted a rainbow" not in login(parent).get(reverse("keyworker:my_children")).content.decode()

    use_broker("memory://", eager=True)  # the broker is back
    sweep_session_feedback.delay()

    feedback.refresh_from_db()
    assert feedback.status == "sent"
    assert [m.to for m in mail.outbox] == [[parent.email]]


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "keyworker.tests.flaky_mail.FlakyBackend"
    FlakyBackend.failures_left = 1
    yield
    FlakyBackend.failures_left = 0


def test_a_failed_email_is_recorded_and_retried_with_backoff_then_sent_once(
    monday_morning, parent, flaky_mail, django_capture_on_commit_callbacks
):
    [feedback_id] = services.create_missing_feedback(now=moment(MONDAY, time(15)))
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_feedback.delay(feedback_id).get() is True

    email = OutgoingMail.objects.get()
    assert (email.key, email.kind, email.attempts, email.sent_at) == (
        f"feedback:{feedback_id}:{parent.pk}",
        "End-of-session feedback",
        1,
        None,
    )
    assert "SMTPServerDisconnected" in email.last_error
    assert SessionFeedback.objects.get().status == "sent"  # the portal does not wait for the e-mail
    assert email.retry_after > email.last_attempt_at  # a wait before the retry

    assert sweep_outbox() == 1  # the retry, once the wait is over
    assert sweep_outbox() == 0  # and a later sweep finds nothing left to send
    email.refresh_from_db()
    assert (email.attempts, email.last_error) == (2, "")
    assert [m.to for m in mail.outbox] == [[parent.email]]


def test_without_a_worker_a_failed_email_waits_for_the_sweep(
    monday_morning, parent, flaky_mail, django_capture_on_commit_callbacks
):
    [feedback_id] = services.create_missing_feedback(now=moment(MONDAY, time(15)))
    with django_capture_on_commit_callbacks(execute=True):
        publish_feedback.delay(feedback_id)  # in-process: the fault is recorded, not raised in the web request
    assert outbox.due_mail_ids() == []  # not yet: the sweep gives it time

    sweep_outbox()
    assert [m.to for m in mail.outbox] == [[parent.email]]


def test_the_sweep_sends_an_email_that_was_never_tried_because_the_worker_stopped(monday_morning, parent):
    [feedback_id] = services.create_missing_feedback(now=moment(MONDAY, time(15)))
    services.publish_feedback(feedback_id=feedback_id)  # and then the worker was killed before sending
    assert sweep_outbox(after=timedelta(0)) == 0  # just queued: its task may still be on its way

    assert sweep_outbox() == 1
    assert [m.to for m in mail.outbox] == [[parent.email]]


def publish_by_email(child, email: str, **feedback) -> SessionFeedback:
    """Feedback for ``child`` published to a family member who asked for it by e-mail."""
    GuardianshipFactory(child=child, user__email=email, feedback_by_email=True)
    feedback = SessionFeedbackFactory(child=child, status="ready", sent_at=None, **feedback)
    services.publish_feedback(feedback_id=feedback.pk)
    return feedback


def test_the_manager_sees_failed_deliveries_of_their_own_nursery_only(
    login, manager, other_manager, child, flaky_mail, django_capture_on_commit_callbacks
):
    FlakyBackend.failures_left = 2
    with django_capture_on_commit_callbacks(execute=True):
        publish_by_email(child, "sam@example.org")
        publish_by_email(ChildFactory(), "elsewhere@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        publish_by_email(ChildFactory(nursery=child.nursery), "delivered@example.org", day=MONDAY)

    client = login(manager)
    feedback_page = client.get(reverse("keyworker:room_feedback", args=[child.room_id])).content.decode()
    assert reverse("nursery:undelivered_mail") in feedback_page
    page = client.get(reverse("nursery:undelivered_mail")).content.decode()
    assert "sam@example.org" in page
    assert "End-of-session feedback" in page
    assert "Connection unexpectedly closed" in page
    assert "delivered@example.org" not in page
    assert "elsewhere@example.org" not in page
    assert "sam@example.org" not in login(other_manager).get(reverse("nursery:undelivered_mail")).content.decode()


def test_the_manager_can_try_a_failed_email_again(
    login, manager, child, flaky_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_by_email(child, "sam@example.org")
    email = OutgoingMail.objects.get(status=OutgoingMail.Status.PENDING, attempts=1)
    client = login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("nursery:retry_mail", args=[email.pk]))
    email.refresh_from_db()
    assert email.sent_at is not None
    page = client.get(reverse("nursery:undelivered_mail")).content.decode()
    assert "Every e-mail has been delivered" in page


# --- The parent's side --------------------------------------------------------------------------


def test_the_parents_home_shows_todays_care_log_and_refreshes_itself(login, parent, today_session):
    page = login(parent).get(reverse("keyworker:my_children")).content.decode()
    assert "Today at nursery" in page
    assert "Lunch: most" in page
    assert 'data-hx-trigger="every 60s"' in page
    fragment = login(parent).get(reverse("keyworker:family_today")).content.decode()
    assert "Lunch: most" in fragment
    assert "<html" not in fragment


def test_another_family_sees_nothing_of_a_childs_day_or_feedback(login, other_parent, child, today_session):
    SessionFeedbackFactory(child=child, session=today_session, note="Only for Ava's family")
    assert "Lunch" not in login(other_parent).get(reverse("keyworker:family_today")).content.decode()
    assert login(other_parent).get(reverse("keyworker:feedback_history", args=[child.pk])).status_code == 404


def test_a_parent_reads_earlier_feedback_but_not_feedback_still_being_sent(login, parent, child, today_session):
    SessionFeedbackFactory(child=child, session=today_session, day=MONDAY, note="Monday was fun")
    SessionFeedbackFactory(child=child, session=today_session, note="Not sent yet", status="ready", sent_at=None)
    page = login(parent).get(reverse("keyworker:feedback_history", args=[child.pk])).content.decode()
    assert "Monday was fun" in page
    assert "Not sent yet" not in page


def test_a_parent_turns_feedback_emails_on_and_off(login, parent, child):
    client = login(parent)
    client.post(reverse("keyworker:feedback_email", args=[child.pk]), {"email": "on"})
    assert parent.guardianships.get().feedback_by_email is True
    client.post(reverse("keyworker:feedback_email", args=[child.pk]), {"email": "off"})
    assert parent.guardianships.get().feedback_by_email is False


# --- Speed: a fixed number of queries however many children came --------------------------------


def attend_with_a_day_of_care(count: int, *, nursery, room, session, parent) -> None:
    for _ in range(count):
        child = ChildFactory(nursery=nursery, room=room)
        GuardianshipFactory(child=child, user=parent)
        attended(child, session, timezone.localdate(), start=earlier_today(60))
        lunch(child, earlier_today(30))
        CareEntryFactory(child=child, kind=CareEntry.Kind.SLEEP, at=earlier_today(20), ends_at=None)


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("practitioner", "children:room_care"),
        ("practitioner", "children:room_register"),
        ("practitioner", "keyworker:room_feedback"),
        ("parent", "keyworker:my_children"),
    ],
)
def test_day_pages_run_a_fixed_number_of_queries_however_many_children_came(
    request, login, role, name, nursery, room, parent, today_session
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(request.getfixturevalue(role))
    url = reverse(name, args=[room.pk]) if "room" in name else reverse(name)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    attend_with_a_day_of_care(2, nursery=nursery, room=room, session=today_session, parent=parent)
    few = queries()
    attend_with_a_day_of_care(8, nursery=nursery, room=room, session=today_session, parent=parent)
    assert queries() == few
