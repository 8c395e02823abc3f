"""Staff exports of judging data and the per-judge score distribution."""

import statistics

from django.utils import timezone

from .enums import AssignmentState, Stage
from .models import CriterionScore, SiteVisit
from .results import category_results, weighted_total


def _local(instant):
    return timezone.localtime(instant).strftime("%Y-%m-%d %H:%M") if instant else ""


def score_rows(cycle):
    header = ["Reference", "Category", "Stage", "Judge", "Criterion", "Score", "Maximum", "Comment", "Submitted"]
    scores = (
        CriterionScore.objects.filter(assignment__nomination__cycle=cycle, assignment__state=AssignmentState.ACTIVE)
        .select_related("assignment__nomination__category", "assignment__judge", "criterion")
        .order_by(
            "assignment__nomination__reference", "assignment__stage", "assignment__judge__email", "criterion__order"
        )
    )

    def rows():
        for s in scores.iterator(chunk_size=2000):
            a = s.assignment
            yield [
                a.nomination.reference,
                a.nomination.category.name,
                a.get_stage_display(),
                a.judge.email,
                s.criterion.name,
                s.score,
                s.criterion.max_score,
                s.comment,
                _local(a.submitted_at),
            ]

    return header, rows()


def ranking_rows(cycle):
    from . import domain

    header = [
        "Category",
        "Stage",
        "Rank",
        "Reference",
        "Judges",
        "Mean",
        "Normalised",
        "Spread",
        "Disagreement",
        "Needs casting decision",
    ]
    settings = domain.judging_settings_for(cycle)
    threshold, minimum = settings.disagreement_threshold, settings.min_scorecards_for_normalisation

    def rows():
        for category in cycle.categories.all():
            for stage, label in Stage.choices:
                for r in category_results(category, stage, threshold, min_scorecards=minimum):
                    yield [
                        category.name,
                        label,
                        r.rank,
                        r.reference,
                        r.judge_count,
                        round(r.mean, 2),
                        round(r.normalised, 2),
                        round(r.spread, 2),
                        "Yes" if r.disagreement else "",
                        "Yes" if r.needs_casting_vote else "",
                    ]

    return header, rows()


def visit_rows(cycle):
    header = [
        "Reference",
        "Category",
        "Service",
        "Starts",
        "Ends",
        "Address",
        "Judges",
        "Provider contact",
        "State",
        "Report submitted",
    ]
    visits = (
        SiteVisit.objects.filter(nomination__cycle=cycle)
        .select_related("nomination__category")
        .prefetch_related("judges")
        .order_by("starts_at")
    )

    def rows():
        for v in visits:
            yield [
                v.nomination.reference,
                v.nomination.category.name,
                v.nomination.service_name,
                _local(v.starts_at),
                _local(v.ends_at),
                " ".join(v.address.split()),
                "; ".join(j.email for j in v.judges.all()),
                f"{v.provider_contact_name} <{v.provider_contact_email}>",
                v.get_state_display(),
                _local(v.report_submitted_at),
            ]

    return header, rows()


EXPORTS = {"scores": score_rows, "rankings": ranking_rows, "visits": visit_rows}


def judge_distribution(cycle):
    """Each judge's written-stage totals: count, mean, lowest, highest, and a
    five-band histogram, to spot harsh or lenient scoring."""
    criteria_by_category = {
        c.pk: list(c.criteria.filter(stage=Stage.WRITTEN).values_list("id", "weight", "max_score"))
        for c in cycle.categories.all()
    }
    cards = {}
    scores = CriterionScore.objects.filter(
        assignment__nomination__cycle=cycle,
        assignment__stage=Stage.WRITTEN,
        assignment__state=AssignmentState.ACTIVE,
        assignment__submitted_at__isnull=False,
        score__isnull=False,
    ).values_list(
        "assignment_id", "assignment__judge__email", "assignment__nomination__category_id", "criterion_id", "score"
    )
    for assignment_id, email, category_id, criterion_id, score in scores:
        card = cards.setdefault(assignment_id, {"email": email, "category": category_id, "scores": {}})
        card["scores"][criterion_id] = score
    totals = {}
    for card in cards.values():
        totals.setdefault(card["email"], []).append(
            weighted_total(card["scores"], criteria_by_category[card["category"]])
        )
    rows = []
    for email, values in sorted(totals.items()):
        bands = [0] * 5
        for value in values:
            bands[min(4, int(value // 20))] += 1
        rows.append(
            {
                "judge": email,
                "count": len(values),
                "mean": statistics.fmean(values),
                "lowest": min(values),
                "highest": max(values),
                "bands": [(f"{i * 20}–{i * 20 + 20}", n, 100 * n / len(values)) for i, n in enumerate(bands)],
            }
        )
    return rows
