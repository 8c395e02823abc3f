"""Academy staff assessing an application: the assessor, outcomes per criterion,
returning it for more information, and the decision."""

import base64
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.rules import is_academy_staff
from core.errors import DomainError
from core.permissions import require
from core.states import move
from webhooks import events as webhook_events

from .. import credentials, letters

# Email to providers goes through the package (package._email_provider), as when
# this was one module: patching accreditation.domain._email_provider reaches it.
from .. import domain as package
from ..enums import APPLICATION_TRANSITIONS
from ..models import (
    Accreditation,
    AccreditationEvent,
    AccreditationState,
    Application,
    ApplicationState,
    Assessment,
    Condition,
    Criterion,
    Outcome,
    Period,
    PeriodStatus,
    Round,
)
from ._common import DEFAULT_YEARS, _event, _locked, add_years
from .course_sync import sync_course

# Academy staff ---------------------------------------------------------------------------------


@transaction.atomic
def assign_assessor(staff, application, assessor) -> Application:
    require(staff, "accreditation.manage")
    if not is_academy_staff(assessor):
        raise DomainError("The assessor must be a member of academy staff")
    application = _locked(application)
    if application.state in ApplicationState.decided():
        raise DomainError("This application has been decided")
    before = application.assessor.email if application.assessor else None
    application.assessor = assessor
    application.save()
    audit.record(
        actor=staff,
        action="application.assessor_assigned",
        obj=application,
        before={"assessor": before},
        after={"assessor": assessor.email},
    )
    return application


def _current_round(application) -> Round:
    current = application.rounds.filter(number=application.round).first()
    if current is None:
        raise DomainError("This application has not been submitted")
    return current


@transaction.atomic
def record_assessment(assessor, application, outcomes: dict[int, tuple[str, str]]) -> Round:
    application = _locked(application)
    require(assessor, "accreditation.assess", application)
    if application.state != ApplicationState.SUBMITTED:
        raise DomainError("Only a submitted application can be assessed")
    current = _current_round(application)
    criteria = set(Criterion.objects.filter(active=True).values_list("pk", flat=True))
    for criterion_id, (outcome, comment) in outcomes.items():
        if criterion_id not in criteria:
            raise DomainError("That criterion is not part of the framework")
        if outcome and outcome not in Outcome.values:
            raise DomainError("Choose met, partly met or not met")
        Assessment.objects.update_or_create(
            round=current, criterion_id=criterion_id, defaults={"outcome": outcome, "comment": comment.strip()}
        )
    audit.record(
        actor=assessor,
        action="application.assessed",
        obj=application,
        after={"round": current.number, "outcomes": {str(k): v[0] for k, v in outcomes.items()}},
    )
    return current


@transaction.atomic
def return_application(assessor, application, *, comments: str, now=None) -> Application:
    application = _locked(application)
    check_return(assessor, application, comments=comments)
    current = _current_round(application)
    current.returned_at = now or timezone.now()
    current.return_comments = comments.strip()
    current.save()
    move(application, ApplicationState.RETURNED, APPLICATION_TRANSITIONS)
    application.save()
    audit.record(
        actor=assessor,
        action="application.returned",
        obj=application,
        before={"state": "submitted"},
        after={"state": "returned", "round": current.number},
        reason=comments.strip(),
    )
    package._email_provider(application, "application_returned", {"comments": comments.strip()})
    return application


def check_decision(
    assessor, application, *, decision: str, reasons: str = "", conditions=(), today: date | None = None
) -> None:
    """Raises DomainError if `decide` would refuse this decision now; writes
    nothing. The assess page asks it before showing the confirmation, so a
    decision that cannot be recorded is named there, not after confirming."""
    today = today or timezone.localdate()
    require(assessor, "accreditation.assess", application)
    if application.state != ApplicationState.SUBMITTED:
        raise DomainError("Only a submitted application can be decided")
    if decision not in ApplicationState.decided():
        raise DomainError("Choose a decision")
    current = _current_round(application)
    assessed = {a.criterion_id: a.outcome for a in current.assessments.all()}
    unassessed = Criterion.objects.filter(active=True).exclude(
        pk__in=[cid for cid, outcome in assessed.items() if outcome]
    )
    if unassessed.exists():
        raise DomainError(f"Record an outcome for every criterion first: {'; '.join(c.title for c in unassessed)}")
    if decision == ApplicationState.REFUSED and not reasons.strip():
        raise DomainError("Give the reasons for refusing accreditation")
    if decision == ApplicationState.ACCREDITED_WITH_CONDITIONS:
        if not conditions:
            raise DomainError("Add at least one condition")
        if any(not text.strip() or due <= today for text, due in conditions):
            raise DomainError("Each condition needs its text and a due date in the future")


