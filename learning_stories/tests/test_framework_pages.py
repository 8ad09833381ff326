"""Managers see the framework area by area and band by band, and add, reword and retire their own statements."""

import pytest
from django.urls import reverse

from learning_stories.models import Aspect, NurseryFramework, Statement
from learning_stories.tests.factories import StatementFactory, area, band, framework

pytestmark = pytest.mark.django_db


def test_the_framework_page_lists_statements_by_area_for_the_chosen_band(login, manager):
    reception = band("Children in reception")

    page = login(manager).get(reverse("framework:statements"), {"band": reception.pk}).content.decode()

    assert "EYFS 2024 — Development Matters" in page
    assert "What these early years words mean" in page
    assert page.index("Communication and Language") < page.index("Expressive Arts and Design")
    assert "Says the sounds for letters and blends them to read simple words." in page  # a reception statement
    assert "Rolls, sits, crawls" not in page  # birth to three


def test_the_page_shows_this_nurserys_statements_but_not_another_nurserys(login, manager, nursery, other_nursery):
    StatementFactory(nursery=nursery, text="Waves goodbye at the window.")
    StatementFactory(nursery=other_nursery, text="Sings the Sunflower song.")

    page = login(manager).get(reverse("framework:statements")).content.decode()

    assert "Waves goodbye at the window." in page
    assert "Sings the Sunflower song." not in page


def test_the_page_makes_the_same_number_of_queries_however_many_statements(login, manager, nursery):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(manager)
    counts = []
    for more in (1, 20):
        StatementFactory.create_batch(more, nursery=nursery)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("framework:statements"))
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_a_manager_adds_a_statement(login, manager, nursery):
    speaking = Aspect.objects.get(area=area("CL"), name="Speaking")

    response = login(manager).post(
        reverse("framework:add_statement"),
        {"band": band("Birth to three").pk, "area": area("CL").pk, "aspect": speaking.pk, "text": "Says hiya."},
        follow=True,
    )

    assert "Statement added." in response.content.decode()
    assert Statement.objects.get(nursery=nursery).aspect == speaking


def test_a_goal_from_another_area_is_refused_with_a_clear_message(login, manager, nursery):
    number = Aspect.objects.get(area=area("M"), name="Number")

    response = login(manager).post(
        reverse("framework:add_statement"),
        {"band": band("Birth to three").pk, "area": area("CL").pk, "aspect": number.pk, "text": "Counts to two."},
    )

    assert "belongs to Mathematics, not Communication and Language" in response.content.decode()
    assert "Counts to two." in response.content.decode(), "what was typed is kept"
    assert not Statement.objects.filter(nursery=nursery).exists()


def test_a_manager_rewords_and_retires_their_statement(login, manager, nursery):
    statement = StatementFactory(nursery=nursery, text="Old words")
    client = login(manager)

    client.post(reverse("framework:edit_statement", args=[statement.pk]), {"text": "New words"})
    client.post(reverse("framework:retire_statement", args=[statement.pk]))

    statement.refresh_from_db()
    assert statement.text == "New words"
    assert statement.is_retired
    client.post(reverse("framework:restore_statement", args=[statement.pk]))
    assert not Statement.objects.get(pk=statement.pk).is_retired


def test_the_frameworks_own_statements_cannot_be_edited(login, manager):
    builtin = Statement.objects.filter(nursery__isnull=True).first()

    assert login(manager).get(reverse("framework:edit_statement", args=[builtin.pk])).status_code == 404
    assert login(manager).post(reverse("framework:retire_statement", args=[builtin.pk])).status_code == 404


def test_a_manager_switches_to_birth_to_5_matters(login, manager, nursery):
    response = login(manager).post(
        reverse("framework:choose"), {"framework": framework("birth-to-5-matters").pk}, follow=True
    )

    assert "New observations now use Birth to 5 Matters." in response.content.decode()
    assert NurseryFramework.objects.get(nursery=nursery).framework.code == "birth-to-5-matters"
    assert "Range 6" in response.content.decode()
