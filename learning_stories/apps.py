from django.apps import AppConfig


class LearningStoriesConfig(AppConfig):
    name = "learning_stories"
    verbose_name = "Learning stories"

    def ready(self) -> None:
        from children.panels import Panel, register

        from .selectors import story_panel

        register(Panel(template="learning_stories/_child_story_panel.html", context=story_panel, order=20))
