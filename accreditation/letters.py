"""The decision letter, as a PDF made with WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML


def decision_letter(application) -> bytes:
    accreditation = getattr(application, "accreditation", None)
    html = render_to_string(
        "accreditation/letter.html",
        {
            "application": application,
            "course": application.course,
            "accreditation": accreditation,
            "conditions": list(accreditation.conditions.all()) if accreditation else [],
            "rounds": list(application.rounds.prefetch_related("assessments__criterion")),
            "service_name": settings.SERVICE_NAME,
            "site_url": settings.SITE_URL,
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()
