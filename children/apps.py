from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "children"
    verbose_name = "Children and families"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (grants applied when an invitation is accepted)
