from django.apps import AppConfig


class KeyworkerConfig(AppConfig):
    name = "keyworker"
    verbose_name = "Key person system"

    def ready(self) -> None:
        from children.panels import Panel, register

        from .selectors import key_person_on

        register(
            Panel(
                template="keyworker/_child_key_person_panel.html",
                context=lambda request, child: {"key_person": key_person_on(child)},
                order=10,
            )
        )

        from children import care_team

        from .panels import confidential_notes_panel
        from .selectors import is_key_person

        care_team.register(is_key_person)  # lets the key person fill in "All about me" in the children app
        register(Panel(template="keyworker/_confidential_notes_panel.html", context=confidential_notes_panel, order=20))
