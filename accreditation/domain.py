"""Accreditation of courses: applications, assessment rounds, decisions,
conditions, renewal, suspension, withdrawal. One function per change, each
checking permission and state, writing the audit record in the same
transaction and queueing email after commit."""

import base64
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.enums import MembershipRole
from accounts.models import User
from accounts.rules import is_academy_staff
from core.errors import DomainError
from core.permissions import require
from core.states import move
from core.uploads import MB, UploadRefused, check_upload, storage_name, store_upload
from courses.domain import refresh_search_document
from courses.enums import COURSE_CHANGE_TRANSITIONS
from courses.models import (
    AccreditationStatus,
    Course,
    CourseChange,
    CourseChangeState,
    CourseState,
    FrameworkDomain,
    FrameworkLevel,
)
from notifications.mail import queue_rendered_email, render_email

from . import letters
from .enums import ACCREDITATION_TRANSITIONS, APPLICATION_TRANSITIONS, CONDITION_TRANSITIONS
from .models import (
    Accreditation,
    AccreditationEvent,
    AccreditationState,
    Application,
    ApplicationState,
    Assessment,
    Condition,
    ConditionState,
    Criterion,
    EvidenceFile,
    Outcome,
    Period,
    PeriodStatus,
    Round,
    Standing,
)

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


def accredited_on(course, on: date) -> bool:
    """Was the course accredited on this date? One query, true for any past
    date whatever happened later."""
    return Period.objects.filter(course=course, status=PeriodStatus.ACTIVE, starts_on__lte=on, ends_on__gte=on).exists()


