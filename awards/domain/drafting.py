"""Drafting a nomination: service details, answers, statement, consent and evidence."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts import audit
from accounts.rules import is_org_member
from core.caching import RESULTS_DATA, data_changed
from core.errors import DomainError
from core.permissions import require_that
from core.uploads import FILE_TYPES, MB, UploadRefused, check_upload, storage_name, store_upload

from ..enums import NominationState
from ..images import ImageRefused, metadata_free_copy
from ..models import (
    IMAGE_KINDS,
    Answer,
    Category,
    EvidenceFile,
    Nomination,
    count_words,
)
from ..rules import is_nomination_member
from ._common import EVIDENCE_KINDS, MAX_EVIDENCE_FILE, MAX_EVIDENCE_TOTAL, _locked

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
