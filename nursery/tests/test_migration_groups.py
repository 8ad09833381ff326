"""Existing installs: nurseries from before groups get a group owned by their managers, and count as set up."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)  # migrating backwards and forwards needs real commits

BEFORE = [("nursery", "0008_group_owner_invitations"), ("accounts", "0004_security_event")]
AFTER = [("nursery", "0009_groups_for_nurseries_from_before_groups")]


@pytest.fixture(autouse=True)
def back_to_the_latest_migrations():
    """Leave the database as every other test expects it: at the newest migration of every app."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_a_nursery_from_before_groups_gets_its_own_group_owned_by_its_manager_and_counts_as_set_up():
    apps = migrate(BEFORE)
    User = apps.get_model("accounts", "User")
    Nursery = apps.get_model("nursery", "Nursery")
    StaffMember = apps.get_model("nursery", "StaffMember")
    old = Nursery.objects.create(name="Rainbow Nursery", setup_confirmed=["review"])
    maya = User.objects.create(email="maya@example.org", full_name="Maya")
    priya = User.objects.create(email="priya@example.org", full_name="Priya")
    StaffMember.objects.create(user=maya, nursery=old, role="manager")
    StaffMember.objects.create(user=priya, nursery=old, role="practitioner")
    Group = apps.get_model("nursery", "NurseryGroup")
    newer = Nursery.objects.create(name="Meadow", group=Group.objects.create(name="Meadow"), setup_confirmed=[])

    apps = migrate(AFTER)

    Nursery = apps.get_model("nursery", "Nursery")
    old = Nursery.objects.get(pk=old.pk)
    assert old.group.name == "Rainbow Nursery"
    assert list(old.group.owners.values_list("email", flat=True)) == ["maya@example.org"]
    assert {"details", "rooms", "sessions", "framework", "review", "staff", "children"} <= set(old.setup_confirmed)
    assert Nursery.objects.get(pk=newer.pk).setup_confirmed == [], "a nursery started since is still setting up"


def test_every_checklist_step_of_today_was_known_to_the_migration():
    """A step added later shows to old nurseries too; this test makes adding one a decision, not an accident."""
    from importlib import import_module

    from nursery.setup import step_keys

    migration = import_module("nursery.migrations.0009_groups_for_nurseries_from_before_groups")
    assert set(step_keys()) == set(migration.STEPS_AT_THE_TIME)
