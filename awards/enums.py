from django.db import models


class NominationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ELIGIBLE = "eligible", "Eligible"
    INELIGIBLE = "ineligible", "Not eligible"
    SHORTLISTED = "shortlisted", "Shortlisted"
    NOT_SHORTLISTED = "not_shortlisted", "Not shortlisted"
    FINALIST = "finalist", "Finalist"
    WINNER = "winner", "Winner"
    HIGHLY_COMMENDED = "highly_commended", "Highly commended"
    COMMENDED = "commended", "Commended"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @classmethod
    def entered(cls) -> list[str]:
        """Everything that was submitted and not withdrawn: an entry."""
        return [s for s in cls.values if s not in (cls.DRAFT, cls.WITHDRAWN)]

    @classmethod
    def results(cls) -> list[str]:
        return [cls.WINNER, cls.HIGHLY_COMMENDED, cls.COMMENDED]

    @classmethod
    def withdrawable(cls) -> list[str]:
        """A nomination may be withdrawn from any state before results."""
        return [s for s in cls.values if s not in (*cls.results(), cls.WITHDRAWN)]


# The transitions the awards app allows; judging adds its own states through
# the same function. Each key may move to the states listed.
NOMINATION_TRANSITIONS = {
    NominationState.DRAFT: [NominationState.SUBMITTED, NominationState.WITHDRAWN],
    NominationState.SUBMITTED: [NominationState.ELIGIBLE, NominationState.INELIGIBLE, NominationState.WITHDRAWN],
    NominationState.ELIGIBLE: [
        NominationState.INELIGIBLE,
        NominationState.SHORTLISTED,
        NominationState.NOT_SHORTLISTED,
        NominationState.WITHDRAWN,
    ],
    NominationState.INELIGIBLE: [NominationState.ELIGIBLE, NominationState.WITHDRAWN],
    NominationState.SHORTLISTED: [
        NominationState.FINALIST,
        NominationState.NOT_SHORTLISTED,
        NominationState.WITHDRAWN,
    ],
    NominationState.NOT_SHORTLISTED: [NominationState.SHORTLISTED, NominationState.WITHDRAWN],
    NominationState.FINALIST: [
        NominationState.WINNER,
        NominationState.HIGHLY_COMMENDED,
        NominationState.COMMENDED,
        NominationState.WITHDRAWN,
    ],
    # An award is final: it goes back to finalist only when an administrator
    # withdraws the cycle's results to correct them (judging.domain.withdraw_results).
    NominationState.WINNER: [NominationState.FINALIST],
    NominationState.HIGHLY_COMMENDED: [NominationState.FINALIST],
    NominationState.COMMENDED: [NominationState.FINALIST],
    NominationState.WITHDRAWN: [],
}


class IneligibilityReason(models.TextChoices):
    SECTOR = "sector", "The organisation's sector cannot enter this category"
    KIND = "kind", "The organisation is not the kind that can enter this category"
    NOT_REGISTERED = "not_registered", "The service is not registered with the regulator"
    REGULATOR_RATING = "regulator_rating", "The service's regulator rating does not meet the entry rules"
    INCOMPLETE = "incomplete", "Required information or evidence is missing"
    NO_CONSENT = "no_consent", "The statement from a person who uses the service lacks consent"
    DUPLICATE = "duplicate", "The same service has already been entered in this category"
    OTHER = "other", "Another reason (explained below)"


class Stage(models.TextChoices):
    WRITTEN = "written", "Written stage"
    SITE_VISIT = "site_visit", "Site visit"


class EvidenceKind(models.TextChoices):
    PDF = "pdf", "PDF document"
    DOCX = "docx", "Word document"
    JPEG = "jpeg", "JPEG image"
    PNG = "png", "PNG image"
    MP4 = "mp4", "MP4 video"
