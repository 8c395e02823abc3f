from django.apps import AppConfig


class RegulatorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "regulator"
    verbose_name = "Regulator directory and ratings"
