from django.apps import AppConfig


class KeyworkerConfig(AppConfig):
    name = "keyworker"
    verbose_name = "Key person system"
