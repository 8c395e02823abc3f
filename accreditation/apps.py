from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accreditation"

    def ready(self):
        from core.credentials import register_status_model

        from .models import AccreditationCredential

        register_status_model(AccreditationCredential)
