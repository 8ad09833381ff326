"""The outbox: every e-mail is queued once, sent once, retried with longer waits, and given up visibly."""

import time
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.core import mail
from django.template import Context, Template
from django.utils import timezone

from core import outbox
from core.models import OutgoingMail
from core.tasks import send_due_mail

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 12, 8, 10, 0))


def queue(key: str = "welcome:1", to: str = "sam@example.org"):
    return outbox.queue_mail(
        key=key,
        kind="Test notice",
        to=to,
        template="core/email/test",
        context={"name": "Sam"},
    )


TEMPLATES = {
    "core/email/test_subject.txt": "Hello\n {{ name }}\n",
    "core/email/test.txt": "Dear {{ name }}, this is a test.\n",
}


@pytest.fixture(autouse=True)
def _test_template(monkeypatch):
    """A subject/body pair of the test's own, rendered by the outbox like any other."""

    def render(name, context):
        return Template(TEMPLATES[name]).render(Context(context))

    monkeypatch.setattr("core.outbox.render_to_string", render)


@pytest.fixture
def mail_server_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)


def test_a_queued_email_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    assert [(m.subject, m.to, m.body) for m in mail.outbox] == [
        ("Hello Sam", ["sam@example.org"], "Dear Sam, this is a test.\n")
    ]
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


def test_queuing_the_same_notice_twice_sends_it_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
        queue()
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.count() == 1


def test_sending_a_sent_email_again_does_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    assert outbox.send_mail_now(mail_id=OutgoingMail.objects.get().pk) is False
    assert len(mail.outbox) == 1


def test_a_mail_server_fault_is_recorded_and_retried_later_with_longer_waits(
    mail_server_down, django_capture_on_commit_callbacks, monkeypatch
):
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            queue()
        row = OutgoingMail.objects.get()
        assert row.status == OutgoingMail.Status.PENDING
        assert row.attempts == 1
        assert "Connection unexpectedly closed" in row.last_error
        assert row.retry_after == NOW + timedelta(minutes=1)
        assert outbox.due_mail_ids() == []
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert send_due_mail() == 1
        assert OutgoingMail.objects.get().retry_after == NOW + timedelta(minutes=1 + 2)
    monkeypatch.undo()  # the mail server is back
    with time_machine.travel(NOW + timedelta(minutes=3), tick=False):
        send_due_mail()
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.SENT
    assert row.last_error == ""
    assert len(mail.outbox) == 1


def test_the_outbox_stops_trying_after_the_last_attempt_until_a_manager_asks_again(
    mail_server_down, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    row = OutgoingMail.objects.get()
    for _ in range(OutgoingMail.MAX_ATTEMPTS - 1):
        outbox.send_mail_now(mail_id=row.pk)
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.FAILED
    assert row.attempts == OutgoingMail.MAX_ATTEMPTS
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert outbox.due_mail_ids() == []
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.try_again(mail=row)
    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.SENT
    assert len(mail.outbox) == 1


def test_an_email_the_broker_never_carried_is_sent_by_the_sweep(broker_down, django_capture_on_commit_callbacks):
    from conftest import use_broker

    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch = queue()
        assert dispatch.queued is False
        assert OutgoingMail.objects.get().attempts == 0
        use_broker("memory://", eager=True)  # the broker is back
        assert send_due_mail() == 0, "just queued: the task may still be on its way"
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert send_due_mail() == 1
    assert len(mail.outbox) == 1


def test_a_cancelled_email_is_never_sent(django_capture_on_commit_callbacks, broker_down):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    assert outbox.cancel_mail(keys=["welcome:1"]) == 1
    assert outbox.send_mail_now(mail_id=OutgoingMail.objects.get().pk) is False
    assert mail.outbox == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_queued_email(celery_worker):
    queue()  # autocommit: the task is sent at once
    for _ in range(100):
        if OutgoingMail.objects.get().status == OutgoingMail.Status.SENT:
            break
        time.sleep(0.1)
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


def test_a_sent_email_keeps_no_copy_of_its_body(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    row = OutgoingMail.objects.get()
    assert row.status == OutgoingMail.Status.SENT
    assert row.body == "", "a set-password or download link must not outlive its e-mail"
    assert row.subject == "Hello Sam", "the manager's record of what went stays"


def test_cancelling_stops_an_email_that_already_failed_so_no_retry_sends_it(
    mail_server_down, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    row = OutgoingMail.objects.get()
    row.status = OutgoingMail.Status.FAILED
    row.save()
    assert outbox.cancel_mail(keys=["welcome:1"]) == 1
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.try_again(mail=row)
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.CANCELLED
    assert mail.outbox == []


def test_a_retry_asked_for_while_the_broker_is_down_is_sent_by_the_sweep(
    mail_server_down, django_capture_on_commit_callbacks, monkeypatch
):
    from conftest import use_broker

    with django_capture_on_commit_callbacks(execute=True):
        queue()
    row = OutgoingMail.objects.get()
    monkeypatch.undo()
    use_broker("redis://127.0.0.1:9/0", eager=False)  # the broker goes down as the manager taps "Try again"
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = outbox.try_again(mail=row)
    assert dispatch.queued is False
    use_broker("memory://", eager=True)
    assert send_due_mail() == 1
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


def test_an_unexpected_error_while_sending_is_recorded_as_an_attempt(monkeypatch, django_capture_on_commit_callbacks):
    def broken(self, *args, **kwargs):
        raise ValueError("bad header")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    row = OutgoingMail.objects.get()
    assert row.attempts == 1
    assert row.last_error == "ValueError: bad header"
