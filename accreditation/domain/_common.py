"""What the accreditation workflows share: the hooks that apps above follow, the
limits on evidence, the length of an accreditation, locking an application,
history events and email to the provider."""

from datetime import date, timedelta

from django.utils import timezone

from accounts.enums import MembershipRole
from accounts.models import User
from core.uploads import MB
from notifications.mail import queue_rendered_email, render_email

# Email to providers goes through the package (package._email_provider), as when
# this was one module: patching accreditation.domain._email_provider reaches it.
from .. import domain as package
from ..models import AccreditationEvent, Application

# Apps above this one (leaders) follow changes to accreditation without this
# app importing them: at start-up each registers a function here
# (leaders.domain.follow_accreditation_changes). They run in the same
# transaction as the change, in order of registration.
# After a course's accreditation history changed: follow(course).
AFTER_COURSE_ACCREDITATION_CHANGED = []
# After an accreditation was withdrawn for cause: follow(staff, accreditation, reason).
AFTER_WITHDRAWN_FOR_CAUSE = []


EVIDENCE_KINDS = ("pdf", "docx", "jpeg", "png")
MAX_EVIDENCE_FILE = 20 * MB
DEFAULT_YEARS = 3


def _locked(application) -> Application:
    return Application.objects.select_for_update().select_related("course__provider").get(pk=application.pk)


def add_years(start: date, years: int) -> date:
    """The day before the same date `years` later (29 February → 28 February)."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:
        end = start.replace(year=start.year + years, day=28) + timedelta(days=1)
    return end - timedelta(days=1)


def provider_recipients(application) -> list[User]:
    """Who hears of changes to an application or its accreditation: the
    provider's administrators and the person who started the application."""
    recipients = User.objects.filter(
        memberships__organisation=application.course.provider_id,
        memberships__role=MembershipRole.ADMIN,
        is_active=True,
    ).order_by("email")
    people = {u.pk: u for u in recipients}
    if application.created_by_id and application.created_by.is_active:
        people.setdefault(application.created_by_id, application.created_by)
    return list(people.values())


def _email_provider(application, template, context=None, attachments=None):
    for person in provider_recipients(application):
        subject, text, html = render_email(template, {"application": application, "person": person, **(context or {})})
        queue_rendered_email(
            to=person.email,
            recipient=person,
            template=template,
            subject=subject,
            text_body=text,
            html_body=html,
            attachments=attachments,
        )


def _event(accreditation, kind, *, by, effective_on, reason="", at=None) -> AccreditationEvent:
    return AccreditationEvent.objects.create(
        accreditation=accreditation,
        kind=kind,
        by=by,
        effective_on=effective_on,
        reason=reason,
        at=at or timezone.now(),
    )


def _email_status_change(accreditation, event):
    """Providers hear of every change to their accreditation's status."""
    package._email_provider(
        accreditation.application, "accreditation_status_changed", {"accreditation": accreditation, "event": event}
    )
