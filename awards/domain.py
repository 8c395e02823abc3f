"""Every change to cycles and nominations goes through these functions.

Each checks permission and state, writes its audit record in the same
transaction, and queues email to go after commit. Views only call them.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.forms.utils import from_current_timezone
from django.utils import timezone

from accounts import audit
from accounts.enums import MembershipRole
from accounts.models import User
from accounts.rules import is_org_member
from core.caching import RESULTS_DATA, data_changed
from core.errors import DomainError
from core.formats import uk_datetime
from core.permissions import require, require_that
from core.states import move
from core.uploads import FILE_TYPES, MB, UploadRefused, check_upload, storage_name, store_upload
from notifications.mail import queue_email

from .enums import NOMINATION_TRANSITIONS, IneligibilityReason, NominationState
from .images import ImageRefused, metadata_free_copy
from .models import (
    IMAGE_KINDS,
    Answer,
    Category,
    Criterion,
    Cycle,
    EvidenceFile,
    Nomination,
    Question,
    count_words,
)
from .rules import is_nomination_member

EVIDENCE_KINDS = ("pdf", "docx", "jpeg", "png", "mp4")
MAX_EVIDENCE_FILE = 20 * MB
MAX_EVIDENCE_TOTAL = 100 * MB


def _locked(nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update().select_related("cycle", "category", "organisation").get(pk=nomination.pk)
    )


def transition(nomination: Nomination, to_state: str, *, actor, reason: str = "", extra=None) -> Nomination:
    """Moves a locked nomination to a new state if the workflow allows it,
    and records who, when, from, to and why. Callers check permission."""
    from_state = move(nomination, to_state, NOMINATION_TRANSITIONS, noun="nomination")
    nomination.save()
    audit.record(
        actor=actor,
        action=f"nomination.{to_state}",
        obj=nomination,
        before={"state": from_state},
        after={"state": to_state, **(extra or {})},
        reason=reason,
    )
    return nomination


def _provider_recipients(nomination) -> list[User]:
    """The person who started the nomination and the organisation's admins."""
    people = {
        user.pk: user
        for user in User.objects.filter(
            memberships__organisation=nomination.organisation,
            memberships__role=MembershipRole.ADMIN,
            is_active=True,
        )
    }
    if nomination.created_by_id and nomination.created_by.is_active:
        people.setdefault(nomination.created_by_id, nomination.created_by)
    return sorted(people.values(), key=lambda user: user.email)


def email_provider(nomination, template, context=None):
    """Emails the nomination's starter and its organisation's admins (judging uses it too)."""
    for person in _provider_recipients(nomination):
        queue_email(
            to=person.email,
            recipient=person,
            template=template,
            context={"nomination": nomination, "person": person, **(context or {})},
        )


# Drafting ----------------------------------------------------------------


@transaction.atomic
def start_nomination(user, organisation, category: Category, now=None) -> Nomination:
    now = now or timezone.now()
    require_that(is_org_member, user, organisation)
    if not category.cycle.is_open(now):
        raise DomainError(f"Nominations for {category.cycle} are not open")
    problem = category.eligibility_problem(organisation)
    if problem:
        raise DomainError(problem)
    nomination = Nomination.objects.create(
        cycle=category.cycle, category=category, organisation=organisation, created_by=user
    )
    audit.record(
        actor=user,
        action="nomination.started",
        obj=nomination,
        after={"state": nomination.state, "category": category.name, "organisation": organisation.name},
    )
    return nomination


def _editable(user, nomination) -> Nomination:
    nomination = _locked(nomination)
    require_that(is_nomination_member, user, nomination)
    if not nomination.is_draft:
        raise DomainError("This nomination has been submitted and can no longer be changed")
    return nomination


