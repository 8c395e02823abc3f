"""Completeness, submission and withdrawal of a nomination."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.errors import DomainError
from core.formats import uk_datetime
from core.permissions import require, require_that
from notifications.mail import queue_email

from ..enums import NominationState
from ..models import (
    Cycle,
    Nomination,
    count_words,
)
from ..rules import is_nomination_member
from ._common import _locked, email_provider, transition

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
