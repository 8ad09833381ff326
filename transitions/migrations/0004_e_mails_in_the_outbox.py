"""The school link and move e-mails move to the outbox: the "e-mailed" stamps become its rows.

E-mails already sent are recorded as sent outbox rows, so the pages that say "e-mailed" still do.
"""

from django.db import migrations

SENT_BEFORE = "(sent before the outbox)"


def record_sent_mail(apps, schema_editor) -> None:
    OutgoingMail = apps.get_model("core", "OutgoingMail")
    SchoolShareLink = apps.get_model("transitions", "SchoolShareLink")
    TransitionPlan = apps.get_model("transitions", "TransitionPlan")
    Guardianship = apps.get_model("children", "Guardianship")
    rows = [
        OutgoingMail(
            key=f"school-link:{link.pk}",
            kind="Leaver pack link for the school",
            nursery_id=link.pack.child.nursery_id,
            to=link.email,
            subject=SENT_BEFORE,
            body="",
            status="sent",
            attempts=1,
            sent_at=link.emailed_at,
        )
        for link in SchoolShareLink.objects.filter(emailed_at__isnull=False).select_related("pack__child")
    ]
    for plan in TransitionPlan.objects.filter(family_emailed_at__isnull=False).select_related("child"):
        rows += [
            OutgoingMail(
                key=f"move:{plan.pk}:{link.user_id}",
                kind="Room move",
                nursery_id=plan.child.nursery_id,
                recipient_id=link.user_id,
                to=link.user.email,
                subject=SENT_BEFORE,
                body="",
                status="sent",
                attempts=1,
                sent_at=plan.family_emailed_at,
            )
            for link in Guardianship.objects.filter(child_id=plan.child_id).select_related("user")
        ]
    OutgoingMail.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("children", "0001_initial"),
        ("transitions", "0003_move_family_told_and_review"),
    ]

    operations = [
        migrations.RunPython(record_sent_mail, migrations.RunPython.noop),
        migrations.RemoveField(model_name="leaverpack", name="emailed_at"),
        migrations.RemoveField(model_name="schoolsharelink", name="emailed_at"),
        migrations.RemoveField(model_name="transitionplan", name="family_emailed_at"),
    ]
