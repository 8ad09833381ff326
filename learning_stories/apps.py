from django.apps import AppConfig


class LearningStoriesConfig(AppConfig):
    name = "learning_stories"
    verbose_name = "Learning stories"
