"""What the judging workflows share: the cycle's judging settings, the reason recorded when a
conflicted judge stands down, marking a category's ranking stale, and who took a
chair's decision."""

from django.utils import timezone

from ..models import JudgingSettings, Panel
from ..rules import is_chair_for


def judging_settings_for(cycle) -> JudgingSettings:
    """The cycle's judging settings, or the defaults (unsaved) until an administrator sets them."""
    return JudgingSettings.objects.filter(cycle=cycle).first() or JudgingSettings(cycle=cycle)


CONFLICT_REASON = "Conflict of interest declared"


def _scores_changed(category_id) -> None:
    """A scorecard of the category was submitted, reopened or taken off a
    judge: the cached ranking (results.cached_category_results) must not be used."""
    Panel.objects.filter(category_id=category_id).update(scores_changed_at=timezone.now())


def _judge_rankings_changed(judge) -> None:
    """Something a ranking reads of this judge changed (their lived
    experience of care): the cached rankings of their panels must not be used."""
    Panel.objects.filter(memberships__judge=judge).update(scores_changed_at=timezone.now())


def _acting(user, category) -> dict:
    """What the audit record says of who took a chair's decision."""
    return {} if is_chair_for(user, category) else {"acting_for_conflicted_chair": True}
