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