@transaction.atomic
def save_service_details(user, nomination, *, service_name, service_address, service_regulator_number) -> Nomination:
    nomination = _editable(user, nomination)
    nomination.service_name = service_name.strip()
    nomination.service_address = service_address.strip()
    nomination.service_regulator_number = service_regulator_number.strip()
    nomination.save()
    return nomination


@transaction.atomic
def save_answers(user, nomination, answers: dict[int, str]) -> Nomination:
    """Saves answers as a draft; over-long answers are refused, not cut."""
    nomination = _editable(user, nomination)
    questions = {q.pk: q for q in nomination.category.questions.all()}
    for question_id, text in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise DomainError("That question is not part of this category")
        if count_words(text) > question.word_limit:
            raise DomainError(f"Your answer to “{question.text}” must be {question.word_limit} words or fewer")
        Answer.objects.update_or_create(nomination=nomination, question=question, defaults={"text": text.strip()})
    nomination.save(update_fields=["updated_at"])
    return nomination


@transaction.atomic
def save_statement(user, nomination, *, statement, given_by, consent) -> Nomination:
    nomination = _editable(user, nomination)
    nomination.user_statement = statement.strip()
    nomination.user_statement_by = given_by.strip()
    nomination.user_statement_consent = bool(consent)
    nomination.save()
    return nomination


@transaction.atomic
def save_publication_consent(user, nomination, *, consent: bool) -> Nomination:
    nomination = _editable(user, nomination)
    nomination.consent_to_publish = consent
    nomination.save()
    return nomination


@transaction.atomic
def add_evidence(user, nomination, upload, description="") -> EvidenceFile:
    """Checks the file by content and size, and the nomination's total,
    before anything is stored; a refusal leaves the draft as it was."""
    nomination = _editable(user, nomination)
    try:
        file_type, original_name = check_upload(upload, allowed=EVIDENCE_KINDS, max_bytes=MAX_EVIDENCE_FILE)
    except UploadRefused as refusal:
        raise DomainError(str(refusal)) from None
    used = nomination.evidence.aggregate(total=Sum("size"))["total"] or 0
    if used + upload.size > MAX_EVIDENCE_TOTAL:
        left = max(0, MAX_EVIDENCE_TOTAL - used) / MB
        raise DomainError(
            f"A nomination can have at most {MAX_EVIDENCE_TOTAL // MB} MB of evidence: "
            f"{left:.1f} MB is left, so choose a smaller file or remove one"
        )
    evidence = EvidenceFile(
        nomination=nomination,
        original_name=original_name,
        kind=file_type.kind,
        mimetype=file_type.mimetype,
        size=upload.size,
        description=description.strip(),
        uploaded_by=user,
    )
    upload.seek(0)
    try:
        store_upload(evidence.file, storage_name(f"evidence/{nomination.cycle_id}", file_type), upload)
    except UploadRefused as refusal:
        raise DomainError(str(refusal)) from None
    try:
        evidence.save()
        audit.record(actor=user, action="evidence.added", obj=nomination, after={"file": original_name})
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def remove_evidence(user, evidence: EvidenceFile) -> None:
    nomination = _editable(user, evidence.nomination)
    names = [f.name for f in (evidence.file, evidence.published_file) if f]
    original = evidence.original_name
    evidence.delete()
    audit.record(actor=user, action="evidence.removed", obj=nomination, before={"file": original})
    storage = evidence.file.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


