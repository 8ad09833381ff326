"""The import pages: a manager uploads a pack, sees what will arrive, confirms, and sees the result."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from children.models import Child
from transitions.imports.services import discard_stale_uploads
from transitions.imports.views import STAGED
from transitions.models import PackImport
from transitions.tests.packs import pack_data, pack_zip
from transitions.tests.test_import import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_uploads_left_waiting():
    """Storage is shared by the tests of a process: each test starts with no staged upload."""
    discard_stale_uploads(older_than=timedelta(seconds=-1))


def zip_upload(content: io.BytesIO | bytes, name: str = "noah-green.zip") -> SimpleUploadedFile:
    raw = content.getvalue() if isinstance(content, io.BytesIO) else content
    return SimpleUploadedFile(name, raw, content_type="application/zip")


def check(client, content=None):
    return client.post(reverse("transitions:import_pack"), {"pack": zip_upload(content or pack_zip())})


def test_the_upload_shows_what_will_arrive_before_anything_is_imported(login, other_manager):
    client = login(other_manager)

    response = check(client)

    text = response.content.decode()
    assert "Noah Green, from Meadow Pre-school" in text
    assert "3 learning story entries, with 3 photos and 2 comments" in text
    assert "1 assessment, 1 progress check at two and the transition report" in text
    assert not Child.objects.exists()
    assert stored_files("imports") == [client.session[STAGED]]


def test_confirming_imports_the_child_into_the_managers_nursery_and_shows_the_result(
    login, other_manager, other_nursery
):
    client = login(other_manager)
    check(client)

    response = client.post(reverse("transitions:confirm_import"), follow=True)

    result = PackImport.objects.get()
    assert (result.nursery, result.imported_by, result.child.nursery) == (other_nursery, other_manager, other_nursery)
    text = response.content.decode()
    assert "Noah Green is joining from Meadow Pre-school" in text
    assert "3 learning story entries" in text
    assert STAGED not in client.session
    assert stored_files("imports") == []  # the uploaded ZIP is not kept


def test_the_imported_childs_page_says_they_are_joining(login, other_manager):
    client = login(other_manager)
    check(client)
    client.post(reverse("transitions:confirm_import"))

    text = client.get(reverse("children:detail", args=[Child.objects.get().pk])).content.decode()

    assert "Joining" in text
    assert "joining from <strong>Meadow Pre-school</strong>" in text
    assert "invite the family as usual" in text


def test_a_refused_upload_says_why_and_keeps_nothing(login, other_manager):
    data = pack_data()
    del data["entries"][2]["observed_at"]
    client = login(other_manager)

    response = check(client, pack_zip(data))

    text = response.content.decode()
    assert "This pack was not imported. Nothing from it has been saved." in text
    assert "Entry 3 has no date." in text
    assert stored_files("imports") == []
    assert STAGED not in client.session


def test_a_file_that_is_not_a_zip_is_refused_on_the_page(login, other_manager):
    response = check(login(other_manager), b"hello")
    assert "This file is not a ZIP file." in response.content.decode()


def test_cancelling_keeps_nothing(login, other_manager):
    client = login(other_manager)
    check(client)

    response = client.post(reverse("transitions:confirm_import"), {"cancel": "1"}, follow=True)

    assert "Nothing was imported." in response.content.decode()
    assert stored_files("imports") == []
    assert not Child.objects.exists()


def test_confirming_with_nothing_uploaded_imports_nothing(login, other_manager):
    response = login(other_manager).post(reverse("transitions:confirm_import"), follow=True)
    assert "nothing is waiting" in response.content.decode()
    assert not PackImport.objects.exists()


def test_a_practitioner_cannot_import(login, practitioner):
    assert login(practitioner).get(reverse("transitions:import_pack")).status_code == 403
    assert check(login(practitioner)).status_code == 403


def test_another_nurserys_manager_cannot_see_an_import_result(login, manager, other_manager):
    client = login(other_manager)
    check(client)
    client.post(reverse("transitions:confirm_import"))
    result = PackImport.objects.get()

    assert login(manager).get(reverse("transitions:import_result", args=[result.pk])).status_code == 404
    assert client.get(reverse("transitions:import_result", args=[result.pk])).status_code == 200


def test_an_upload_left_unconfirmed_is_discarded_by_the_sweep_once_stale(login, other_manager):
    from transitions.tasks import discard_stale_pack_uploads

    client = login(other_manager)
    check(client)
    assert discard_stale_pack_uploads.delay().get() == 0  # uploaded just now: the manager may still confirm
    assert discard_stale_uploads(older_than=timedelta(seconds=-1)) == 1
    assert stored_files("imports") == []
