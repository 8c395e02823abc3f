"""Open Badges 3.0 credentials for verified completions of accredited courses.

Each credential is an `OpenBadgeCredential` (VC 2.0 form, `validFrom`) with a
Data Integrity proof using the `eddsa-jcs-2022` cryptosuite: the proof
options and the credential are canonicalised with JCS (RFC 8785), hashed with
SHA-256, and the two hashes signed with the Academy's Ed25519 key
(`OB_SIGNING_KEY`). Anyone can check a credential with the public key in the
issuer profile, and the verification page says whether it is valid, revoked,
or for a course whose accreditation was later withdrawn.

Revocation can be checked anywhere, not only on our pages: every credential
carries a `credentialStatus` entry (W3C Bitstring Status List v1.0, purpose
"revocation") pointing at one bit of a public status list, itself a signed
credential served at /credentials/status/1. A verifier fetches the list,
checks its proof, and reads the bit: 1 is revoked.

The signing code and the status lists are shared with the accreditation and
award credentials and live in core.credentials.
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accreditation.models import Accreditation, AccreditationState, Period, PeriodStatus
from core import credentials as signing
from core.credentials import (  # noqa: F401 - the signing code's home is core.credentials; these names stay here too
    CONTEXT,
    ISSUER_NAME,
    STATUS_LIST_SIZE,
    canonical,
    encode_bits,
    issuer_id,
    issuer_profile,
    public_key_multibase,
    sign,
    status_entry,
    verify_signature,
)
from core.errors import DomainError
from core.permissions import require, require_that

from .enums import CompletionState
from .models import Completion, IssuedCredential
from .rules import owns_completion


def eligible(completion) -> bool:
    """Verified, of a registered course accredited on the completion date.
    Completions from with_accreditation_on_completion answer without a query."""
    if completion.state != CompletionState.VERIFIED or completion.course_id is None:
        return False
    if hasattr(completion, "accredited_on_completion"):
        return completion.accredited_on_completion
    return _accredited_on_completion(completion.course_id, completion.completed_on).exists()


def with_accreditation_on_completion(completions):
    """Completions annotated with whether their course was accredited on the day: one query for a list."""
    return completions.annotate(
        accredited_on_completion=Exists(_accredited_on_completion(OuterRef("course"), OuterRef("completed_on")))
    )


def _accredited_on_completion(course, day):
    return Period.objects.filter(course=course, status=PeriodStatus.ACTIVE, starts_on__lte=day, ends_on__gte=day)


STATUS_LIST_NUMBER = signing.REVOCATION_LIST


def status_list_url() -> str:
    return signing.status_list_url(STATUS_LIST_NUMBER)


def status_list(now=None) -> dict:
    """The revocation list as a signed BitstringStatusListCredential: shared by
    every kind of credential the Academy issues (core.credentials)."""
    return signing.status_list(STATUS_LIST_NUMBER, now)


def _free_status_index() -> int:
    return signing.allocate_status_index()


def build(completion, credential_id: uuid.UUID, now, status_index: int | None = None) -> dict:
    course = completion.course
    accreditation = (
        Accreditation.objects.filter(
            periods__course=course,
            periods__starts_on__lte=completion.completed_on,
            periods__ends_on__gte=completion.completed_on,
        )
        .distinct()
        .first()
    )
    salt = secrets.token_hex(8)
    identity = "sha256$" + hashlib.sha256((completion.leader.email.lower() + salt).encode()).hexdigest()
    achievement_url = settings.SITE_URL + reverse("courses:detail", args=[course.pk])
    document = {
        "@context": CONTEXT,
        "id": settings.SITE_URL + reverse("credentials:verify", args=[credential_id]),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{course.title} (accredited leadership course)",
        "issuer": signing.issuer(),
        "validFrom": signing.timestamp(now),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "activityEndDate": f"{completion.completed_on.isoformat()}T00:00:00Z",
            "achievement": {
                "id": achievement_url,
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": course.title,
                "description": course.summary[:1000],
                "criteria": {
                    "narrative": f"Completed {course.title}, provided by {course.provider.name} and accredited by "
                    f"the Skills Academy ({accreditation.number if accreditation else 'accredited'}) on the date "
                    "of completion; completion verified by the Academy or the course provider."
                },
                "creator": {"id": achievement_url + "#provider", "type": ["Profile"], "name": course.provider.name},
            },
        },
    }
    if status_index is not None:
        document["credentialStatus"] = status_entry(status_index)
    return document


@transaction.atomic
def issue(user, completion) -> IssuedCredential:
    """The leader's credential for this completion, issued once."""
    completion = Completion.objects.select_related("course__provider", "leader").get(pk=completion.pk)
    require_that(owns_completion, user, completion)
    existing = IssuedCredential.objects.filter(completion=completion).first()
    if existing is not None:
        return existing
    if not eligible(completion):
        raise DomainError("Credentials are issued for verified completions of courses accredited on that date")
    now = timezone.now()
    credential_id = uuid.uuid4()
    for _ in range(20):  # a free position at random; the list has room for 131,072
        index = _free_status_index()
        try:
            with transaction.atomic():
                credential = IssuedCredential.objects.create(
                    uuid=credential_id,
                    completion=completion,
                    status_index=index,
                    document=sign(build(completion, credential_id, now, index), now),
                )
            break
        except IntegrityError:
            continue
    else:
        raise DomainError("The credential could not be issued just now: try again")
    audit.record(actor=user, action="credential.issued", obj=completion, after={"credential": str(credential_id)})
    return credential


