from django.db import models


class Rating(models.TextChoices):
    """The regulator's overall ratings, as its directory spells them."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_RATED = "not_rated", "Not rated"
    NONE = "", "No rating published"

    @classmethod
    def rank(cls, value) -> int:
        """Higher is better; 0 for no rating (not rated or none), which no
        minimum accepts and no change from counts as a downgrade."""
        return {cls.OUTSTANDING: 4, cls.GOOD: 3, cls.REQUIRES_IMPROVEMENT: 2, cls.INADEQUATE: 1}.get(value, 0)

    @classmethod
    def minimum_choices(cls) -> list[tuple[str, str]]:
        return [(c.value, c.label) for c in (cls.OUTSTANDING, cls.GOOD, cls.REQUIRES_IMPROVEMENT, cls.INADEQUATE)]


# How each rating is written in the directory file (compared lower-cased).
RATING_SPELLINGS = {
    "outstanding": Rating.OUTSTANDING,
    "good": Rating.GOOD,
    "requires improvement": Rating.REQUIRES_IMPROVEMENT,
    "inadequate": Rating.INADEQUATE,
    "not rated": Rating.NOT_RATED,
    "not applicable": Rating.NOT_RATED,
    "": Rating.NONE,
}


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    DEREGISTERED = "deregistered", "No longer registered"


class ImportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    VALIDATING = "validating", "Checking rows"
    WRITING = "writing", "Saving locations"
    DONE = "done", "Finished"
    FAILED = "failed", "Not imported"


IMPORT_TRANSITIONS = {
    ImportState.QUEUED: [ImportState.VALIDATING],
    ImportState.VALIDATING: [ImportState.WRITING, ImportState.FAILED],
    ImportState.WRITING: [ImportState.DONE, ImportState.FAILED],
    ImportState.DONE: [],
    ImportState.FAILED: [],
}


class ChangeKind(models.TextChoices):
    DEREGISTERED = "deregistered", "No longer registered"
    DOWNGRADED = "downgraded", "Rating downgraded"


class Outcome(models.TextChoices):
    """What a category's rating rule says of one nomination."""

    MEETS = "meets", "Meets the rating rule"
    DOES_NOT_MEET = "does_not_meet", "Does not meet the rating rule"
    NO_MATCH = "no_match", "No match in the regulator's directory"
    NO_RULE = "no_rule", "No rating rule for this category"
