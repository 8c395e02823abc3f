"""Scale data: one open award cycle with its categories, questions, criteria,
nominations and their answers."""

from dataclasses import dataclass
from datetime import timedelta

from awards.builders import build_cycle
from awards.enums import NominationState, Stage
from awards.models import Answer, Category, Criterion, Cycle, Nomination, Programme, Question

from .base import WORDS, _bulk


@dataclass
class Entries:
    cycle: Cycle
    categories: list[Category]
    nominations: list[Nomination]
    written: dict[int, list[Criterion]]  # each category's written criteria


def seed_awards(sizes, rng, progress, now, people) -> Entries:
    providers, contacts = people.providers, people.contacts
    # Awards: one open cycle with its categories, questions and criteria.
    programme, _ = Programme.objects.get_or_create(name="Scale Accolades", defaults={"reference_prefix": "SC"})
    close = now + timedelta(days=30)
    cycle = build_cycle(
        programme,
        opens=now - timedelta(days=60),
        closes=close,
        year=close.year + rng.randint(10, 60),
        winners_announced=now - timedelta(days=1),
    )
    categories = _bulk(
        Category,
        (
            Category(
                cycle=cycle,
                name=f"Scale category {n:02d}",
                slug=f"scale-{n:02d}",
                description="A category for the benchmark",
                order=n,
            )
            for n in range(sizes.categories)
        ),
        progress,
        "categories",
    )
    questions = _bulk(
        Question,
        (Question(category=c, text=f"Question {q}", word_limit=500, order=q) for c in categories for q in range(3)),
        progress,
        "questions",
    )
    criteria = _bulk(
        Criterion,
        (
            Criterion(
                category=c,
                name=f"Criterion {k}",
                weight=rng.randint(1, 5),
                max_score=10,
                order=k,
                stage=Stage.WRITTEN,
            )
            for c in categories
            for k in range(6)
        ),
        progress,
        "criteria",
    )
    written = {}
    for criterion in criteria:
        written.setdefault(criterion.category_id, []).append(criterion)
    questions_by_category = {}
    for question in questions:
        questions_by_category.setdefault(question.category_id, []).append(question)

    states = [NominationState.ELIGIBLE] * 7 + [
        NominationState.SUBMITTED,
        NominationState.DRAFT,
        NominationState.INELIGIBLE,
    ]
    nominations = _bulk(
        Nomination,
        (
            Nomination(
                cycle=cycle,
                category=categories[n % len(categories)],
                organisation=providers[n % len(providers)],
                created_by=contacts[n % len(contacts)],
                state=(state := rng.choice(states)),
                reference="" if state == NominationState.DRAFT else f"SC-{n + 1:06d}",
                service_name=f"Scale Service {n}",
                service_address="1 High Street",
                consent_to_publish=True,
                user_statement="They listen to me.",
                user_statement_by="A resident",
                user_statement_consent=True,
                submitted_at=None if state == NominationState.DRAFT else now,
            )
            for n in range(sizes.nominations)
        ),
        progress,
        "nominations",
    )
    _bulk(
        Answer,
        (
            Answer(nomination=n, question=q, text=" ".join(rng.choices(WORDS, k=60)))
            for n in nominations
            for q in questions_by_category[n.category_id]
        ),
        progress,
        "answers",
    )
    return Entries(cycle, categories, nominations, written)
