"""Asking for a leaver pack, following it, downloading it: permissions, e-mail once, expiry, broker down."""

from datetime import timedelta

import pytest
import time_machine
from billiard.exceptions import WorkerLostError
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from children.models import ChildAuditEvent, Relationship
from children.tests.factories import GuardianshipFactory
from core.models import OutgoingMail
from core.tasks import send_due_mail
from learning_stories.tests.factories import ObservationFactory
from nursery.models import StaffMember
from nursery.tests.factories import StaffMemberFactory
from transitions.leaver_pack import services
from transitions.models import LeaverPack
from transitions.tasks import build_leaver_pack, sweep_leaver_packs

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(nursery, child, practitioner):
    return ObservationFactory(nursery=nursery, author=practitioner, children=[child], text="Ava built a tower.")


def ask(client, child, capture):
    """Ask for the pack, let the job run (in-process), then open the page the request leads to."""
    with capture(execute=True):
        response = client.post(reverse("transitions:request_pack", args=[child.pk]))
    return client.get(response.url) if response.status_code == 302 else response


def test_key_person_asks_for_a_pack_and_is_emailed_once_when_ready(
    login, practitioner, child, entry, django_capture_on_commit_callbacks, settings
):
    response = ask(login(practitioner), child, django_capture_on_commit_callbacks)

    pack = LeaverPack.objects.get()
    assert pack.status == LeaverPack.Status.READY
    assert pack.progress == 100
    assert pack.file.name.startswith("packs/")
    assert pack.expires_at == pack.built_at + timedelta(days=settings.LEAVER_PACK_LINK_DAYS)
    assert [m.to for m in mail.outbox] == [[practitioner.email]]
    assert reverse("transitions:pack", args=[pack.pk]) in mail.outbox[0].body
    assert b"Download Ava's leaver pack" in response.content


def test_a_leavers_family_is_emailed_too(login, manager, parent, child, django_capture_on_commit_callbacks):
    child.leave_date = timezone.localdate()
    child.save()

    ask(login(manager), child, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, parent.email])


def test_the_familys_pack_email_is_a_family_notice_with_its_opt_out_and_staff_mail_has_none(
    login, manager, parent, child, django_capture_on_commit_callbacks
):
    child.leave_date = timezone.localdate()
    child.save()

    ask(login(manager), child, django_capture_on_commit_callbacks)

    headers = {m.to[0]: m.extra_headers for m in mail.outbox}
    assert "/children/e-mails/off/" in headers[parent.email]["List-Unsubscribe"]
    assert headers[parent.email]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe" not in headers[manager.email]
    assert headers[manager.email]["Auto-Submitted"] == "auto-generated"


def test_a_family_who_stopped_news_emails_is_not_emailed_about_the_pack(
    login, manager, parent, child, django_capture_on_commit_callbacks
):
    child.leave_date = timezone.localdate()
    child.save()
    parent.guardianships.update(news_by_email=False)

    ask(login(manager), child, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [[manager.email]]


@pytest.fixture
def grandparent(child):
    """A relative who may read the story but has no parental responsibility."""
    return GuardianshipFactory(
        child=child,
        relationship=Relationship.GRANDPARENT,
        can_view_story=True,
        has_parental_responsibility=False,
        user__email="gran@example.com",
    ).user


def test_a_relative_without_parental_responsibility_is_not_emailed_about_a_leavers_pack(
    login, manager, parent, grandparent, child, django_capture_on_commit_callbacks
):
    child.leave_date = timezone.localdate()
    child.save()

    ask(login(manager), child, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, parent.email])


def test_a_relative_without_parental_responsibility_cannot_ask_for_or_download_the_pack(
    login, manager, grandparent, child, django_capture_on_commit_callbacks
):
    ask(login(manager), child, django_capture_on_commit_callbacks)
    pack = LeaverPack.objects.get()
    client = login(grandparent)

    assert client.get(reverse("transitions:pack", args=[pack.pk])).status_code == 404
    assert client.get(reverse("transitions:download_pack", args=[pack.pk])).status_code == 404
    assert client.post(reverse("transitions:request_pack", args=[child.pk])).status_code == 404


