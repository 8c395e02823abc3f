from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Building blocks shared by every app (template tags live here)."""

    name = "core"
    verbose_name = "Core"
