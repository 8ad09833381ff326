from django.db import migrations

from learning_stories.migrations._eyfs_data import load


def load_frameworks(apps, schema_editor) -> None:
    load(apps)


class Migration(migrations.Migration):
    dependencies = [("learning_stories", "0001_framework")]

    # Not reversible: observations point at these rows, and a framework version is never rewritten.
    operations = [migrations.RunPython(load_frameworks, migrations.RunPython.noop)]
