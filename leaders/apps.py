from django.apps import AppConfig


class LeadersConfig(AppConfig):
    """Leaders' profiles, completions and portfolios, DASS appointments and
    the credentials issued for completions. Depends on courses and
    accreditation; neither imports it."""

    name = "leaders"
    verbose_name = "Leaders"

    def ready(self):
        from core.credentials import register_status_model

        from . import domain
        from .models import IssuedCredential

        domain.follow_accreditation_changes()
        register_status_model(IssuedCredential)
