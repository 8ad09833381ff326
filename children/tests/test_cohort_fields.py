"""The child form records the cohort fields trackers compare groups by, and keeps them on every edit."""

import pytest
from django.urls import reverse

from children.models import Child, Funding, SendStatus, Sex
from children.tests.test_child_records import child_data

pytestmark = pytest.mark.django_db

COHORT = {"sex": "female", "english_additional_language": "on", "send_status": "sen_support", "funding": "two_year"}


def test_manager_records_cohort_fields_when_adding_a_child(login, manager, room):
    login(manager).post(reverse("children:add"), child_data(room) | COHORT)
    noor = Child.objects.get(first_name="Noor")
    assert (noor.sex, noor.english_additional_language) == (Sex.FEMALE, True)
    assert (noor.send_status, noor.funding) == (SendStatus.SEN_SUPPORT, Funding.TWO_YEAR)


def test_editing_other_details_keeps_the_cohort_fields(login, manager, child, room):
    client = login(manager)
    edit = reverse("children:edit", args=[child.pk])
    client.post(edit, child_data(room, first_name="Ava", last_name="Taylor") | COHORT)

    page = client.get(edit).content.decode()
    client.post(edit, child_data(room, first_name="Ava", last_name="Taylor-Jones") | COHORT)

    child.refresh_from_db()
    assert child.last_name == "Taylor-Jones"
    assert (child.sex, child.english_additional_language, child.send_status, child.funding) == (
        "female",
        True,
        "sen_support",
        "two_year",
    )
    assert '<option value="sen_support" selected>' in page
    assert "hears a language other than English at home" in page


def test_a_form_without_the_cohort_fields_does_not_wipe_them(login, manager, child, room):
    child.send_status, child.funding = SendStatus.EHC_PLAN, Funding.UNIVERSAL
    child.save()
    login(manager).post(reverse("children:edit", args=[child.pk]), child_data(room, first_name="Ava"))
    child.refresh_from_db()
    assert (child.send_status, child.funding) == (SendStatus.EHC_PLAN, Funding.UNIVERSAL)


def test_an_unknown_funding_choice_is_refused_with_a_message(login, manager, child, room):
    response = login(manager).post(reverse("children:edit", args=[child.pk]), child_data(room) | {"funding": "lots"})
    assert "Select a valid choice" in response.content.decode()
    child.refresh_from_db()
    assert child.funding == Funding.NONE
