from django.db import migrations

# The purposes every nursery asks about, in the words shown to parents.
BUILTIN = [
    (
        "photos_own_story",
        "Photos in my child's own learning story",
        "Staff may take photos and videos of your child and keep them in your child's learning story.",
    ),
    (
        "photos_others_stories",
        "Appearing in other children's stories",
        "Photos of group play that show your child may be seen by the families of the other children in them. "
        "Your child is never named to them.",
    ),
    (
        "share_with_school",
        "Sharing with my child's next school",
        "When your child leaves, the nursery may send their learning story and reports to the school or "
        "setting they move on to.",
    ),
    (
        "share_with_health_visitor",
        "Sharing with the health visitor",
        "The nursery may share your child's progress check at age two with your health visitor.",
    ),
]


def add_builtin(apps, schema_editor):
    ConsentPurpose = apps.get_model("children", "ConsentPurpose")
    for order, (code, name, description) in enumerate(BUILTIN, start=1):
        ConsentPurpose.objects.update_or_create(
            nursery=None, code=code, defaults={"name": name, "description": description, "order": order}
        )


def remove_builtin(apps, schema_editor):
    apps.get_model("children", "ConsentPurpose").objects.filter(nursery=None, code__in=[b[0] for b in BUILTIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("children", "0002_bookings_and_consents")]

    operations = [migrations.RunPython(add_builtin, remove_builtin)]
