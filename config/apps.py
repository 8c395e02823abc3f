from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project package as an app, for project-wide commands (seed_demo)
    that bring every app's demo data together."""

    name = "config"
    verbose_name = "Project"
