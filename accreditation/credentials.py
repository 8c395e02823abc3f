"""Accreditations as signed credentials, issued to the course provider's organisation.

When an accreditation is granted (assessment.decide, for a first
accreditation and for each renewal) the provider receives an Open Badges 3.0
credential signed like every credential of the Academy (core.credentials):
valid from the accreditation's first day to its last, naming the course,
the provider and the accreditation number.

The signed document never changes, and it carries one status entry, in the
same public revocation list as leaders' and awards' credentials (W3C
Bitstring Status List, purpose "revocation"). Revocation is final, so:

- suspension revokes the standing credential (the accreditation is not in
  force, so a verifier must not take it as such);
- reinstatement issues a new credential, valid from that day to the end of
  the accreditation: the old one stays revoked, and its page points to the
  new one;
- withdrawal revokes the standing credential, and nothing replaces it.

Each is called by the domain function that changes the accreditation
(accreditation.domain), in its transaction, and recorded in the audit log.
"""

import uuid
from datetime import datetime, time

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from core import credentials as signing

from .models import AccreditationCredential


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def public_url(credential_id) -> str:
    return settings.SITE_URL + reverse("accreditation:credential", args=[credential_id])


def build(accreditation, credential_id, now, status_index: int, valid_from) -> dict:
    """The unsigned credential: subject, the provider; achievement, the course's accreditation."""
    course = accreditation.course
    provider = course.provider
    record_url = settings.SITE_URL + reverse("accreditation:verify_number", args=[accreditation.number])
    return {
        "@context": signing.CONTEXT,
        "id": public_url(credential_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Accredited leadership course: {course.title}",
        "issuer": signing.issuer(),
        "validFrom": signing.timestamp(_start_of(valid_from)),
        "validUntil": signing.timestamp(_end_of(accreditation.valid_to)),
        "awardedDate": signing.timestamp(now),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": provider.name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "activityStartDate": signing.timestamp(_start_of(accreditation.valid_from)),
            "activityEndDate": signing.timestamp(_end_of(accreditation.valid_to)),
            "achievement": {
                "id": record_url,
                "type": ["Achievement"],
                "achievementType": "QualityAssuranceCredential",
                "name": f"Accreditation {accreditation.number}",
                "description": f"{course.title}, provided by {provider.name}, is accredited by the Skills Academy "
                f"from {accreditation.valid_from:%-d %B %Y} to {accreditation.valid_to:%-d %B %Y}.",
                "criteria": {
                    "narrative": "Assessed by the Skills Academy against every criterion of the leadership "
                    "framework for accredited courses."
                },
                "creator": signing.issuer(),
            },
        },
        "credentialStatus": signing.status_entry(status_index),
    }


def _issue(actor, accreditation, now, valid_from, action: str) -> AccreditationCredential:
    credential_id = uuid.uuid4()
    index = signing.allocate_status_index()
    credential = AccreditationCredential.objects.create(
        uuid=credential_id,
        accreditation=accreditation,
        issued_at=now,
        valid_from=valid_from,
        status_index=index,
        document=signing.sign(build(accreditation, credential_id, now, index, valid_from), now),
    )
    audit.record(actor=actor, action=action, obj=accreditation, after={"credential": str(credential_id)}, at=now)
    return credential


def _standing(accreditation) -> AccreditationCredential | None:
    return (
        AccreditationCredential.objects.select_for_update()
        .filter(accreditation=accreditation, revoked_at__isnull=True)
        .first()
    )


def issue(actor, accreditation, now=None) -> AccreditationCredential:
    """The accreditation's credential, issued once, when it is granted; in the
    transaction of the decision."""
    existing = AccreditationCredential.objects.filter(accreditation=accreditation).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    return _issue(actor, accreditation, now, accreditation.valid_from, "accreditation_credential.issued")


def _revoke(actor, accreditation, reason: str, action: str) -> AccreditationCredential | None:
    credential = _standing(accreditation)
    if credential is None:
        return None
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason
    credential.save(update_fields=["revoked_at", "revocation_reason"])
    audit.record(
        actor=actor, action=action, obj=accreditation, after={"credential": str(credential.uuid)}, reason=reason
    )
    return credential


def suspend(actor, accreditation, *, reason: str) -> AccreditationCredential | None:
    """The accreditation is suspended: its standing credential is revoked."""
    return _revoke(
        actor, accreditation, f"The accreditation was suspended: {reason}", "accreditation_credential.revoked"
    )


def reinstate(actor, accreditation, *, reason: str, on) -> AccreditationCredential | None:
    """The accreditation is reinstated from `on`: a new credential, valid from
    then to the accreditation's end (a revoked one is never restored)."""
    if not AccreditationCredential.objects.filter(accreditation=accreditation).exists():
        return None  # granted before credentials were issued
    if _standing(accreditation) is not None:
        return None
    return _issue(actor, accreditation, timezone.now(), on, "accreditation_credential.reissued")


def revoke(actor, accreditation, *, reason: str) -> AccreditationCredential | None:
    """The accreditation is withdrawn: its standing credential is revoked, for good."""
    return _revoke(
        actor, accreditation, f"The accreditation was withdrawn: {reason}", "accreditation_credential.revoked"
    )


class Status:
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET = "not_yet_valid"
    INVALID = "invalid"


def status(credential, now=None) -> tuple[str, str]:
    """(one of Status, explanation) for anyone checking the credential."""
    now = now or timezone.now()
    accreditation = credential.accreditation
    if not signing.verify_signature(credential.document):
        return Status.INVALID, "The credential's signature does not match: it may have been altered."
    if credential.revoked_at:
        return (
            Status.REVOKED,
            f"Revoked on {timezone.localdate(credential.revoked_at):%-d %B %Y}. {credential.revocation_reason}",
        )
    today = timezone.localdate(now)
    if today < credential.valid_from:
        return Status.NOT_YET, f"Valid from {credential.valid_from:%-d %B %Y}, when the accreditation starts."
    if today > accreditation.valid_to:
        return Status.EXPIRED, f"Expired on {accreditation.valid_to:%-d %B %Y}, when the accreditation ended."
    return Status.VALID, "Valid: issued by the Skills Academy, in force and not revoked."


STATUS_LABELS = {
    Status.VALID: ("Valid", "govuk-tag--green"),
    Status.REVOKED: ("Revoked", "govuk-tag--red"),
    Status.EXPIRED: ("Expired", "govuk-tag--grey"),
    Status.NOT_YET: ("Not yet valid", "govuk-tag--blue"),
    Status.INVALID: ("Not valid", "govuk-tag--red"),
}