@transaction.atomic
def set_image_publication(user, evidence: EvidenceFile, *, publish: bool, caption: str = "", people_consent=False):
    """The entrant chooses, image by image, what may be published if the
    nomination wins: each with a public caption (the private description is
    never published) and confirmation that everyone who can be recognised in
    it agreed. What is published is a copy without metadata (awards.images).
    Allowed at any time except for a withdrawn nomination, so consent can
    always be taken back; the winners pages change at once."""
    evidence = EvidenceFile.objects.select_for_update().select_related("nomination").get(pk=evidence.pk)
    nomination = evidence.nomination
    require_that(is_nomination_member, user, nomination)
    if not evidence.is_image:
        raise DomainError("Only JPEG and PNG images can be published")
    caption = " ".join(caption.split())
    if publish:
        if nomination.state == NominationState.WITHDRAWN:
            raise DomainError("The images of a withdrawn nomination are not published")
        if not caption:
            raise DomainError("Enter a caption to publish with the image")
        if not people_consent:
            raise DomainError("Confirm that everyone who can be recognised in the image agreed to its publication")
    before = {"publish": evidence.publish, "caption": evidence.public_caption}
    old_copy = evidence.published_file.name if evidence.published_file else ""
    if publish and not old_copy:
        try:
            with evidence.file.open("rb") as handle:
                copy = metadata_free_copy(handle, evidence.kind)
            store_upload(
                evidence.published_file,
                storage_name(f"published/{nomination.cycle_id}", FILE_TYPES[evidence.kind]),
                copy,
            )
        except (ImageRefused, UploadRefused) as refusal:
            raise DomainError(str(refusal)) from None
    elif not publish and old_copy:
        evidence.published_file = ""
        storage = evidence.file.storage
        transaction.on_commit(lambda: storage.delete(old_copy))
    evidence.publish = publish
    evidence.public_caption = caption if publish else ""
    evidence.people_consent = bool(people_consent) if publish else False
    evidence.save()
    audit.record(
        actor=user,
        action="evidence.publication_changed",
        obj=nomination,
        before={"file": evidence.original_name, **before},
        after={"publish": publish, "caption": evidence.public_caption},
    )
    data_changed(RESULTS_DATA)
    return evidence


@transaction.atomic
def save_image_publication(user, nomination, choices: dict[int, dict]) -> int:
    """Every image's choice from one form, all saved or none; returns how
    many images changed. Images not named keep their choice."""
    images = {image.pk: image for image in nomination.evidence.filter(kind__in=IMAGE_KINDS)}
    changed = 0
    for pk, choice in choices.items():
        image = images.get(pk)
        if image is None:
            raise DomainError("That image is not part of this nomination")
        caption = " ".join(choice.get("caption", "").split())
        publish, consent = bool(choice.get("publish")), bool(choice.get("people_consent"))
        if image.publish == publish and (
            not publish or (image.public_caption == caption and image.people_consent == consent)
        ):
            continue
        set_image_publication(user, image, publish=publish, caption=caption, people_consent=consent)
        changed += 1
    return changed


# Completeness and submission -----------------------------------------------


@dataclass
class Section:
    key: str
    title: str
    problems: list[str] = field(default_factory=list)
    started: bool = False

    @property
    def complete(self) -> bool:
        return not self.problems

    @property
    def status(self) -> str:
        if self.complete:
            return "Completed"
        return "In progress" if self.started else "Not yet started"


def sections(nomination: Nomination, questions=None, evidence_count=None) -> list[Section]:
    """What is complete, section by section, for the task list and for submission."""
    questions = list(nomination.category.questions.all()) if questions is None else questions
    answers = {a.question_id: a.text for a in nomination.answers.all()}
    evidence_count = nomination.evidence.count() if evidence_count is None else evidence_count

    service = Section("service", "Nominated service")
    service.started = bool(nomination.service_name or nomination.service_address)
    if not nomination.service_name:
        service.problems.append("Enter the name of the service")
    if not nomination.service_address:
        service.problems.append("Enter the address of the service")

    answer_section = Section("answers", "Answers to the category's questions")
    answer_section.started = any(answers.values())
    for question in questions:
        text = answers.get(question.pk, "")
        if not text:
            answer_section.problems.append(f"Answer “{question.text}”")
        elif count_words(text) > question.word_limit:
            answer_section.problems.append(f"Shorten your answer to “{question.text}”")

    statement = Section("statement", "Statement from a person who uses the service")
    statement.started = bool(nomination.user_statement)
    if not nomination.user_statement:
        statement.problems.append("Add a statement from a person who uses the service")
    if not nomination.user_statement_by:
        statement.problems.append("Say who gave the statement")
    if not nomination.user_statement_consent:
        statement.problems.append("Confirm the person agreed to their statement being used")

    consent = Section("consent", "Consent to publish")
    consent.started = nomination.consent_to_publish is not None
    if nomination.consent_to_publish is None:
        consent.problems.append("Say whether we may publish your entry if it wins")

    evidence = Section("evidence", "Evidence")
    evidence.started = evidence_count > 0
    if evidence_count == 0:
        evidence.problems.append("Upload at least one evidence file")

    return [service, answer_section, statement, consent, evidence]


