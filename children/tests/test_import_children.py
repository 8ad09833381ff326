"""A manager imports children and invites their families from a CSV: preview first, then all or nothing."""

import html
from datetime import date, time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Invitation
from children.day.selectors import moment
from children.imports.reading import COLUMN_NAMES
from children.models import Child, ChildAuditEvent, GuardianInvitation
from children.tests.factories import ChildFactory
from core.models import OutgoingMail
from nursery.tests.factories import RoomFactory

TODAY = date(2026, 3, 10)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(TODAY, time(10, 30)))]

URL = reverse("children:import_children")
HEADER = ",".join(COLUMN_NAMES)
AVA = {
    "child_first_name": "Ava",
    "child_last_name": "Smith",
    "preferred_name": "",
    "date_of_birth": "2023-05-14",
    "start_date": "2026-04-13",
    "room": "Butterflies",
    "guardian_name": "Sam Smith",
    "guardian_email": "sam@example.org",
    "relationship": "mother",
    "parental_responsibility": "yes",
    "guardian2_name": "",
    "guardian2_email": "",
    "guardian2_relationship": "",
    "guardian2_parental_responsibility": "",
}


def line(**changes) -> str:
    values = {**AVA, **changes}
    return ",".join(values[name] for name in COLUMN_NAMES)


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return "\r\n".join([header, *lines]).encode()


