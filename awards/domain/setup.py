"""Setting up programmes, cycles, categories, questions and criteria."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.forms.utils import from_current_timezone
from django.utils import timezone

from accounts import audit
from core.caching import RESULTS_DATA, data_changed
from core.errors import DomainError
from core.formats import uk_clock
from core.permissions import require

from ..models import (
    Category,
    Criterion,
    Cycle,
    Programme,
    Question,
    descriptor_problem,
)


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
            clock = uk_clock(local.hour, local.minute)
            problems.append(f"{label}: {clock} on {local.day} {local:%B} {local.year + shift}")
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
                score_descriptors=c.score_descriptors,
                easy_read_name=c.easy_read_name,
                easy_read_guidance=c.easy_read_guidance,
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


def _save_setup(user, item, noun: str):
    require(user, "awards.manage")
    created = item.pk is None
    item.save()
    audit.record(actor=user, action=f"{noun}.{'created' if created else 'changed'}", obj=item)
    return item


@transaction.atomic
def save_programme(user, programme: Programme) -> Programme:
    require(user, "awards.manage")
    created = programme.pk is None
    programme.save()
    audit.record(
        actor=user,
        action="programme.created" if created else "programme.changed",
        obj=programme,
        after={"name": programme.name},
    )
    return programme


@transaction.atomic
def save_category(user, category: Category) -> Category:
    return _save_setup(user, category, "category")


@transaction.atomic
def save_question(user, question: Question) -> Question:
    return _save_setup(user, question, "question")


CRITERION_WORDING = ("name", "guidance", "score_descriptors", "easy_read_name", "easy_read_guidance")


@transaction.atomic
def save_criterion(user, criterion: Criterion) -> Criterion:
    """A criterion with its score descriptors (every score from 0 to the
    maximum described once, or none) and its easy-read version. Like the
    name and guidance, these stay editable once judges have scored: only
    deleting a scored criterion is refused. The audit record keeps the
    wording each change replaced, so what a judge read when scoring is known."""
    require(user, "awards.manage")
    problem = descriptor_problem(criterion.score_descriptors, criterion.max_score)
    if problem:
        raise DomainError(problem)
    if criterion.easy_read_guidance.strip() and not criterion.easy_read_name.strip():
        raise DomainError("Enter the easy-read name as well as the easy-read guidance")
    created = criterion.pk is None
    before = {} if created else Criterion.objects.filter(pk=criterion.pk).values(*CRITERION_WORDING).first() or {}
    criterion.save()
    after = {field: getattr(criterion, field) for field in CRITERION_WORDING}
    audit.record(
        actor=user,
        action=f"criterion.{'created' if created else 'changed'}",
        obj=criterion,
        before={k: v for k, v in before.items() if v != after[k]},
        after=after if created else {k: v for k, v in after.items() if before.get(k) != v},
    )
    return criterion


@transaction.atomic
def delete_question(user, question: Question) -> None:
    """A question nobody has answered yet; once answered, its wording is
    edited instead, so no entrant's answer loses its question."""
    require(user, "awards.manage")
    audit.record(actor=user, action="question.deleted", obj=question, before={"text": question.text})
    try:
        with transaction.atomic():
            question.delete()
    except ProtectedError:
        raise DomainError("This question has answers, so it cannot be deleted. Edit its wording instead.") from None


@transaction.atomic
def delete_criterion(user, criterion: Criterion) -> None:
    """A criterion nobody has scored against yet; once scored, its wording is
    edited instead, so no judge's score loses its criterion."""
    require(user, "awards.manage")
    audit.record(actor=user, action="criterion.deleted", obj=criterion, before={"name": criterion.name})
    try:
        with transaction.atomic():
            criterion.delete()
    except ProtectedError:
        raise DomainError(
            "Judges have scored against this criterion, so it cannot be deleted. Edit its wording instead."
        ) from None
