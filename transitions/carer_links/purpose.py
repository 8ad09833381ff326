"""The built-in consent purpose for sharing with other carers: added by a migration, and put back after a
``flush`` (as transactional tests do), as children's own built-in purposes are."""

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps

CODE = "share_with_other_carers"  # children.models.ConsentPurpose.SHARE_WITH_OTHER_CARERS
NAME = "Share my child's summary with other people who care for them"
DESCRIPTION = (
    "Your child's key person may send a short summary (highlights from the learning story, next steps and "
    "the latest assessment, without photos) to someone else who cares for your child, such as a childminder "
    "or a speech and language therapist. You agree to each person separately, and they can send a note back."
)


def add_purpose(apps: Apps, schema_editor=None) -> None:
    apps.get_model("children", "ConsentPurpose").objects.update_or_create(
        nursery=None, code=CODE, defaults={"name": NAME, "description": DESCRIPTION, "order": 5}
    )


def restore_purpose(sender: AppConfig, apps: Apps = global_apps, **kwargs) -> None:
    try:
        apps.get_model("children", "ConsentPurpose")
    except LookupError:  # migrated back to before consents existed
        return
    add_purpose(apps)