def upload(client, data: bytes, name: str = "children.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def confirm(client, preview, capture):
    with capture(execute=True):
        return client.post(URL, {"staged": preview.context["staged"]})


def problems(response) -> list[str]:
    """What the page says is wrong, checked to be on the page as well."""
    if "plan" in response.context:
        found = response.context["plan"].errors
    elif response.context.get("problems"):
        found = list(response.context["problems"])
    else:
        found = [error for errors in response.context["form"].errors.values() for error in errors]
    page = html.unescape(response.content.decode())
    assert all(problem in page for problem in found)
    return found


def nothing_saved(nursery, before: int = 0) -> bool:
    return Child.objects.filter(nursery=nursery).count() == before and not Invitation.objects.exists()


def test_a_good_file_previews_then_imports_children_and_invites_their_families(
    login, manager, nursery, room, django_capture_on_commit_callbacks
):
    client = login(manager)
    data = csv_bytes(
        line(guardian2_name="Alex Smith", guardian2_email="Alex@Example.org", guardian2_relationship="father"),
        line(
            child_first_name="Oliver",
            child_last_name="Jones",
            preferred_name="Ollie",
            date_of_birth="02/11/2024",
            room="",
            guardian_name="Kim Jones",
            guardian_email="kim@example.org",
            relationship="grandparent",
            parental_responsibility="",
        ),
    )

    preview = upload(client, data)

    assert preview.status_code == 200
    page = html.unescape(preview.content.decode())
    assert "Import 2 children and send 3 invitations" in page
    assert "known as Ollie" in page
    assert "2 Nov 2024" in page  # day first, the UK way
    assert "No room yet" in page
    assert nothing_saved(nursery)

    response = confirm(client, preview, django_capture_on_commit_callbacks)

    assert response.url == reverse("children:list")
    ava = Child.objects.get(nursery=nursery, first_name="Ava")
    assert (ava.room, ava.date_of_birth, ava.start_date) == (room, date(2023, 5, 14), date(2026, 4, 13))
    ollie = Child.objects.get(nursery=nursery, first_name="Oliver")
    assert (ollie.preferred_name, ollie.room, ollie.date_of_birth) == ("Ollie", None, date(2024, 11, 2))
    grants = {
        (grant.invitation.email, grant.child.first_name, grant.relationship, grant.has_parental_responsibility)
        for grant in GuardianInvitation.objects.select_related("invitation", "child")
    }
    assert grants == {
        ("sam@example.org", "Ava", "mother", True),
        ("alex@example.org", "Ava", "father", True),
        ("kim@example.org", "Oliver", "grandparent", False),  # empty: no for a grandparent
    }
    assert sorted(message.to[0] for message in mail.outbox) == [
        "alex@example.org",
        "kim@example.org",
        "sam@example.org",
    ]
    assert ChildAuditEvent.objects.filter(child=ava, action=ChildAuditEvent.Action.CREATED, actor=manager).exists()
    assert (
        "2 children added. 3 invitations are on the way by e-mail."
        in client.get(reverse("children:list")).content.decode()
    )


def test_siblings_share_one_invitation(login, manager, nursery, room, django_capture_on_commit_callbacks):
    client = login(manager)
    data = csv_bytes(line(), line(child_first_name="Leo", date_of_birth="2025-01-20"))

    preview = upload(client, data)
    assert "Sam Smith (sam@example.org) for Ava Smith and Leo Smith" in html.unescape(preview.content.decode())
    confirm(client, preview, django_capture_on_commit_callbacks)

    invitation = Invitation.objects.get()
    assert sorted(invitation.guardian_grants.values_list("child__first_name", flat=True)) == ["Ava", "Leo"]
    assert len(mail.outbox) == 1


def test_the_template_csv_round_trips_through_the_importer(
    login, manager, nursery, room, django_capture_on_commit_callbacks
):
    client = login(manager)
    template = client.get(reverse("children:import_children_template"))
    assert template["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in template["Content-Disposition"]
    text = template.content.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER

    preview = upload(client, template.content)
    assert preview.context["plan"].errors == []
    confirm(client, preview, django_capture_on_commit_callbacks)

    child = Child.objects.get(nursery=nursery)
    assert (child.first_name, child.preferred_name, child.room) == ("Ada", "Addie", room)
    assert Invitation.objects.count() == 2


BAD_FILES = {
    "a missing column": (
        csv_bytes(line(), header=HEADER.replace("date_of_birth,", "")),
        "The file has no column “date_of_birth”.",
    ),
    "the same child twice in the file": (
        csv_bytes(line(), line(child_first_name="AVA", guardian_email="other@example.org", guardian_name="Jo")),
        "Row 3: AVA Smith, born 2023-05-14, is also on row 2.",
    ),
    "a date of birth in the future": (
        csv_bytes(line(date_of_birth="2031-02-01")),
        "Row 2: date of birth 2031-02-01 is in the future.",
    ),
    "a date of birth too long ago for nursery": (
        csv_bytes(line(date_of_birth="01/02/2018")),
        "Row 2: date of birth 2018-02-01 is more than 8 years ago",
    ),
    "a date of birth in year one": (
        csv_bytes(line(date_of_birth="0001-01-01")),
        "Row 2: date of birth 0001-01-01 is more than 8 years ago",
    ),
    "a start date in 9999": (
        csv_bytes(line(start_date="9999-12-31")),
        "Row 2: start date 9999-12-31 is more than 2 years away: check the year.",
    ),
    "a date that is not a date": (
        csv_bytes(line(date_of_birth="31/02/2023")),
        "Row 2: the date of birth “31/02/2023” is not a date KeyStory can read",
    ),
    "a malformed guardian e-mail": (
        csv_bytes(line(guardian_email="sam@@example")),
        "Row 2: the parent or carer's e-mail “sam@@example” is not a valid e-mail address.",
    ),
    "an unknown room": (
        csv_bytes(line(room="Dragons")),
        "Row 2: there is no room called “Dragons”. Your rooms: Butterflies.",
    ),
    "a start date before the child was born": (
        csv_bytes(line(start_date="2023-01-01")),
        "Row 2: start date 2023-01-01 is before the date of birth 2023-05-14.",
    ),
    "one e-mail for two different people": (
        csv_bytes(line(), line(child_first_name="Leo", guardian_name="Samuel Smythe")),
        "Row 3: the e-mail sam@example.org belongs to “Sam Smith” on row 2 but to “Samuel Smythe” here.",
    ),
    "a relationship KeyStory does not know": (
        csv_bytes(line(relationship="neighbour")),
        "Row 2: the parent or carer's relationship “neighbour” is not one KeyStory knows",
    ),
    "an unknown column": (
        csv_bytes(line() + ",x", header=HEADER + ",notes"),
        "KeyStory does not know the column “notes”",
    ),
    "more values than columns (an unquoted comma)": (
        csv_bytes(line(child_last_name="Smith, Jones")),
        "Row 2: there are more values than columns.",
    ),
    "a parent with no e-mail": (
        csv_bytes(line(guardian_email="")),
        "Row 2: Sam Smith has no e-mail address, so cannot be invited.",
    ),
    "one e-mail for both parents of a child": (
        csv_bytes(line(guardian2_name="Alex Smith", guardian2_email="SAM@example.org")),
        "Row 2: both parents or carers have the e-mail sam@example.org: each needs their own.",
    ),
    "a file with only the column names": (csv_bytes(), "The file has no children in it"),
    "an empty file": (b"", "The submitted file is empty."),
    "a file of blank space": (b" \r\n \r\n", "The file is empty."),
    "a file that is not UTF-8": (
        csv_bytes(line(child_first_name="Zoë")).decode().encode("latin-1"),
        "not saved as UTF-8",
    ),
    "an Excel workbook": (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100, "This is an Excel workbook, not a CSV file."),
    "a binary file": (b"\x00\x01\x02 binary", "This is not a CSV text file."),
    "too many rows": (
        csv_bytes(*(line(child_first_name=f"Child{n}") for n in range(501))),
        "The file has 501 children; at most 500 can be imported at once.",
    ),
    "too large a file": (
        csv_bytes(line()) + b"\r\n" + b" " * (1024 * 1024),
        "This file is larger than 1 MB, the most KeyStory takes at once.",
    ),
}


@pytest.mark.parametrize(("data", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_each_bad_file_says_what_is_wrong_and_saves_nothing(login, manager, nursery, room, data, message):
    response = upload(login(manager), data)

    assert response.status_code == 200
    assert any(message in problem for problem in problems(response)), problems(response)
    assert "staged" not in response.context
    assert nothing_saved(nursery)


def test_a_child_already_at_the_nursery_is_not_added_twice(login, manager, nursery, room):
    ChildFactory(nursery=nursery, first_name="Ava", last_name="Smith", date_of_birth=date(2023, 5, 14))

    response = upload(login(manager), csv_bytes(line(), line(child_first_name="Leo", date_of_birth="2025-01-20")))

    assert problems(response) == [
        "Row 2: Ava Smith, born 2023-05-14, is already at the nursery. Remove this row; change their details on "
        "their own page instead."
    ]
    assert "Leo Smith" in response.content.decode()  # the row without problems is still listed
    assert "staged" not in response.context
    assert nothing_saved(nursery, before=1)


def test_an_archived_room_takes_no_children_from_a_file(login, manager, nursery, room):
    RoomFactory(nursery=nursery, name="Caterpillars", archived_on=date(2026, 1, 1))

    response = upload(login(manager), csv_bytes(line(room="caterpillars")))

    assert problems(response) == [
        "Row 2: the room “Caterpillars” is archived and takes no new children. Your rooms: Butterflies."
    ]


def test_a_file_from_excel_with_a_byte_order_mark_and_semicolons_is_read(login, manager, nursery, room):
    data = "\ufeff" + HEADER.replace(",", ";") + "\r\n" + line(child_first_name="Zoë").replace(",", ";") + "\r\n"

    response = upload(login(manager), data.encode("utf-8"))

    assert response.context["plan"].errors == []
    assert [row.first_name for row in response.context["plan"].rows] == ["Zoë"]


def test_confirming_checks_the_file_again_and_imports_nothing_if_it_no_longer_fits(
    login, manager, nursery, room, django_capture_on_commit_callbacks
):
    client = login(manager)
    preview = upload(client, csv_bytes(line(), line(child_first_name="Leo", date_of_birth="2025-01-20")))
    ChildFactory(nursery=nursery, first_name="Leo", last_name="Smith", date_of_birth=date(2025, 1, 20))

    response = confirm(client, preview, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert problems(response)[0].startswith("Row 3: Leo Smith, born 2025-01-20, is already at the nursery.")
    assert nothing_saved(nursery, before=1)
    assert mail.outbox == []


def test_confirming_the_same_preview_twice_adds_nobody_twice(
    login, manager, nursery, room, django_capture_on_commit_callbacks
):
    client = login(manager)
    preview = upload(client, csv_bytes(line()))
    confirm(client, preview, django_capture_on_commit_callbacks)

    again = confirm(client, preview, django_capture_on_commit_callbacks)

    assert "is already at the nursery" in problems(again)[0]
    assert Child.objects.filter(nursery=nursery).count() == 1
    assert Invitation.objects.count() == 1


def test_children_are_imported_and_their_invitations_kept_when_the_mail_queue_is_down(
    login, manager, nursery, room, broker_down, django_capture_on_commit_callbacks
):
    client = login(manager)
    preview = upload(client, csv_bytes(line()))

    confirm(client, preview, django_capture_on_commit_callbacks)

    assert Child.objects.filter(nursery=nursery).count() == 1
    assert Invitation.objects.filter(email="sam@example.org").exists()
    assert OutgoingMail.objects.filter(to="sam@example.org").exists()  # the sweep sends it later


def test_cancelling_the_preview_imports_nothing(login, manager, nursery, room):
    client = login(manager)
    preview = upload(client, csv_bytes(line()))

    response = client.post(URL, {"staged": preview.context["staged"], "cancel": "1"}, follow=True)

    assert "Nothing was imported." in response.content.decode()
    assert nothing_saved(nursery)


def test_a_changed_preview_is_refused(login, manager, nursery, room):
    client = login(manager)
    preview = upload(client, csv_bytes(line()))

    response = client.post(URL, {"staged": preview.context["staged"][:-2] + "xx"})

    assert problems(response) == ["This preview could not be read. Upload the file again."]
    assert nothing_saved(nursery)


def test_a_preview_older_than_two_hours_must_be_uploaded_again(login, manager, nursery, room, time_machine):
    client = login(manager)
    preview = upload(client, csv_bytes(line()))
    time_machine.shift(3 * 60 * 60)

    response = client.post(URL, {"staged": preview.context["staged"]})

    assert "more than two hours old" in problems(response)[0]
    assert nothing_saved(nursery)


def test_practitioners_and_parents_may_not_import(login, practitioner, parent, nursery, room):
    for user in (practitioner, parent):
        client = login(user)
        assert client.get(URL).status_code == 403
        assert client.get(reverse("children:import_children_template")).status_code == 403
        assert upload(client, csv_bytes(line(child_first_name="Mia"))).status_code == 403
    assert not Child.objects.filter(first_name="Mia").exists()


def test_another_nurserys_manager_cannot_import_into_this_nursery(
    login, manager, other_manager, nursery, other_nursery, room, django_capture_on_commit_callbacks
):
    preview = upload(login(manager), csv_bytes(line()))
    theirs = login(other_manager)

    # This nursery's preview, posted by the other manager, is refused ...
    response = theirs.post(URL, {"staged": preview.context["staged"]})
    assert problems(response) == ["This preview could not be read. Upload the file again."]
    # ... and their own upload checks against, and imports into, their own nursery only.
    assert "there is no room called “Butterflies”" in problems(upload(theirs, csv_bytes(line())))[0]
    RoomFactory(nursery=other_nursery, name="Butterflies")
    confirm(theirs, upload(theirs, csv_bytes(line())), django_capture_on_commit_callbacks)
    assert not Child.objects.filter(nursery=nursery).exists()
    assert Child.objects.get(first_name="Ava").nursery == other_nursery


def test_the_children_list_links_managers_to_the_import(login, manager, practitioner, nursery):
    assert URL in login(manager).get(reverse("children:list")).content.decode()
    assert URL not in login(practitioner).get(reverse("children:list")).content.decode()


def test_the_import_page_explains_every_column(login, manager, nursery, room):
    page = login(manager).get(URL).content.decode()
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in page
    assert reverse("children:import_children_template") in page
