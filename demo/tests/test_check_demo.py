"""The demo's progress checks at two: due, overdue, drafted and shared, whatever day it is loaded."""

import pytest
from django.utils import timezone

from children.models import Child, Consent
from core.models import OutgoingMail
from demo.data import load_demo
from learning_stories.models import ProgressCheck, ProgressCheckArea
from learning_stories.progress_check.selectors import progress_checks_due

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (ProgressCheck, ProgressCheckArea, Consent))


def test_the_demo_has_checks_due_overdue_drafted_and_shared_with_the_familys_view_and_loads_idempotently():
    load_demo()
    before = counts()
    load_demo()
    assert counts() == before

    rows = {row.child.first_name: row for row in progress_checks_due(Child.objects.all(), on=timezone.localdate())}
    assert (rows["Zara"].months, rows["Zara"].overdue, rows["Zara"].check) == (25, False, None)
    assert rows["Evie"].overdue
    assert rows["Mohammed"].overdue
    assert rows["Harry"].check.status == ProgressCheck.Status.DRAFT
    assert "Sienna" not in rows
    sienna = ProgressCheck.objects.get(child__first_name="Sienna")
    assert sienna.status == ProgressCheck.Status.SHARED
    assert sienna.parent_comments
    assert sienna.area_summaries.count() == 3
    assert not OutgoingMail.objects.filter(key__startswith="progress-check:").exists()  # no demo e-mail goes out


def test_the_demo_ages_hold_whatever_day_it_is_loaded():
    from datetime import date

    for today in (date(2026, 1, 31), date(2026, 3, 1), date(2028, 2, 29)):
        load_demo(today)
        rows = {row.child.first_name: row for row in progress_checks_due(Child.objects.all(), on=today)}
        assert (rows["Zara"].months, rows["Evie"].months, rows["Mohammed"].months) == (25, 33, 34)
