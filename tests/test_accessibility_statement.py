"""The accessibility statement: public, linked from every page, dated by its last review, not by the clock."""

import pytest
import time_machine
from django.urls import reverse

from core.accessibility import LAST_REVIEWED

pytestmark = pytest.mark.django_db


def test_anyone_can_read_the_accessibility_statement_without_logging_in(client):
    response = client.get(reverse("accessibility"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Accessibility statement" in page
    assert "(WCAG) 2.2 at level AA" in page
    assert "screen readers" in page
    assert "What we have not tested" in page


def test_every_page_links_to_the_accessibility_statement_from_its_footer(client):
    page = client.get(reverse("accounts:login")).content.decode()
    footer = page[page.index("<footer") : page.index("</footer>")]
    assert f'href="{reverse("accessibility")}"' in footer


@time_machine.travel("2027-06-30 12:00 +0000", tick=False)
def test_the_statement_gives_the_day_it_was_last_reviewed_not_today(client):
    page = client.get(reverse("accessibility")).content.decode()
    assert f"last reviewed on {LAST_REVIEWED:%-d %B %Y}" in page
    assert "30 June 2027" not in page


def test_a_visitor_is_asked_to_report_a_problem_to_their_nursery(client):
    page = client.get(reverse("accessibility")).content.decode()
    assert "please tell your nursery" in page


def test_a_parent_is_given_their_nurserys_e_mail_and_phone_to_report_a_problem(login, parent, nursery):
    nursery.email, nursery.phone = "office@rainbow.example", "020 7946 0000"
    nursery.save()
    page = login(parent).get(reverse("accessibility")).content.decode()
    assert "please tell Rainbow Nursery" in page
    assert 'href="mailto:office@rainbow.example"' in page
    assert "020 7946 0000" in page
