from django.apps import AppConfig


class KeyworkerConfig(AppConfig):
    name = "keyworker"
    verbose_name = "Key person system"

    def ready(self) -> None:
        from children.panels import Panel, register

        from .selectors import child_panel

        register(Panel(template="keyworker/_child_key_person_panel.html", context=child_panel, order=10))