def accreditation_dates(application, valid_from: date | None = None, today: date | None = None) -> tuple[date, date]:
    """The dates an accreditation granted today would have: a renewal decided
    before the current accreditation ends starts the day after it."""
    today = today or timezone.localdate()
    renews = application.renews
    if renews is not None and renews.state == AccreditationState.ACTIVE and renews.valid_to >= today:
        start = renews.valid_to + timedelta(days=1)
    else:
        start = valid_from or today
    return start, add_years(start, DEFAULT_YEARS)


def check_return(assessor, application, *, comments: str) -> None:
    """Raises DomainError if `return_application` would refuse; writes nothing."""
    require(assessor, "accreditation.assess", application)
    if application.state != ApplicationState.SUBMITTED:
        raise DomainError("Only a submitted application can be returned")
    if not comments.strip():
        raise DomainError("Say what more information is needed")
    _current_round(application)


@transaction.atomic
def decide(
    assessor,
    application,
    *,
    decision: str,
    reasons: str = "",
    valid_from: date | None = None,
    conditions: list[tuple[str, date]] = (),
    now=None,
) -> Application:
    """Accredited (valid for three years), accredited with conditions, or
    refused with reasons. A renewal decided before the current accreditation
    ends starts the day after it, so there is no gap."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    application = _locked(application)
    check_decision(assessor, application, decision=decision, reasons=reasons, conditions=conditions, today=today)
    move(application, decision, APPLICATION_TRANSITIONS)
    application.decided_at = now
    application.decided_by = assessor
    application.decision_reasons = reasons.strip()
    application.save()
    accreditation = None
    if decision != ApplicationState.REFUSED:
        renews = application.renews
        start, end = accreditation_dates(application, valid_from, today)
        accreditation = Accreditation.objects.create(
            course=application.course,
            application=application,
            number=f"NSA-{start.year}-{application.pk:05d}",
            valid_from=start,
            valid_to=end,
        )
        Period.objects.create(
            course=application.course,
            accreditation=accreditation,
            status=PeriodStatus.ACTIVE,
            starts_on=accreditation.valid_from,
            ends_on=accreditation.valid_to,
        )
        for text, due in conditions:
            Condition.objects.create(accreditation=accreditation, text=text.strip(), due_on=due)
        _event(
            accreditation,
            AccreditationEvent.Kind.GRANTED,
            by=assessor,
            effective_on=accreditation.valid_from,
            reason=f"Renews {renews.number}" if renews is not None else "",
            at=now,
        )
        if renews is not None:
            _event(
                renews,
                AccreditationEvent.Kind.RENEWED,
                by=assessor,
                effective_on=accreditation.valid_from,
                reason=f"Renewed as {accreditation.number}",
                at=now,
            )
        credentials.issue(assessor, accreditation, now)
    audit.record(
        actor=assessor,
        action=f"application.{decision}",
        obj=application,
        before={"state": "submitted"},
        after={
            "state": decision,
            "number": accreditation.number if accreditation else None,
            "valid_from": str(accreditation.valid_from) if accreditation else None,
            "valid_to": str(accreditation.valid_to) if accreditation else None,
        },
        reason=reasons.strip(),
    )
    sync_course(application.course, today)
    if accreditation is not None:
        webhook_events.emit(webhook_events.ACCREDITATION_STATUS_CHANGED, accreditation)
    pdf = letters.decision_letter(application)
    package._email_provider(
        application,
        "application_decided",
        {"accreditation": accreditation},
        attachments=[
            {
                "filename": f"decision-{application.pk}.pdf",
                "mimetype": "application/pdf",
                "content_b64": base64.b64encode(pdf).decode(),
            }
        ],
    )
    return application