def add_years(start: date, years: int) -> date:
    """The day before the same date `years` later (29 February → 28 February)."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:
        end = start.replace(year=start.year + years, day=28) + timedelta(days=1)
    return end - timedelta(days=1)


def _email_provider(application, template, context=None, attachments=None):
    recipients = User.objects.filter(
        memberships__organisation=application.course.provider_id,
        memberships__role=MembershipRole.ADMIN,
        is_active=True,
    )
    people = {u.pk: u for u in recipients}
    if application.created_by_id and application.created_by.is_active:
        people.setdefault(application.created_by_id, application.created_by)
    for person in people.values():
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
    _email_provider(
        accreditation.application, "accreditation_status_changed", {"accreditation": accreditation, "event": event}
    )


# Provider ------------------------------------------------------------------------------


@transaction.atomic
def start_application(user, course: Course) -> Application:
    require(user, "accreditation.apply", course)
    if course.state == CourseState.WITHDRAWN:
        raise DomainError("A withdrawn course cannot be accredited")
    today = timezone.localdate()
    current = (
        Accreditation.objects.filter(course=course, state=AccreditationState.ACTIVE, valid_to__gte=today)
        .order_by("-valid_to")
        .first()
    )
    try:
        with transaction.atomic():
            application = Application.objects.create(course=course, created_by=user, renews=current)
    except IntegrityError:
        raise DomainError("This course already has an application in progress") from None
    if current is not None:
        _carry_over(current.application, application)
    audit.record(
        actor=user,
        action="application.started",
        obj=application,
        after={"course": course.title, "renews": current.number if current else None},
    )
    return application


def _carry_over(previous: Application, renewal: Application) -> None:
    """A renewal starts from what was accredited: the previous application's
    answers and its evidence (each file copied, so that either can change
    without the other), for the provider to update rather than retype."""
    Answer = renewal.answers.model
    Answer.objects.bulk_create(
        Answer(application=renewal, criterion_id=answer.criterion_id, text=answer.text)
        for answer in previous.answers.all()
    )
    for evidence in previous.evidence.filter(condition__isnull=True):
        copy = EvidenceFile(
            application=renewal,
            criterion_id=evidence.criterion_id,
            original_name=evidence.original_name,
            mimetype=evidence.mimetype,
            size=evidence.size,
            uploaded_by=evidence.uploaded_by,
        )
        suffix = "." + evidence.file.name.rsplit(".", 1)[-1] if "." in evidence.file.name else ""
        with evidence.file.open("rb") as handle:
            copy.file.save(f"accreditation/{renewal.pk}/{uuid.uuid4().hex}{suffix}", handle, save=False)
        copy.save()


def _editable(user, application) -> Application:
    application = _locked(application)
    require(user, "accreditation.edit_application", application)
    if not application.is_editable:
        raise DomainError("This application has been submitted and cannot be changed now")
    return application


@transaction.atomic
def save_answers(user, application, answers: dict[int, str]) -> Application:
    application = _editable(user, application)
    criteria = set(Criterion.objects.filter(active=True).values_list("pk", flat=True))
    for criterion_id, text in answers.items():
        if criterion_id not in criteria:
            raise DomainError("That criterion is not part of the framework")
        application.answers.update_or_create(criterion_id=criterion_id, defaults={"text": text.strip()})
    return application


@transaction.atomic
def add_evidence(user, application, upload, *, criterion=None, condition=None) -> EvidenceFile:
    application = _locked(application)
    require(user, "accreditation.edit_application", application)
    if condition is None and not application.is_editable:
        raise DomainError("This application has been submitted and cannot be changed now")
    if condition is not None and condition.state == ConditionState.MET:
        raise DomainError("This condition has already been met")
    try:
        file_type, original = check_upload(upload, allowed=EVIDENCE_KINDS, max_bytes=MAX_EVIDENCE_FILE)
    except UploadRefused as refusal:
        raise DomainError(str(refusal)) from None
    evidence = EvidenceFile(
        application=application,
        criterion=criterion,
        condition=condition,
        original_name=original,
        mimetype=file_type.mimetype,
        size=upload.size,
        uploaded_by=user,
    )
    upload.seek(0)
    try:
        store_upload(evidence.file, storage_name(f"accreditation/{application.pk}", file_type), upload)
    except UploadRefused as refusal:
        raise DomainError(str(refusal)) from None
    try:
        evidence.save()
        audit.record(actor=user, action="application.evidence_added", obj=application, after={"file": original})
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def submit_application(user, application, now=None) -> Application:
    now = now or timezone.now()
    application = _editable(user, application)
    criteria = list(Criterion.objects.filter(active=True))
    answers = {a.criterion_id: a.text for a in application.answers.all()}
    missing = [c.title for c in criteria if not answers.get(c.pk)]
    if missing:
        raise DomainError(f"Answer every criterion before submitting: {'; '.join(missing)}")
    files = {}
    for evidence in application.evidence.filter(condition__isnull=True):
        files.setdefault(str(evidence.criterion_id), []).append(evidence.original_name)
    application.round += 1
    Round.objects.create(
        application=application,
        number=application.round,
        submitted_at=now,
        answers={
            str(c.pk): {"criterion": c.title, "answer": answers[c.pk], "files": files.get(str(c.pk), [])}
            for c in criteria
        },
    )
    before = application.state
    move(application, ApplicationState.SUBMITTED, APPLICATION_TRANSITIONS)
    application.submitted_at = now
    application.save()
    audit.record(
        actor=user,
        action="application.submitted",
        obj=application,
        before={"state": before},
        after={"state": application.state, "round": application.round},
    )
    return application


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
    require(assessor, "accreditation.assess", application)
    if application.state != ApplicationState.SUBMITTED:
        raise DomainError("Only a submitted application can be returned")
    if not comments.strip():
        raise DomainError("Say what more information is needed")
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
    _email_provider(application, "application_returned", {"comments": comments.strip()})
    return application


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
    move(application, decision, APPLICATION_TRANSITIONS)
    application.decided_at = now
    application.decided_by = assessor
    application.decision_reasons = reasons.strip()
    application.save()
    accreditation = None
    if decision != ApplicationState.REFUSED:
        renews = application.renews
        if renews is not None and renews.state == AccreditationState.ACTIVE and renews.valid_to >= today:
            start = renews.valid_to + timedelta(days=1)
        else:
            start = valid_from or today
        accreditation = Accreditation.objects.create(
            course=application.course,
            application=application,
            number=f"NSA-{start.year}-{application.pk:05d}",
            valid_from=start,
            valid_to=add_years(start, DEFAULT_YEARS),
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
    pdf = letters.decision_letter(application)
    _email_provider(
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


def _split_period(accreditation, on: date, *, from_status, to_status) -> Period:
    """Ends the period containing `on` the day before, and starts `to_status`
    (or nothing, for withdrawal) from `on` to the period's original end.
    Dates before `on` keep their answer."""
    period = (
        Period.objects.select_for_update()
        .filter(accreditation=accreditation, status=from_status, starts_on__lte=on, ends_on__gte=on)
        .first()
    )
    if period is None:
        raise DomainError("The accreditation is not in force on that date")
    original_end = period.ends_on
    if period.starts_on == on:
        period.delete()
    else:
        period.ends_on = on - timedelta(days=1)
        period.save()
    if to_status is not None:
        return Period.objects.create(
            course=accreditation.course,
            accreditation=accreditation,
            status=to_status,
            starts_on=on,
            ends_on=original_end,
        )
    return period


def _locked_accreditation(accreditation) -> Accreditation:
    return (
        Accreditation.objects.select_for_update(of=("self",))
        .select_related("course", "application__course__provider", "application__created_by")
        .get(pk=accreditation.pk)
    )


@transaction.atomic
def suspend(staff, accreditation, *, reason: str, on: date | None = None) -> Accreditation:
    """Only an accreditation in force on the day can be suspended: not one
    that has expired, been renewed or not yet started."""
    require(staff, "accreditation.manage")
    on = on or timezone.localdate()
    accreditation = _locked_accreditation(accreditation)
    standing = accreditation.standing_on(on)
    if standing not in Standing.in_force():
        raise DomainError(
            f"Only an accreditation in force can be suspended: this one is {Standing(standing).label.lower()}"
        )
    if not reason.strip():
        raise DomainError("Give the reason for suspending the accreditation")
    _split_period(accreditation, on, from_status=PeriodStatus.ACTIVE, to_status=PeriodStatus.SUSPENDED)
    move(accreditation, AccreditationState.SUSPENDED, ACCREDITATION_TRANSITIONS)
    accreditation.status_reason = reason.strip()
    accreditation.save()
    event = _event(accreditation, AccreditationEvent.Kind.SUSPENDED, by=staff, effective_on=on, reason=reason.strip())
    audit.record(
        actor=staff,
        action="accreditation.suspended",
        obj=accreditation,
        before={"state": "active"},
        after={"state": "suspended", "from": str(on)},
        reason=reason.strip(),
    )
    sync_course(accreditation.course)
    _email_status_change(accreditation, event)
    return accreditation


@transaction.atomic
def reinstate(staff, accreditation, *, reason: str, on: date | None = None) -> Accreditation:
    require(staff, "accreditation.manage")
    on = on or timezone.localdate()
    accreditation = _locked_accreditation(accreditation)
    standing = accreditation.standing_on(on)
    if standing != Standing.SUSPENDED:
        raise DomainError(
            f"Only a suspended accreditation still within its dates can be reinstated: this one is "
            f"{Standing(standing).label.lower()}"
        )
    if not reason.strip():
        raise DomainError("Give the reason for reinstating the accreditation")
    _split_period(accreditation, on, from_status=PeriodStatus.SUSPENDED, to_status=PeriodStatus.ACTIVE)
    move(accreditation, AccreditationState.ACTIVE, ACCREDITATION_TRANSITIONS)
    accreditation.status_reason = reason.strip()
    accreditation.save()
    event = _event(accreditation, AccreditationEvent.Kind.REINSTATED, by=staff, effective_on=on, reason=reason.strip())
    audit.record(
        actor=staff,
        action="accreditation.reinstated",
        obj=accreditation,
        before={"state": "suspended"},
        after={"state": "active", "from": str(on)},
        reason=reason.strip(),
    )
    sync_course(accreditation.course)
    _email_status_change(accreditation, event)
    return accreditation


@transaction.atomic
def withdraw(staff, accreditation, *, reason: str, on: date | None = None, for_cause: bool = False) -> Accreditation:
    """Withdraws the accreditation from `on`. `for_cause`: the course never
    met what it claimed (misrepresentation, for example), so the credentials
    issued for completing it are revoked too (leaders.credentials)."""
    require(staff, "accreditation.manage")
    on = on or timezone.localdate()
    accreditation = _locked_accreditation(accreditation)
    if accreditation.state == AccreditationState.WITHDRAWN:
        raise DomainError("This accreditation has already been withdrawn")
    if not reason.strip():
        raise DomainError("Give the reason for withdrawing the accreditation")
    status = PeriodStatus.ACTIVE if accreditation.state == AccreditationState.ACTIVE else PeriodStatus.SUSPENDED
    before = accreditation.state
    if Period.objects.filter(accreditation=accreditation, starts_on__lte=on, ends_on__gte=on).exists():
        _split_period(accreditation, on, from_status=status, to_status=None)
    Period.objects.filter(accreditation=accreditation, starts_on__gt=on).delete()
    move(accreditation, AccreditationState.WITHDRAWN, ACCREDITATION_TRANSITIONS)
    accreditation.status_reason = reason.strip()
    accreditation.save()
    event = _event(
        accreditation,
        AccreditationEvent.Kind.WITHDRAWN,
        by=staff,
        effective_on=on,
        reason=reason.strip() + (" (for cause: credentials revoked)" if for_cause else ""),
    )
    audit.record(
        actor=staff,
        action="accreditation.withdrawn",
        obj=accreditation,
        before={"state": before},
        after={"state": "withdrawn", "from": str(on), "for_cause": for_cause},
        reason=reason.strip(),
    )
    sync_course(accreditation.course)
    if for_cause:
        for follow in AFTER_WITHDRAWN_FOR_CAUSE:
            follow(staff, accreditation, f"The course's accreditation was withdrawn: {reason.strip()}")
    _email_status_change(accreditation, event)
    return accreditation


@transaction.atomic
def submit_condition_response(user, condition, *, response: str) -> Condition:
    condition = (
        Condition.objects.select_for_update().select_related("accreditation__course__provider").get(pk=condition.pk)
    )
    require(user, "accreditation.respond_to_condition", condition)
    if condition.state == ConditionState.MET:
        raise DomainError("This condition has already been met")
    if not response.strip() and not condition.evidence.exists():
        raise DomainError("Explain how the condition is met, or upload evidence")
    condition.response = response.strip()
    move(condition, ConditionState.EVIDENCE_SUBMITTED, CONDITION_TRANSITIONS)
    condition.save()
    audit.record(
        actor=user,
        action="condition.evidence_submitted",
        obj=condition.accreditation,
        after={"condition": condition.pk},
    )
    return condition


@transaction.atomic
def mark_condition_met(staff, condition, now=None) -> Condition:
    require(staff, "accreditation.manage")
    condition = Condition.objects.select_for_update().select_related("accreditation__course").get(pk=condition.pk)
    if condition.state == ConditionState.MET:
        raise DomainError("This condition has already been met")
    move(condition, ConditionState.MET, CONDITION_TRANSITIONS)
    condition.met_at = now or timezone.now()
    condition.met_by = staff
    condition.save()
    audit.record(actor=staff, action="condition.met", obj=condition.accreditation, after={"condition": condition.pk})
    sync_course(condition.accreditation.course)
    return condition


def sync_course(course: Course, today: date | None = None) -> None:
    """Copies the accreditation in force today onto the course, for the
    register's search and pages. The history itself stays in Period rows."""
    today = today or timezone.localdate()
    periods = list(Period.objects.filter(course=course).select_related("accreditation").order_by("starts_on"))
    covering = next((p for p in periods if p.starts_on <= today <= p.ends_on), None)
    latest = Accreditation.objects.filter(course=course).order_by("-valid_from", "-pk").first()
    fields = {
        "accreditation_status": AccreditationStatus.NONE,
        "accreditation_number": "",
        "accredited_from": None,
        "accredited_to": None,
    }
    if covering is not None:
        accreditation = covering.accreditation
        end = covering.ends_on
        for period in periods:  # a renewal that follows without a gap extends the range
            if period.status == PeriodStatus.ACTIVE and period.starts_on == end + timedelta(days=1):
                end = period.ends_on
        if covering.status == PeriodStatus.SUSPENDED:
            status = AccreditationStatus.SUSPENDED
        elif accreditation.conditions.exclude(state=ConditionState.MET).exists():
            status = AccreditationStatus.CONDITIONS
        else:
            status = AccreditationStatus.ACCREDITED
        fields.update(
            accreditation_status=status,
            accreditation_number=accreditation.number,
            accredited_from=covering.starts_on,
            accredited_to=end,
        )
    elif latest is not None:
        fields.update(
            accreditation_status=AccreditationStatus.WITHDRAWN
            if latest.state == AccreditationState.WITHDRAWN
            else AccreditationStatus.NONE,
            accreditation_number=latest.number,
            accredited_from=latest.valid_from,
            accredited_to=latest.valid_to,
        )
    Course.objects.filter(pk=course.pk).update(**fields)
    # Whether a completion counts depends on the course's accreditation history.
    for follow in AFTER_COURSE_ACCREDITATION_CHANGED:
        follow(course)


