"""Steps shared by the lived-experience and calibration tests."""

from awards.models import Category
from judging import domain
from judging.models import Assignment

from ..factories import make_eligible
from .helpers import score_all


def every_judge_scores_every_entry(world, count, *, prefix="Provider"):
    """`count` eligible nominations, each assigned to all four judges of the world."""
    Category.objects.filter(pk=world["category"].pk).update(judges_per_nomination=len(world["judges"]))
    world["category"].refresh_from_db()
    nominations = make_eligible(world["category"], count, prefix=prefix)
    domain.auto_assign(world["admin"], world["category"])
    return nominations


def score_split(nominations, lived, others):
    """Judges with lived experience of care give nominations[i] lived[i] on
    every criterion, the other judges others[i]; everything is submitted."""
    for nomination, lived_value, other_value in zip(nominations, lived, others, strict=True):
        for assignment in Assignment.objects.filter(nomination=nomination, stage="written").select_related(
            "judge__judge_profile"
        ):
            value = lived_value if assignment.judge.judge_profile.has_lived_experience else other_value
            score_all(assignment, value)
