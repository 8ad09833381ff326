"""Sharing a leaver pack with the receiving school: only with the family's consent, through an expiring
link that works without an account, each download logged; a link that no longer works says so kindly."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from children.models import ChildAuditEvent, ConsentPurpose
from children.tests.factories import consent
from core.models import OutgoingMail
from core.outbox import mail_status, send_mail_now
from core.tasks import send_due_mail, send_outgoing_mail
from transitions.models import LeaverPack, SchoolDownload, SchoolShareLink
from transitions.school_links import services
from transitions.tests.factories import LeaverPackFactory
from transitions.tests.packs import ready_pack

pytestmark = pytest.mark.django_db
SHARE = ConsentPurpose.SHARE_WITH_SCHOOL


@pytest.fixture
def pack(child):
    consent(child, SHARE)
    return ready_pack(child)


@pytest.fixture
def link(pack, manager):
    made, _ = services.create_school_link(pack=pack, school="St Mary's Primary", email="", by=manager)
    return made


def page(link: SchoolShareLink) -> str:
    return reverse("transitions:school_page", args=[link.token])


def download(link: SchoolShareLink, client: Client | None = None):
    return (client or Client()).post(
        reverse("transitions:school_download", args=[link.token]),
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="SchoolBrowser/1.0",
    )


def share(client, child, pack, **fields):
    data = {"pack": pack.pk, "school": "St Mary's Primary", "email": "office@stmarys.example", "days": 30, **fields}
    return client.post(reverse("transitions:school_links", args=[child.pk]), data, follow=True)


# --- Making the link --------------------------------------------------------------------------------


def test_a_manager_shares_a_ready_pack_and_the_school_is_emailed_once(
    login, manager, child, pack, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = share(login(manager), child, pack)

    link = SchoolShareLink.objects.get()
    assert "on its way to office@stmarys.example" in response.content.decode()
    assert (link.pack, link.school, link.created_by) == (pack, "St Mary's Primary", manager)
    assert link.expires_at.date() == (timezone.now() + timedelta(days=30)).date()
    assert [m.to for m in mail.outbox] == [["office@stmarys.example"]]
    assert link.token in mail.outbox[0].body
    assert child.audit_events.filter(action=ChildAuditEvent.Action.SHARED).exists()
    send_outgoing_mail.delay(OutgoingMail.objects.get(key=f"school-link:{link.pk}").pk)  # a retried task
    send_due_mail.delay()
    assert len(mail.outbox) == 1
    page = login(manager).get(reverse("transitions:school_links", args=[child.pk]))
    assert "E-mailed to office@stmarys.example" in page.content.decode()


def test_the_page_says_the_link_is_being_emailed_until_it_has_gone(login, manager, child, pack):
    services.create_school_link(pack=pack, school="St Mary's", email="office@stmarys.example", by=manager)

    page = login(manager).get(reverse("transitions:school_links", args=[child.pk]))

    assert "Being e-mailed to office@stmarys.example" in page.content.decode()


def test_the_link_lasts_as_long_as_the_setting_says_by_default(settings, manager, pack):
    settings.SCHOOL_LINK_VALID_DAYS = 10
    link, _ = services.create_school_link(pack=pack, school="St Mary's", email="", by=manager)
    assert link.expires_at.date() == (timezone.now() + timedelta(days=10)).date()


def test_without_the_familys_consent_there_is_no_share_button_and_the_service_refuses(login, manager, child):
    pack = ready_pack(child)

    response = login(manager).get(reverse("transitions:school_links", args=[child.pk]))

    assert "has not agreed to sharing with the receiving school" in response.content.decode()
    assert "Make the link" not in response.content.decode()
    with pytest.raises(ValidationError, match="has not agreed"):
        services.create_school_link(pack=pack, school="St Mary's", email="", by=manager)
    assert share(login(manager), child, pack).status_code == 403
    assert not SchoolShareLink.objects.exists()


def test_a_withdrawn_consent_also_refuses_a_new_link(manager, child):
    consent(child, SHARE)
    consent(child, SHARE, granted=False)
    with pytest.raises(ValidationError):
        services.create_school_link(pack=ready_pack(child), school="St Mary's", email="", by=manager)


def test_a_pack_still_being_built_cannot_be_shared(manager, child):
    consent(child, SHARE)
    pack = LeaverPackFactory(child=child, status=LeaverPack.Status.BUILDING)
    with pytest.raises(ValidationError, match="not ready"):
        services.create_school_link(pack=pack, school="St Mary's", email="", by=manager)


@pytest.mark.django_db(transaction=True)
def test_sharing_while_the_broker_is_down_keeps_the_link_and_the_sweep_emails_it(login, manager, child, broker_down):
    from conftest import use_broker

    consent(child, SHARE)
    response = share(login(manager), child, ready_pack(child))

    assert "will be sent automatically" in response.content.decode()
    waiting = mail_status(key=f"school-link:{SchoolShareLink.objects.get().pk}")
    assert (waiting.status, waiting.attempts) == (OutgoingMail.Status.PENDING, 0)
    use_broker("memory://", eager=True)  # the broker is back
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        send_due_mail.delay()
        send_due_mail.delay()
    assert [m.to for m in mail.outbox] == [["office@stmarys.example"]]


def test_the_email_is_not_sent_if_consent_was_withdrawn_before_it_went(manager, pack, child):
    link, _ = services.create_school_link(pack=pack, school="St Mary's", email="office@stmarys.example", by=manager)
    consent(child, SHARE, granted=False)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        send_due_mail.delay()
    send_mail_now(mail_id=mail_status(key=f"school-link:{link.pk}").pk)  # the task queued with the link
    assert mail_status(key=f"school-link:{link.pk}").status == OutgoingMail.Status.CANCELLED
    assert mail.outbox == []


def test_a_link_revoked_before_its_email_went_is_not_emailed(manager, pack):
    link, _ = services.create_school_link(pack=pack, school="St Mary's", email="office@stmarys.example", by=manager)
    services.revoke_school_link(link=link, by=manager)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        send_due_mail.delay()
    assert mail.outbox == []


def test_a_mail_server_fault_is_recorded_and_the_sweep_sends_the_link_later(
    manager, pack, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        link, _ = services.create_school_link(pack=pack, school="St Mary's", email="office@stmarys.example", by=manager)
    monkeypatch.undo()
    held = mail_status(key=f"school-link:{link.pk}")
    assert (held.status, held.attempts) == (OutgoingMail.Status.PENDING, 1)
    assert "mail server down" in held.last_error

    with time_machine.travel(held.retry_after + timedelta(seconds=1)):
        send_due_mail.delay()
        send_due_mail.delay()
    assert [m.to for m in mail.outbox] == [["office@stmarys.example"]]


# --- The school's page and download -----------------------------------------------------------------


def test_the_school_opens_the_link_without_an_account_and_sees_the_child_and_nursery(link):
    response = Client().get(page(link))

    assert response.status_code == 200
    assert "Ava Taylor" in response.content.decode()
    assert "Rainbow Nursery" in response.content.decode()
    assert not SchoolDownload.objects.exists()  # opening the page is not a download


def test_each_download_is_logged_with_address_and_browser_and_audited(link, child):
    first = download(link)
    download(link)

    assert first.status_code == 200
    assert "Ava Taylor leaver pack.zip" in first["Content-Disposition"]
    assert b"".join(first.streaming_content).startswith(b"PK")
    assert list(link.downloads.values_list("ip_address", "user_agent")) == [("203.0.113.9", "SchoolBrowser/1.0")] * 2
    events = child.audit_events.filter(action=ChildAuditEvent.Action.EXPORTED)
    assert [event.what for event in events] == ["Leaver pack downloaded by St Mary's Primary"] * 2


def test_following_the_download_address_by_get_downloads_nothing(link):
    response = Client().get(reverse("transitions:school_download", args=[link.token]))
    assert response.status_code == 405
    assert not SchoolDownload.objects.exists()


@pytest.mark.parametrize("token", ["forged-token", "x" * 43, "a" * 200])
def test_a_forged_link_answers_a_friendly_404_that_names_nobody(link, token):
    opened = Client().get(f"/transitions/school/{token}/")
    downloaded = Client().post(f"/transitions/school/{token}/download/")
    for response in (opened, downloaded):
        assert response.status_code == 404
        text = response.content.decode()
        assert "We could not find this link" in text
        assert "Ava" not in text
        assert "Rainbow Nursery" not in text
    assert not SchoolDownload.objects.exists()


def test_an_expired_link_answers_410_with_a_clear_page(link):
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()

    for response in (Client().get(page(link)), download(link)):
        assert response.status_code == 410
        assert "This link no longer works" in response.content.decode()
        assert "Ava" not in response.content.decode()
    assert not SchoolDownload.objects.exists()


def test_a_revoked_link_stops_working(login, manager, link):
    response = login(manager).post(reverse("transitions:revoke_school_link", args=[link.pk]), follow=True)

    assert "no longer works" in response.content.decode()
    assert Client().get(page(link)).status_code == 410
    assert download(link).status_code == 410
    assert not SchoolDownload.objects.exists()


def test_withdrawing_consent_after_the_link_was_made_stops_it_at_once(link, child):
    assert Client().get(page(link)).status_code == 200

    consent(child, SHARE, granted=False)

    assert Client().get(page(link)).status_code == 410
    assert download(link).status_code == 410
    assert not SchoolDownload.objects.exists()


def test_an_expired_pack_makes_its_link_stop(link, pack):
    pack.status = LeaverPack.Status.EXPIRED
    pack.save()
    assert Client().get(page(link)).status_code == 410


# --- Who sees what ----------------------------------------------------------------------------------


def test_managers_see_each_links_downloads(login, manager, child, link):
    download(link)
    response = login(manager).get(reverse("transitions:school_links", args=[child.pk]))
    text = response.content.decode()
    assert "St Mary&#x27;s Primary" in text
    assert "Downloaded 1 time" in text
    assert "203.0.113.9" in text
    assert link.token in text


def test_parents_see_that_the_pack_was_shared_and_when_it_was_downloaded(login, parent, child, link):
    download(link)
    when = timezone.localtime(link.downloads.get().at)

    text = login(parent).get(reverse("transitions:school_links", args=[child.pk])).content.decode()
    detail = login(parent).get(reverse("children:detail", args=[child.pk])).content.decode()

    assert "St Mary&#x27;s Primary" in text
    assert f"{when:%-d %b %Y %H:%M}" in text
    assert link.token not in text  # the family is told, not handed the school's link
    assert "203.0.113.9" not in text
    assert "downloaded 1 time" in detail


def test_a_parent_cannot_make_a_link(login, parent, child, pack):
    assert share(login(parent), child, pack).status_code == 403
    assert not SchoolShareLink.objects.exists()


def test_another_nurserys_manager_can_neither_see_nor_revoke_the_links(login, other_manager, child, link):
    client = login(other_manager)
    assert client.get(reverse("transitions:school_links", args=[child.pk])).status_code == 404
    assert client.post(reverse("transitions:revoke_school_link", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_school_its_link_once(login, manager, child, celery_worker):
    from tests.test_queue_faults import wait_for

    consent(child, SHARE)
    share(login(manager), child, ready_pack(child))
    send_outgoing_mail.delay(OutgoingMail.objects.get().pk)  # a retry racing the first send

    assert wait_for(lambda: OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).exists())
    time.sleep(1)  # give the duplicate time to run
    assert [m.to for m in mail.outbox] == [["office@stmarys.example"]]
