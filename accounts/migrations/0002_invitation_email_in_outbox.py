# Invitation e-mails now go through the outbox (core.OutgoingMail), which records whether each went.
# Invitations already e-mailed get a sent outbox row under their current link's key, so managers' lists
# keep saying "sent"; then the invitation's own stamp goes.

from django.db import migrations


def key(invitation) -> str:
    return f"invitation:{invitation.pk}:{invitation.nonce}"


def record_sent_in_outbox(apps, schema_editor) -> None:
    Invitation = apps.get_model("accounts", "Invitation")
    OutgoingMail = apps.get_model("core", "OutgoingMail")
    OutgoingMail.objects.bulk_create(
        [
            OutgoingMail(
                key=key(invitation),
                kind="Invitation",
                to=invitation.email,
                subject="You are invited to join your nursery on KeyStory",
                body="",
                status="sent",
                sent_at=invitation.sent_at,
            )
            for invitation in Invitation.objects.filter(sent_at__isnull=False)
        ],
        ignore_conflicts=True,
    )


def stamp_from_outbox(apps, schema_editor) -> None:
    Invitation = apps.get_model("accounts", "Invitation")
    OutgoingMail = apps.get_model("core", "OutgoingMail")
    sent = dict(OutgoingMail.objects.filter(key__startswith="invitation:", status="sent").values_list("key", "sent_at"))
    for invitation in Invitation.objects.all():
        if key(invitation) in sent:
            invitation.sent_at = sent[key(invitation)]
            invitation.save(update_fields=["sent_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(record_sent_in_outbox, stamp_from_outbox),
        migrations.RemoveField(
            model_name="invitation",
            name="sent_at",
        ),
    ]
