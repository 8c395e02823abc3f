from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Building blocks shared by every app (template tags live here), and the
    background export job (core.export_jobs)."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from . import export_jobs

        # Each app's exports.py declares its export kinds (and its expiry sweep).
        export_jobs.discover()
