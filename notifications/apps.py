from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self):
        from . import registry

        # Each app's reminders.py declares its kinds and sweeps.
        registry.discover()
