"""setup: the demo nursery is a nursery at work, so its manager lands on the overview, not the set-up checklist."""

import pytest
from django.urls import reverse

from demo.data import load_demo
from nursery import setup
from nursery.models import StaffMember

pytestmark = pytest.mark.django_db


def test_the_demo_nursery_has_done_every_set_up_step(login):
    nursery = load_demo()
    assert [state.step.key for state in setup.checklist(nursery) if not state.done] == []
    manager = StaffMember.objects.get(nursery=nursery, user__email="manager@rainbow.example").user
    assert login(manager).get(reverse("home")).url == reverse("keyworker:overview")