def sync_changed_courses(today: date | None = None) -> int:
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    course_ids = set(Period.objects.filter(starts_on=today).values_list("course_id", flat=True)) | set(
        Period.objects.filter(ends_on=yesterday).values_list("course_id", flat=True)
    )
    for course in Course.objects.filter(pk__in=course_ids):
        sync_course(course, today)
    return len(course_ids)


# Changes to accredited courses ----------------------------------------------------------------


def current_accreditation(course) -> Accreditation | None:
    """The course's latest accreditation not withdrawn: the one a change is judged against."""
    return (
        Accreditation.objects.filter(course=course)
        .exclude(state=AccreditationState.WITHDRAWN)
        .order_by("-valid_from", "-pk")
        .first()
    )


def _pending(change) -> CourseChange:
    change = CourseChange.objects.select_for_update().select_related("course__provider").get(pk=change.pk)
    if change.state != CourseChangeState.PENDING:
        raise DomainError("This change has already been decided")
    return change


def _email_change(course, change, accreditation):
    if accreditation is None:
        return
    _email_provider(accreditation.application, "course_change_decided", {"change": change, "course": course})


@transaction.atomic
def accept_course_change(staff, change, now=None) -> CourseChange:
    """An assessor accepts a change to an accredited course: the course takes
    the proposed values, the accreditation stands, and its history says so."""
    require(staff, "accreditation.manage")
    now = now or timezone.now()
    change = _pending(change)
    course = Course.objects.select_for_update().get(pk=change.course_id)
    proposed = change.proposed
    course.title = proposed["title"]
    course.provider_id = proposed["provider"]
    course.delivery_mode = proposed["delivery_mode"]
    course.duration_hours = Decimal(proposed["duration_hours"])
    course.designed_for_social_care = proposed["designed_for_social_care"]
    course.save()
    course.levels.set(FrameworkLevel.objects.filter(slug__in=proposed["levels"]))
    course.domains.set(FrameworkDomain.objects.filter(slug__in=proposed["domains"]))
    refresh_search_document([course.pk])
    move(change, CourseChangeState.ACCEPTED, COURSE_CHANGE_TRANSITIONS)
    change.decided_by, change.decided_at = staff, now
    change.save()
    accreditation = current_accreditation(course)
    if accreditation is not None:
        _event(
            accreditation,
            AccreditationEvent.Kind.CHANGE_ACCEPTED,
            by=staff,
            effective_on=timezone.localdate(now),
            reason=change.summary,
            at=now,
        )
    audit.record(actor=staff, action="course.change_accepted", obj=course, after={"change": change.summary})
    _email_change(course, change, accreditation)
    return change


@transaction.atomic
def refer_course_change(staff, change, *, reason: str, now=None) -> CourseChange:
    """The change is too great for the accreditation to stand for it: the
    course keeps its accredited values, and the provider is asked to apply for
    re-accreditation of the course as it now is."""
    require(staff, "accreditation.manage")
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError("Say why the change needs re-assessment")
    change = _pending(change)
    move(change, CourseChangeState.REFERRED, COURSE_CHANGE_TRANSITIONS)
    change.decided_by, change.decided_at, change.reason = staff, now, reason.strip()
    change.save()
    accreditation = current_accreditation(change.course)
    if accreditation is not None:
        _event(
            accreditation,
            AccreditationEvent.Kind.CHANGE_REFERRED,
            by=staff,
            effective_on=timezone.localdate(now),
            reason=f"{change.summary}. {reason.strip()}",
            at=now,
        )
    audit.record(
        actor=staff,
        action="course.change_referred",
        obj=change.course,
        after={"change": change.summary},
        reason=reason.strip(),
    )
    _email_change(change.course, change, accreditation)
    return change
