from django.apps import AppConfig


class LeadersConfig(AppConfig):
    """Leaders' profiles, completions and portfolios, DASS appointments and
    the credentials issued for completions. Depends on courses and
    accreditation; neither imports it."""

    name = "leaders"
    verbose_name = "Leaders"

    def ready(self):
        from . import domain

        domain.follow_accreditation_changes()
