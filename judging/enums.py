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
