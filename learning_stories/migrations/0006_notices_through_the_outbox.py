"""Families' notices go through the outbox: an entry notice records the key of the e-mail that carried it,
and the e-mail bookkeeping of notices (sent_at, last_digest_at, ProgressCheckNotice) goes."""

from django.db import migrations, models

ALREADY_SENT = "sent before the outbox"


def mark_sent_notices(apps, schema_editor) -> None:
    """Entries already e-mailed must not come again in the first digest."""
    apps.get_model("learning_stories", "EntryNotice").objects.filter(sent_at__isnull=False).update(
        mail_key=ALREADY_SENT
    )


class Migration(migrations.Migration):

    dependencies = [
        ('learning_stories', '0005_check_progress_check'),
    ]

    operations = [
        migrations.AddField(
            model_name='entrynotice',
            name='mail_key',
            field=models.CharField(blank=True, db_index=True, max_length=200),
        ),
        migrations.RunPython(mark_sent_notices, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='entrynotice',
            name='sent_at',
        ),
        migrations.RemoveField(
            model_name='notificationpreference',
            name='last_digest_at',
        ),
        migrations.DeleteModel(
            name='ProgressCheckNotice',
        ),
    ]