def test_parent_can_ask_for_and_download_their_childs_pack(
    login, parent, child, entry, django_capture_on_commit_callbacks
):
    client = login(parent)
    ask(client, child, django_capture_on_commit_callbacks)
    pack = LeaverPack.objects.get()

    response = client.get(reverse("transitions:download_pack", args=[pack.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="Ava leaver pack')
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert ChildAuditEvent.objects.filter(child=child, actor=parent, what__startswith="Leaver pack downloaded").exists()


@pytest.mark.parametrize("who", ["other_parent", "other_manager", "room_practitioner"])
def test_others_get_404_for_the_pack_and_cannot_ask_for_one(
    who, request, login, nursery, manager, child, django_capture_on_commit_callbacks
):
    if who == "room_practitioner":  # staff who are not the child's key person nor a manager
        user = StaffMemberFactory(nursery=nursery, role=StaffMember.Role.PRACTITIONER).user
    else:
        user = request.getfixturevalue(who)
    ask(login(manager), child, django_capture_on_commit_callbacks)
    pack = LeaverPack.objects.get()
    client = login(user)

    assert client.get(reverse("transitions:pack", args=[pack.pk])).status_code == 404
    assert client.get(reverse("transitions:download_pack", args=[pack.pk])).status_code == 404
    assert client.post(reverse("transitions:request_pack", args=[child.pk])).status_code == 404


def test_asking_again_while_it_is_being_made_gives_the_same_pack(login, manager, child, broker_down):
    client = login(manager)
    first = client.post(reverse("transitions:request_pack", args=[child.pk]))
    second = client.post(reverse("transitions:request_pack", args=[child.pk]), follow=True)

    assert LeaverPack.objects.count() == 1
    assert first.url == reverse("transitions:pack", args=[LeaverPack.objects.get().pk])
    assert b"already being made" in second.content


@pytest.mark.django_db(transaction=True)  # the request commits for real, so the view learns the broker is down
def test_broker_down_saves_the_request_and_the_sweep_starts_it(login, manager, child, entry, broker_down):
    from conftest import use_broker

    response = login(manager).post(reverse("transitions:request_pack", args=[child.pk]), follow=True)
    pack = LeaverPack.objects.get()
    assert pack.status == LeaverPack.Status.QUEUED
    assert b"will start shortly" in response.content

    LeaverPack.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
    assert services.waiting_pack_ids() == [pack.pk]
    use_broker("memory://", eager=True)  # the broker is back
    build_leaver_pack.apply(args=[pack.pk])  # what the sweep sends

    pack.refresh_from_db()
    assert pack.status == LeaverPack.Status.READY
    assert len(mail.outbox) == 1


def test_building_again_never_emails_twice(manager, child, entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = services.request_pack(child=child, user=manager)

    assert services.build_pack(pack_id=pack.pk) is True  # the same message delivered a second time
    assert len(mail.outbox) == 1
    assert LeaverPack.objects.count() == 1


def test_a_build_interrupted_midway_is_finished_by_the_next_delivery_with_one_email(
    manager, child, entry, broker_down, monkeypatch
):
    from conftest import use_broker

    pack, _ = services.request_pack(child=child, user=manager)
    real = services.write_pack_zip

    def killed(*, child, target, progress):
        def dies(percent: int, stage: str) -> None:
            progress(percent, stage)
            if percent >= 80:
                raise WorkerLostError("Worker exited prematurely: signal 9 (SIGKILL).")

        real(child=child, target=target, progress=dies)

    monkeypatch.setattr(services, "write_pack_zip", killed)
    result = build_leaver_pack.apply(args=[pack.pk], throw=False)
    assert isinstance(result.result, WorkerLostError)
    pack.refresh_from_db()
    assert pack.status == LeaverPack.Status.BUILDING  # not failed: the message goes back to the queue
    assert pack.progress >= 80
    assert not OutgoingMail.objects.exists()

    monkeypatch.setattr(services, "write_pack_zip", real)
    build_leaver_pack.apply(args=[pack.pk])
    build_leaver_pack.apply(args=[pack.pk])  # and delivered once more
    use_broker("memory://", eager=True)  # the broker is back for the outbox's sweep
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        send_due_mail.apply()
        send_due_mail.apply()

    pack.refresh_from_db()
    assert pack.status == LeaverPack.Status.READY
    assert len(mail.outbox) == 1


def test_the_build_task_is_redelivered_when_its_worker_is_lost():
    assert build_leaver_pack.acks_late
    assert build_leaver_pack.reject_on_worker_lost


def test_a_build_that_breaks_is_marked_failed_and_can_be_asked_for_again(
    login, manager, child, broker_down, monkeypatch
):
    pack, _ = services.request_pack(child=child, user=manager)

    def broken(**kwargs):
        raise ValueError("bad template")

    monkeypatch.setattr(services, "write_pack_zip", broken)
    result = build_leaver_pack.apply(args=[pack.pk], throw=False)  # as in-process (no Redis) runs it

    assert isinstance(result.result, ValueError)

    pack.refresh_from_db()
    assert pack.status == LeaverPack.Status.FAILED
    page = login(manager).get(reverse("transitions:pack", args=[pack.pk]))
    assert b"something went wrong" in page.content
    assert b"Make the pack again" in page.content


def test_making_a_ready_pack_again_replaces_its_file_in_the_same_row(
    manager, child, entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = services.request_pack(child=child, user=manager)
    pack.refresh_from_db()
    old = pack.file.name

    with django_capture_on_commit_callbacks(execute=True):
        again, _ = services.request_pack(child=child, user=manager)

    again.refresh_from_db()
    assert again.pk == pack.pk
    assert LeaverPack.objects.count() == 1
    assert again.file.name != old
    assert not again.file.storage.exists(old)
    assert len(mail.outbox) == 2  # one per request, never more


def test_progress_part_keeps_polling_while_the_pack_is_made(login, manager, child, broker_down):
    pack, _ = services.request_pack(child=child, user=manager)
    LeaverPack.objects.filter(pk=pack.pk).update(status=LeaverPack.Status.BUILDING, progress=40, stage="Adding photos")

    response = login(manager).get(reverse("transitions:pack", args=[pack.pk]), headers={"HX-Request": "true"})

    assert b'data-hx-trigger="every 2s"' in response.content
    assert b"Adding photos" in response.content
    assert b'value="40"' in response.content
    assert b"<html" not in response.content


def test_an_expired_link_says_so_and_how_to_get_a_new_pack(
    login, parent, child, entry, django_capture_on_commit_callbacks
):
    client = login(parent)
    ask(client, child, django_capture_on_commit_callbacks)
    LeaverPack.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    pack = LeaverPack.objects.get()

    response = client.get(reverse("transitions:download_pack", args=[pack.pk]))

    assert response.status_code == 410
    assert b"This download link has expired" in response.content
    assert b"Make the pack again" in response.content


def test_sweep_deletes_expired_files(manager, child, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = services.request_pack(child=child, user=manager)
    pack.refresh_from_db()
    name = pack.file.name
    LeaverPack.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    sweep_leaver_packs.apply()

    pack.refresh_from_db()
    assert pack.status == LeaverPack.Status.EXPIRED
    assert not pack.file
    assert not pack.file.storage.exists(name)


def test_a_held_up_email_is_sent_by_the_sweep(manager, child, django_capture_on_commit_callbacks, monkeypatch):
    pack, _ = services.request_pack(child=child, user=manager)
    LeaverPack.objects.update(requested_at=timezone.now() - timedelta(minutes=5))

    def mail_down(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", mail_down)
    with django_capture_on_commit_callbacks(execute=True):
        build_leaver_pack.apply(args=[pack.pk], throw=True)  # the mail fault does not fail the build
    monkeypatch.undo()
    pack.refresh_from_db()
    assert pack.status == LeaverPack.Status.READY
    held = OutgoingMail.objects.get(kind="Leaver pack ready")
    assert (held.status, held.attempts) == (OutgoingMail.Status.PENDING, 1)
    assert "mail server down" in held.last_error

    sweep_leaver_packs.apply()  # the pack is built: nothing to start again
    with time_machine.travel(held.retry_after + timedelta(seconds=1)):
        send_due_mail.apply()
        send_due_mail.apply()

    assert len(mail.outbox) == 1
    assert services.waiting_pack_ids() == []


def test_child_page_offers_the_pack_to_the_family(login, parent, child):
    response = login(parent).get(reverse("children:detail", args=[child.pk]))

    assert b"Make the leaver pack" in response.content


def test_child_page_does_not_offer_the_pack_to_other_staff(login, nursery, child):
    user = StaffMemberFactory(nursery=nursery, role=StaffMember.Role.PRACTITIONER).user

    response = login(user).get(reverse("children:detail", args=[child.pk]))

    assert b"Make the leaver pack" not in response.content


def test_a_build_stuck_without_its_worker_for_an_hour_is_started_again_by_the_sweep(child):
    from transitions.tests.factories import LeaverPackFactory

    stuck = LeaverPackFactory(
        child=child, status=LeaverPack.Status.BUILDING, requested_at=timezone.now() - timedelta(hours=2)
    )
    assert services.waiting_pack_ids() == [stuck.pk]
    stuck.requested_at = timezone.now() - timedelta(minutes=10)  # still being made, most likely
    stuck.save()
    assert services.waiting_pack_ids() == []
