"""Nurseries that existed before groups and the set-up checklist: each gets a group of its own, owned by its
managers in post, and counts as set up, so its managers are not sent to a checklist for a nursery at work."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

# The checklist's steps when it came; a step added later is shown to every nursery, old ones included.
STEPS_AT_THE_TIME = ["details", "rooms", "sessions", "framework", "review", "staff", "children"]


def give_groups(apps, schema_editor) -> None:
    Nursery = apps.get_model("nursery", "Nursery")
    NurseryGroup = apps.get_model("nursery", "NurseryGroup")
    StaffMember = apps.get_model("nursery", "StaffMember")
    today = timezone.localdate()
    for nursery in Nursery.objects.filter(group__isnull=True):
        group = NurseryGroup.objects.create(name=nursery.name)
        managers = StaffMember.objects.filter(
            Q(leaves_on__isnull=True) | Q(leaves_on__gt=today), nursery=nursery, role="manager", is_active=True
        )
        group.owners.add(*managers.values_list("user_id", flat=True))
        nursery.group = group
        nursery.setup_confirmed = sorted(set(nursery.setup_confirmed or []) | set(STEPS_AT_THE_TIME))
        nursery.save(update_fields=["group", "setup_confirmed"])


class Migration(migrations.Migration):
    dependencies = [("nursery", "0008_group_owner_invitations")]

    operations = [migrations.RunPython(give_groups, migrations.RunPython.noop)]
