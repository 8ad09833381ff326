from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "transitions"
    verbose_name = "Transitions"

    def ready(self) -> None:
        from children.panels import Panel, register

        from .selectors import pack_panel

        register(Panel(template="transitions/_child_pack_panel.html", context=pack_panel, order=60))
