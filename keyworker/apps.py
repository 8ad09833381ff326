"""The key person system's app: registers its child-page panels, room tabs and care-team checks."""

from importlib import import_module

from django.apps import AppConfig

# Subject packages with their own models.py; their models belong to this app (label "keyworker").
SUBJECTS_WITH_MODELS = ("keyworker.personal_plans",)


class KeyworkerConfig(AppConfig):
    name = "keyworker"
    verbose_name = "Key person system"

    def import_models(self) -> None:
        """Django imports only ``keyworker.models``; the subject packages' models are registered with it."""
        super().import_models()
        for subject in SUBJECTS_WITH_MODELS:
            import_module(f"{subject}.models")

    def ready(self) -> None:
        from children import care_team
        from children.absences.services import absence_reported
        from children.panels import Panel, register, register_room_tab

        from .absence_notices import tell_key_person
        from .panels import confidential_notes_panel, key_person_panel
        from .personal_plans.views import personal_plan_panel
        from .selectors import key_children_among, may_read_confidential_notes

        register(Panel(template="keyworker/_child_key_person_panel.html", context=key_person_panel, order=10))
        register(Panel(template="keyworker/_confidential_notes_panel.html", context=confidential_notes_panel, order=20))
        register(Panel(template="keyworker/personal_plans/_panel.html", context=personal_plan_panel, order=25))
        care_team.register(key_children_among)  # lets the key person fill in "All about me" in the children app
        register_room_tab("Feedback", "keyworker:room_feedback")
        register_room_tab("Planning", "keyworker:plan_board")
        care_team.register_close_team(may_read_confidential_notes)  # who works on a child's support plan
        absence_reported.connect(tell_key_person, dispatch_uid="keyworker.tell_key_person")
