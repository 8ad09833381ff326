import pytest
from django.core.management import call_command

from accounts.models import User
from children.models import Child
from demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from keyworker.selectors import children_without_key_person, key_children_of
from nursery.models import Room, StaffMember

pytestmark = pytest.mark.django_db


def test_demo_nursery_has_three_rooms_six_staff_and_about_thirty_children():
    nursery = load_demo()
    assert Room.objects.filter(nursery=nursery).count() == 3
    assert StaffMember.objects.filter(nursery=nursery).count() == 6
    assert StaffMember.objects.filter(nursery=nursery, role="manager").count() == 1
    assert 25 <= Child.objects.filter(nursery=nursery).count() <= 35
    ages = [child.age_in_months() for child in Child.objects.all()]
    assert min(ages) >= 6
    assert max(ages) <= 54


def test_loading_the_demo_twice_changes_nothing():
    load_demo()
    counts = (User.objects.count(), Child.objects.count(), StaffMember.objects.count())
    load_demo()
    assert (User.objects.count(), Child.objects.count(), StaffMember.objects.count()) == counts


def test_every_demo_account_logs_in_with_the_printed_password(client, capsys):
    call_command("load_demo")
    printed = capsys.readouterr().out
    assert DEMO_PASSWORD in printed
    for account in DEMO_ACCOUNTS:
        assert account.email in printed
        assert User.objects.get(email=account.email).check_password(DEMO_PASSWORD)


def test_demo_has_a_practitioner_with_key_children_and_parents_of_two_and_of_one():
    load_demo()
    priya = User.objects.get(email="priya@rainbow.example")
    assert key_children_of(priya).exists()
    assert User.objects.get(email="sam.taylor@families.example").guardianships.count() == 2
    assert User.objects.get(email="jess.ahmed@families.example").guardianships.count() == 1
    manager = User.objects.get(email="manager@rainbow.example")
    assert not children_without_key_person(manager).exists()


def test_some_demo_staff_have_a_drawn_photo_and_loading_again_keeps_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    with_photo = StaffMember.objects.exclude(photo="")
    names = {member.photo.name for member in with_photo}

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()

    assert with_photo.count() == 3
    assert {member.photo.name for member in StaffMember.objects.exclude(photo="")} == names
    assert all(member.photo_thumbnail for member in with_photo)
