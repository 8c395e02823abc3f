from django.db import models

# The two stages of judging, the same as a criterion's: one enum, named once.
from awards.enums import Stage  # noqa: F401


class LivedExperience(models.TextChoices):
    NONE = "none", "No"
    USES_SERVICES = "uses_services", "Yes, I use care and support services"
    UNPAID_CARER = "unpaid_carer", "Yes, I am an unpaid carer"


class ConflictType(models.TextChoices):
    EMPLOYMENT = "employment", "Employment (now or in the last 3 years)"
    FINANCIAL = "financial", "Financial interest"
    PERSONAL = "personal", "Personal relationship"
    OTHER = "other", "Other"


class PanelState(models.TextChoices):
    DRAFT = "draft", "Being set up"
    ACTIVE = "active", "Active"
    SIGNED_OFF = "signed_off", "Signed off"


class AssignmentState(models.TextChoices):
    ACTIVE = "active", "Assigned"
    REMOVED = "removed", "Removed"


class VisitState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Award(models.TextChoices):
    WINNER = "winner", "Winner"
    HIGHLY_COMMENDED = "highly_commended", "Highly commended"
    COMMENDED = "commended", "Commended"
    NONE = "none", "No award"


# Each workflow's moves (core.states.move): each state may become those listed.
# A signed-off panel opens again only through judging.domain.reopen_panel.
PANEL_TRANSITIONS = {
    PanelState.DRAFT: [PanelState.ACTIVE],
    PanelState.ACTIVE: [PanelState.SIGNED_OFF],
    PanelState.SIGNED_OFF: [PanelState.ACTIVE],
}

ASSIGNMENT_TRANSITIONS = {AssignmentState.ACTIVE: [AssignmentState.REMOVED], AssignmentState.REMOVED: []}

VISIT_TRANSITIONS = {VisitState.SCHEDULED: [VisitState.CANCELLED], VisitState.CANCELLED: []}


class AccessNeed(models.TextChoices):
    """A judge's communication and information needs (Accessible Information
    Standard: identify and record), and the access they need at meetings and visits."""

    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"
    BRAILLE = "braille", "Braille"
    SCREEN_READER = "screen_reader", "Documents that work with a screen reader"
    BSL_INTERPRETER = "bsl_interpreter", "A British Sign Language (BSL) interpreter"
    HEARING_LOOP = "hearing_loop", "A hearing loop"
    STEP_FREE = "step_free", "Step-free access"
    EXTRA_TIME = "extra_time", "Extra time"
    BREAKS = "breaks", "Regular breaks"
    SUPPORTER = "supporter", "A supporter with me"


class SupportKind(models.TextChoices):
    """How a supporter helped a judge score (assisted scoring)."""

    READ_ALOUD = "read_aloud", "Read the entry aloud to me"
    WROTE_SCORES = "wrote_scores", "Wrote down my scores and comments as I told them"
    EXPLAINED = "explained", "Explained words or questions"
    INTERPRETED = "interpreted", "Interpreted (for example, British Sign Language)"
    EQUIPMENT = "equipment", "Used equipment or technology for me"
    OTHER = "other", "Another way"
