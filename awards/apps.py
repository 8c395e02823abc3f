from django.apps import AppConfig


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"

    def ready(self):
        from core.credentials import register_status_model

        from .models import AwardCredential

        register_status_model(AwardCredential)
