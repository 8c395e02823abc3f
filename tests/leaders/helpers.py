"""Helpers for the leaders tests, also used by tests elsewhere that need an accredited course."""

from accreditation.models import Accreditation, Application, Period


def accredit_course(course, start, end, staff):
    """An accreditation in force from start to end (inclusive)."""
    application = Application.objects.create(course=course, state="accredited", round=1)
    accreditation = Accreditation.objects.create(
        course=course, application=application, number=f"NSA-T-{application.pk:05d}", valid_from=start, valid_to=end
    )
    Period.objects.create(course=course, accreditation=accreditation, status="active", starts_on=start, ends_on=end)
    return accreditation