@transaction.atomic
def revoke(staff, credential, *, reason: str) -> IssuedCredential:
    """Academy staff revoke a credential, with the reason anyone checking it reads."""
    require(staff, "leaders.manage")
    if not reason.strip():
        raise DomainError("Give the reason for revoking the credential")
    return _revoke(staff, credential, reason.strip())


def _revoke(actor, credential, reason: str) -> IssuedCredential:
    credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at:
        raise DomainError("This credential has already been revoked")
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason
    credential.save()
    audit.record(
        actor=actor,
        action="credential.revoked",
        obj=credential.completion,
        after={"credential": str(credential.uuid)},
        reason=reason,
    )
    return credential


def revoke_for_completion(actor, completion, *, reason: str) -> IssuedCredential | None:
    """A completion no longer stands (superseded by a correction): its
    credential, if one was issued and still stands, is revoked with it."""
    credential = IssuedCredential.objects.filter(completion=completion, revoked_at__isnull=True).first()
    return _revoke(actor, credential, reason) if credential else None


def revoke_for_accreditation(actor, accreditation, *, reason: str) -> int:
    """An accreditation withdrawn for cause: every credential for completing
    the course while that accreditation was in force is revoked."""
    affected = IssuedCredential.objects.filter(
        revoked_at__isnull=True,
        completion__course=accreditation.course_id,
        completion__completed_on__gte=accreditation.valid_from,
        completion__completed_on__lte=accreditation.valid_to,
    )
    revoked = 0
    for credential in affected:
        _revoke(actor, credential, reason)
        revoked += 1
    return revoked


def linkedin_url(credential) -> str:
    """The leader's "Add to LinkedIn" link for this credential."""
    course = credential.completion.course
    return signing.linkedin_url(
        name=f"{course.title} (accredited leadership course)",
        issued_at=credential.issued_at,
        cert_url=settings.SITE_URL + reverse("credentials:verify", args=[credential.uuid]),
        cert_id=str(credential.uuid),
    )


def status(credential) -> tuple[str, str]:
    """('valid' | 'revoked' | 'accreditation_withdrawn' | 'invalid', explanation)."""
    if not verify_signature(credential.document):
        return "invalid", "The credential's signature does not match: it may have been altered."
    if credential.revoked_at:
        return (
            "revoked",
            f"Revoked on {timezone.localdate(credential.revoked_at):%-d %B %Y}: {credential.revocation_reason}",
        )
    withdrawn = Accreditation.objects.filter(
        course=credential.completion.course_id, state=AccreditationState.WITHDRAWN
    ).first()
    if withdrawn is not None:
        return (
            "accreditation_withdrawn",
            f"Valid for the completion, but the course's accreditation ({withdrawn.number}) was later withdrawn.",
        )
    return "valid", "Valid: issued by the Skills Academy and not revoked."