@transaction.atomic
def submit_nomination(user, nomination, now=None) -> Nomination:
    now = now or timezone.now()
    nomination = _locked(nomination)
    require_that(is_nomination_member, user, nomination)
    if not nomination.is_draft:
        raise DomainError("This nomination has already been submitted")
    if not nomination.is_open_for_submission(now):
        raise DomainError(
            f"Nominations closed at {uk_datetime(nomination.close_instant())}. "
            "Your draft has been kept. Contact the awards team if you think you should have an extension."
        )
    problems = [problem for section in sections(nomination) for problem in section.problems]
    if problems:
        raise DomainError("; ".join(problems))
    Cycle.objects.filter(pk=nomination.cycle_id).update(reference_counter=F("reference_counter") + 1)
    counter = Cycle.objects.values_list("reference_counter", flat=True).get(pk=nomination.cycle_id)
    nomination.reference = f"{nomination.cycle.reference_code}-{counter:05d}"
    nomination.submitted_at = now
    transition(nomination, NominationState.SUBMITTED, actor=user, extra={"reference": nomination.reference})
    queue_email(
        to=user.email,
        recipient=user,
        template="nomination_submitted",
        context={"nomination": nomination, "person": user},
    )
    return nomination


@transaction.atomic
def withdraw_nomination(user, nomination, *, reason="", now=None) -> Nomination:
    now = now or timezone.now()
    nomination = _locked(nomination)
    require(user, "awards.withdraw_nomination", nomination)
    if nomination.state not in NominationState.withdrawable() or nomination.cycle.results_public(now):
        raise DomainError("A nomination cannot be withdrawn once the results have been announced")
    transition(nomination, NominationState.WITHDRAWN, actor=user, reason=reason.strip())
    if nomination.reference:
        email_provider(nomination, "nomination_withdrawn", {"reason": reason.strip()})
    return nomination


# Administration ---------------------------------------------------------------


@transaction.atomic
def decide_eligibility(user, nomination, *, eligible: bool, reason_code: str = "", note: str = "") -> Nomination:
    nomination = _locked(nomination)
    require(user, "awards.decide_eligibility", nomination)
    if not eligible and reason_code not in IneligibilityReason.values:
        raise DomainError("Select the reason the nomination is not eligible")
    if not eligible and reason_code == IneligibilityReason.OTHER and not note.strip():
        raise DomainError("Explain the reason the nomination is not eligible")
    nomination.ineligibility_reason = "" if eligible else reason_code
    nomination.eligibility_note = note.strip()
    target = NominationState.ELIGIBLE if eligible else NominationState.INELIGIBLE
    transition(
        nomination,
        target,
        actor=user,
        reason=note.strip(),
        extra={} if eligible else {"reason_code": reason_code},
    )
    email_provider(nomination, "eligibility_decided")
    return nomination


