"""Planner statistics for the story tables on PostgreSQL (no change to the schema or the data).

A database filled by bulk inserts (a migration from another system, ``generate_group``) has none until
autovacuum gets round to it, or ever where it is off. The planner then guesses a few rows per table and reads a
child's story by walking every published entry of the group: 600 ms for one page instead of 20 ms.
"""

from django.db import migrations

TABLES = (
    "learning_stories_observation",
    "learning_stories_observationchild",
    "learning_stories_observation_areas",
    "learning_stories_observationphoto",
    "learning_stories_observationphoto_children",
    "learning_stories_comment",
    "learning_stories_assessment",
    "learning_stories_nextstep",
)


def analyze(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ANALYZE {', '.join(TABLES)}")


class Migration(migrations.Migration):
    dependencies = [("learning_stories", "0008_photo_prepared_after_upload")]

    operations = [migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True)]
