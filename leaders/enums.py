from django.db import models


class CompletionState(models.TextChoices):
    SELF_DECLARED = "self_declared", "Waiting for verification"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Replaced by a correction"
    WITHDRAWN = "withdrawn", "Withdrawn by you"


# A completion in these states is on the record: it counts, may be verified or
# is verified. Rejected, replaced and withdrawn ones are kept for the history only.
STANDING_COMPLETION_STATES = (CompletionState.SELF_DECLARED, CompletionState.VERIFIED)


class AppointmentKind(models.TextChoices):
    SUBSTANTIVE = "substantive", "Substantive"
    INTERIM = "interim", "Interim"


class ComplianceStatus(models.TextChoices):
    COMPLETE_VERIFIED = "complete_verified", "Complete (verified)"
    COMPLETE_AWAITING = "complete_awaiting", "Complete (awaiting verification)"
    ON_TRACK = "on_track", "On track"
    DUE_SOON = "due_soon", "Due within 12 months"
    OVERDUE = "overdue", "Overdue"


# Each workflow's moves (core.states.move): each state may become those listed.
# A verified completion is never edited: a verified correction supersedes it.
COMPLETION_TRANSITIONS = {
    CompletionState.SELF_DECLARED: [CompletionState.VERIFIED, CompletionState.REJECTED, CompletionState.WITHDRAWN],
    CompletionState.VERIFIED: [CompletionState.SUPERSEDED],
    CompletionState.REJECTED: [],
    CompletionState.SUPERSEDED: [],
    CompletionState.WITHDRAWN: [],
}