@transaction.atomic
def grant_extension(user, nomination, *, until, reason: str, now=None) -> Nomination:
    now = now or timezone.now()
    nomination = _locked(nomination)
    require(user, "awards.grant_extension", nomination)
    if not nomination.is_draft:
        raise DomainError("Only a draft nomination can be given an extension")
    if not reason.strip():
        raise DomainError("Enter why the extension is granted")
    if until <= nomination.cycle.nominations_close:
        raise DomainError("The extension must end after the cycle's closing time")
    if until <= now:
        raise DomainError("The extension must end in the future")
    if until >= nomination.cycle.scoring_deadline:
        raise DomainError("The extension must end before the scoring deadline")
    before = nomination.extended_close
    nomination.extended_close = until
    nomination.extension_reason = reason.strip()
    nomination.extension_granted_by = user
    nomination.extension_granted_at = now
    nomination.save()
    audit.record(
        actor=user,
        action="nomination.extension_granted",
        obj=nomination,
        before={"extended_close": before.isoformat() if before else None},
        after={"extended_close": until.isoformat()},
        reason=nomination.extension_reason,
    )
    email_provider(nomination, "extension_granted")
    return nomination


@transaction.atomic
def save_cycle(user, cycle: Cycle) -> Cycle:
    require(user, "awards.manage")
    cycle.full_clean()
    created = cycle.pk is None
    cycle.save()
    # The announcement instant may have moved: no cached winners page may outlive it.
    data_changed(RESULTS_DATA)
    audit.record(
        actor=user,
        action="cycle.created" if created else "cycle.changed",
        obj=cycle,
        after={field: getattr(cycle, field).isoformat() for field, _ in Cycle.TIMELINE},
    )
    return cycle


@transaction.atomic
def copy_cycle(user, cycle: Cycle, year: int) -> Cycle:
    """Next year's cycle: same categories, questions and criteria, the
    timeline moved by whole years (shown in the same local wall-clock times)."""
    require(user, "awards.manage")
    if Cycle.objects.filter(programme=cycle.programme, year=year).exists():
        raise DomainError(f"{cycle.programme} already has a {year} cycle")
    shift = year - cycle.year
    new = Cycle(
        programme=cycle.programme,
        year=year,
        anonymise_written_stage=cycle.anonymise_written_stage,
        sector_balance_margin=cycle.sector_balance_margin,
    )
    problems = []
    for field_name, label in Cycle.TIMELINE:
        try:
            setattr(new, field_name, _shift_years(getattr(cycle, field_name), shift))
        except ValidationError:
            local = timezone.localtime(getattr(cycle, field_name))
            problems.append(f"{label}: {local:%H:%M} on {local.day} {local:%B} {local.year + shift}")
    if problems:
        raise DomainError(
            f"These times happen twice, or not at all, in UK time in {year} (the clocks change then): "
            f"{'; '.join(problems)}. Change them in this cycle's timeline first, or choose another year"
        )
    new.full_clean()
    new.save()
    for category in cycle.categories.prefetch_related("questions", "criteria"):
        questions = list(category.questions.all())
        criteria = list(category.criteria.all())
        category.pk = None
        category.cycle = new
        category.save()
        Question.objects.bulk_create(
            Question(category=category, text=q.text, guidance=q.guidance, word_limit=q.word_limit, order=q.order)
            for q in questions
        )
        Criterion.objects.bulk_create(
            Criterion(
                category=category,
                stage=c.stage,
                name=c.name,
                guidance=c.guidance,
                weight=c.weight,
                max_score=c.max_score,
                order=c.order,
            )
            for c in criteria
        )
    audit.record(actor=user, action="cycle.copied", obj=new, after={"from_cycle": cycle.pk, "year": year})
    return new


def _shift_years(instant, years):
    """Same local date and time `years` later; 29 February becomes 28 February.
    A local time that happens twice or not at all that year (the clocks
    change) is refused exactly as the cycle form refuses it when typed: a
    ValidationError, never a silent choice of one reading."""
    local = timezone.localtime(instant)
    try:
        moved = local.replace(year=local.year + years, tzinfo=None)
    except ValueError:
        moved = local.replace(year=local.year + years, day=28, tzinfo=None)
    return from_current_timezone(moved)
