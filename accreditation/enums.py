from django.db import models


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for more information"
    ACCREDITED = "accredited", "Accredited"
    ACCREDITED_WITH_CONDITIONS = "conditions", "Accredited with conditions"
    REFUSED = "refused", "Refused"

    @classmethod
    def decided(cls):
        return [cls.ACCREDITED, cls.ACCREDITED_WITH_CONDITIONS, cls.REFUSED]

    @classmethod
    def editable(cls):
        """The applicant may change answers and evidence."""
        return [cls.DRAFT, cls.RETURNED]


class Outcome(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class PeriodStatus(models.TextChoices):
    ACTIVE = "active", "Accredited"
    SUSPENDED = "suspended", "Suspended"


class AccreditationState(models.TextChoices):
    ACTIVE = "active", "Accredited"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Standing(models.TextChoices):
    """What an accreditation is on a given day: computed in one place,
    Accreditation.standing_on, from its dates, state and conditions, and shown
    the same on every page (an expired accreditation is expired everywhere)."""

    NOT_YET = "not_yet", "Not yet in force"
    IN_FORCE = "in_force", "Accredited"
    CONDITIONS = "conditions", "Accredited with conditions"
    SUSPENDED = "suspended", "Suspended"
    EXPIRED = "expired", "Expired"
    RENEWED = "renewed", "Renewed"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @classmethod
    def in_force(cls) -> list[str]:
        return [cls.IN_FORCE, cls.CONDITIONS]


class ConditionState(models.TextChoices):
    OPEN = "open", "Open"
    EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence submitted"
    MET = "met", "Met"


# Each workflow's moves (core.states.move): each state may become those listed.
APPLICATION_TRANSITIONS = {
    ApplicationState.DRAFT: [ApplicationState.SUBMITTED],
    ApplicationState.RETURNED: [ApplicationState.SUBMITTED],
    ApplicationState.SUBMITTED: [
        ApplicationState.RETURNED,
        ApplicationState.ACCREDITED,
        ApplicationState.ACCREDITED_WITH_CONDITIONS,
        ApplicationState.REFUSED,
    ],
    ApplicationState.ACCREDITED: [],
    ApplicationState.ACCREDITED_WITH_CONDITIONS: [],
    ApplicationState.REFUSED: [],
}

# Suspension is lifted by reinstatement; withdrawal is final.
ACCREDITATION_TRANSITIONS = {
    AccreditationState.ACTIVE: [AccreditationState.SUSPENDED, AccreditationState.WITHDRAWN],
    AccreditationState.SUSPENDED: [AccreditationState.ACTIVE, AccreditationState.WITHDRAWN],
    AccreditationState.WITHDRAWN: [],
}

CONDITION_TRANSITIONS = {
    ConditionState.OPEN: [ConditionState.EVIDENCE_SUBMITTED, ConditionState.MET],
    # More evidence may follow before academy staff decide.
    ConditionState.EVIDENCE_SUBMITTED: [ConditionState.EVIDENCE_SUBMITTED, ConditionState.MET],
    ConditionState.MET: [],
}
