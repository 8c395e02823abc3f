"""Steps shared by the judging tests: scoring an assignment, running the written stage."""

from judging import domain
from judging.models import Assignment


def score_all(assignment, value=7):
    criteria = assignment.nomination.category.criteria.filter(stage=assignment.stage)
    domain.save_scores(assignment.judge, assignment, {c.pk: (value, "Good work") for c in criteria}, submit=True)


def run_written_stage(world, nominations, scores_by_reference):
    domain.auto_assign(world["admin"], world["category"])
    for nomination in nominations:
        for assignment in Assignment.objects.filter(nomination=nomination, stage="written"):
            score_all(assignment, scores_by_reference[nomination.reference])
