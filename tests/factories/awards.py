"""Cycles, categories and nominations."""

from django.utils import timezone

from .files import MINIMAL_PDF


def make_cycle(*, opens=None, closes=None, year=None, programme=None, **kwargs):
    from datetime import timedelta

    from awards.builders import build_cycle
    from awards.models import Programme

    opens = opens or timezone.now() - timedelta(days=10)
    closes = closes or timezone.now() + timedelta(days=30)
    programme = programme or Programme.objects.get_or_create(name="Social Care Accolades", reference_prefix="SCA")[0]
    return build_cycle(programme, opens=opens, closes=closes, year=year, **kwargs)


def make_category(cycle, name="Care Home Service of the Year", *, questions=((("Why is it outstanding?", 50),)), **kw):
    from awards.enums import Stage
    from awards.models import Category, Criterion, Question

    category = Category.objects.create(cycle=cycle, name=name, description=f"About {name}", **kw)
    for order, (text, limit) in enumerate(questions):
        Question.objects.create(category=category, text=text, word_limit=limit, order=order)
    Criterion.objects.create(category=category, name="Person-centred care", weight=3, max_score=10)
    Criterion.objects.create(category=category, name="Outcomes", weight=2, max_score=10)
    Criterion.objects.create(category=category, stage=Stage.SITE_VISIT, name="What we saw", weight=1)
    return category


def make_nomination(category, organisation, user, *, complete=True, state=None):
    """A draft (complete enough to submit when `complete`), or a row in `state`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards import domain
    from awards.models import Nomination

    nomination = Nomination.objects.create(
        cycle=category.cycle, category=category, organisation=organisation, created_by=user
    )
    if complete:
        nomination.service_name = f"{organisation.name} – Rose House"
        nomination.service_address = "1 High Street\nTown"
        nomination.service_regulator_number = "1-123456789"
        nomination.user_statement = "They listen to me."
        nomination.user_statement_by = "A resident"
        nomination.user_statement_consent = True
        nomination.consent_to_publish = True
        nomination.save()
        domain.save_answers(user, nomination, {q.pk: "Because people come first." for q in category.questions.all()})
        domain.add_evidence(user, nomination, SimpleUploadedFile("report.pdf", MINIMAL_PDF))
    if state:
        Nomination.objects.filter(pk=nomination.pk).update(state=state, reference=f"SCA-{nomination.pk:05d}")
        nomination.refresh_from_db()
    return nomination


# Judging ----------------------------------------------------------------------
