"""The transitions app: room moves, leavers, the transition report and the leaver pack."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TransitionsConfig(AppConfig):
    name = "transitions"
    verbose_name = "Transitions"

    def ready(self) -> None:
        from children.panels import Panel, register
        from keyworker.key_children import register_due_items
        from nursery.rooms import register_archive_check

        from .carer_links.purpose import restore_purpose
        from .carer_links.selectors import carer_panel
        from .leaver_pack.selectors import pack_panel
        from .plans.selectors import child_panel, moves_into_room
        from .school_links import receivers  # noqa: F401  (consent withdrawn: school link e-mails stay unsent)
        from .school_links.selectors import school_panel
        from .starters.selectors import settling_panel, starter_due_items

        register(Panel(template="transitions/_child_panel.html", context=child_panel, order=15))
        register(Panel(template="transitions/_settling_panel.html", context=settling_panel, order=14))
        register(Panel(template="transitions/_child_pack_panel.html", context=pack_panel, order=59))
        register(Panel(template="transitions/_school_panel.html", context=school_panel, order=60))
        register_due_items(starter_due_items)  # "My key children": starters without a settling-in plan
        register(Panel(template="transitions/_carers_panel.html", context=carer_panel, order=61))
        post_migrate.connect(restore_purpose, sender=self, dispatch_uid="transitions.restore_carer_purpose")
        register_archive_check(moves_into_room)  # a room children are planned to move into is not archived
