from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo data, scale data and the benchmark (management commands)."""

    name = "devtools"
    verbose_name = "Developer tools"
