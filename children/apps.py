"""The children app's configuration: its subject packages' models, and what it hooks up once apps are loaded."""

from importlib import import_module

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models.signals import post_migrate

# Subject packages with their own models.py; their models belong to this app (label "children").
SUBJECTS_WITH_MODELS = (
    "children.day",
    "children.medicines",
    "children.support_plans",
    "children.collection",
    "children.absences",
)


def restore_builtin_purposes(sender: AppConfig, apps: Apps = global_apps, **kwargs) -> None:
    """Put back the built-in consent purposes if ``flush`` emptied the table (as transactional tests do)."""
    try:
        apps.get_model("children", "ConsentPurpose")
    except LookupError:  # migrated back to before consents existed
        return
    import_module("children.migrations.0003_builtin_consent_purposes").add_builtin(apps, None)


class ChildrenConfig(AppConfig):
    name = "children"
    verbose_name = "Children and families"

    def import_models(self) -> None:
        """Django imports only ``children.models``; the subject packages' models are registered with it."""
        super().import_models()
        for subject in SUBJECTS_WITH_MODELS:
            import_module(f"{subject}.models")

    def ready(self) -> None:
        from accounts.standing import register_standing
        from nursery.current import register_member_nurseries
        from nursery.rooms import register_archive_check, register_children_ages
        from nursery.selectors import register_staff_audience
        from nursery.setup import Step, register_step
        from nursery.tablets import register_room_children

        from . import receivers  # noqa: F401  (grants applied when an invitation is accepted)
        from .collection.views import collection_panel
        from .medicines.views import medicines_panel
        from .panels import Panel, register, register_room_tab
        from .selectors import (
            ages_needing_a_room,
            family_nursery_ids,
            guardian_nursery_ids,
            is_guardian,
            room_children_names,
            room_in_use_by_children,
        )
        from .support_plans.views import support_plans_panel

        register_staff_audience(family_nursery_ids)  # families see who looks after their children
        register_standing(is_guardian)  # a member of staff who leaves keeps signing in as a parent
        register_member_nurseries(guardian_nursery_ids)  # a family switches between their children's nurseries
        register(Panel(template="children/_support_plans_panel.html", context=support_plans_panel, order=30))
        register(Panel(template="children/_collection_panel.html", context=collection_panel, order=35))
        register(Panel(template="children/_medicines_panel.html", context=medicines_panel, order=25))
        register_room_tab("Medicines", "children:room_medicines")  # the day's doses, beside the care log
        post_migrate.connect(restore_builtin_purposes, sender=self, dispatch_uid="children.restore_builtin_purposes")
        register_archive_check(room_in_use_by_children)  # a room with children in it is not archived
        register_room_children(room_children_names)  # the names a room's shared tablet shows
        register_children_ages(ages_needing_a_room)  # no change to rooms' ages leaves a child in no room
        register_step(
            Step(
                key="children",
                order=70,
                title="Add children and invite their families",
                explanation="Add each child, then invite their parents or carers by e-mail from the child's page, "
                "so they can follow their child's learning story. Many children at once: import a spreadsheet.",
                url_name="children:add",
                link_label="Add a child",
                more_links=(("Import children and families (CSV)", "children:import_children"),),
                is_done=lambda nursery: nursery.children.exists(),
            )
        )
