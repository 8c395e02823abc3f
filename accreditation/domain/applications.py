"""The provider's application: starting it (a renewal carries the previous
answers and evidence over), answers, evidence and submission."""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from core.errors import DomainError
from core.permissions import require
from core.states import move
from core.uploads import UploadRefused, check_upload, storage_name, store_upload
from courses.models import Course, CourseState

from ..enums import APPLICATION_TRANSITIONS
from ..models import (
    Accreditation,
    AccreditationState,
    Application,
    ApplicationState,
    ConditionState,
    Criterion,
    EvidenceFile,
    Round,
)
from ._common import EVIDENCE_KINDS, MAX_EVIDENCE_FILE, _locked

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


def unanswered_criteria(application, *, criteria=None, answers=None) -> list[Criterion]:
    """The framework's criteria this application has not answered yet, in
    order: submitting needs none (the page names each one)."""
    if criteria is None:
        criteria = list(Criterion.objects.filter(active=True))
    if answers is None:
        answers = {a.criterion_id: a.text for a in application.answers.all()}
    return [c for c in criteria if not (answers.get(c.pk) or "").strip()]


@transaction.atomic
def submit_application(user, application, now=None) -> Application:
    now = now or timezone.now()
    application = _editable(user, application)
    criteria = list(Criterion.objects.filter(active=True))
    answers = {a.criterion_id: a.text for a in application.answers.all()}
    missing = unanswered_criteria(application, criteria=criteria, answers=answers)
    if missing:
        raise DomainError(f"Answer every criterion before submitting: {'; '.join(c.title for c in missing)}")
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
