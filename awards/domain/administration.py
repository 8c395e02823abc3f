"""Administrators decide eligibility and grant extensions."""

from django.db import transaction
from django.utils import timezone

from accounts import audit
from core.errors import DomainError
from core.permissions import require

from ..enums import IneligibilityReason, NominationState
from ..models import (
    Nomination,
)
from ._common import _locked, email_provider, transition

# Administration ---------------------------------------------------------------


@transaction.atomic
def decide_eligibility(user, nomination, *, eligible: bool, reason_code: str = "", note: str = "") -> Nomination:
    nomination = _locked(nomination)
    require(user, "awards.decide_eligibility", nomination)
    if not eligible and reason_code not in IneligibilityReason.values:
        raise DomainError("Select the reason the nomination is not eligible")
    if not eligible and reason_code == IneligibilityReason.OTHER and not note.strip():
        raise DomainError("Explain the reason the nomination is not eligible")
    nomination.ineligibility_reason = "" if eligible else reason_code
    nomination.eligibility_note = note.strip()
    target = NominationState.ELIGIBLE if eligible else NominationState.INELIGIBLE
    transition(
        nomination,
        target,
        actor=user,
        reason=note.strip(),
        extra={} if eligible else {"reason_code": reason_code},
    )
    email_provider(nomination, "eligibility_decided")
    return nomination


@transaction.atomic
def grant_extension(user, nomination, *, until, reason: str, now=None) -> Nomination:
    now = now or timezone.now()
    nomination = _locked(nomination)
    require(user, "awards.grant_extension", nomination)
    if not nomination.is_draft:
        raise DomainError("Only a draft nomination can be given an extension")
    if not reason.strip():
        raise DomainError("Enter why the extension is granted")
    if until <= nomination.cycle.nominations_close:
        raise DomainError("The extension must end after the cycle's closing time")
    if until <= now:
        raise DomainError("The extension must end in the future")
    if until >= nomination.cycle.scoring_deadline:
        raise DomainError("The extension must end before the scoring deadline")
    before = nomination.extended_close
    nomination.extended_close = until
    nomination.extension_reason = reason.strip()
    nomination.extension_granted_by = user
    nomination.extension_granted_at = now
    nomination.save()
    audit.record(
        actor=user,
        action="nomination.extension_granted",
        obj=nomination,
        before={"extended_close": before.isoformat() if before else None},
        after={"extended_close": until.isoformat()},
        reason=nomination.extension_reason,
    )
    email_provider(nomination, "extension_granted")
    return nomination
