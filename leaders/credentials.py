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
"""

import base64
import gzip
import hashlib
import json
import secrets
import uuid
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accreditation.models import Accreditation, AccreditationState, Period, PeriodStatus
from core.errors import DomainError
from core.permissions import require, require_that

from .enums import CompletionState
from .models import Completion, IssuedCredential
from .rules import owns_completion

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ISSUER_NAME = "National Skills Academy for Social Care"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_MULTICODEC = b"\xed\x01"


def _b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def canonical(value) -> bytes:
    """JCS (RFC 8785) for the data we sign: strings, integers, lists, objects."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _private_key() -> Ed25519PrivateKey:
    seed = settings.OB_SIGNING_KEY
    if not seed:
        path = Path(settings.VAR_DIR) / "ob_signing_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
            path.chmod(0o600)
        seed = path.read_text().strip()
    return Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(seed + "=" * (-len(seed) % 4)))


def public_key_multibase() -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = _private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + _b58encode(ED25519_MULTICODEC + raw)


def issuer_id() -> str:
    return settings.SITE_URL + reverse("credentials:issuer")


def issuer_profile() -> dict:
    return {
        "@context": CONTEXT,
        "id": issuer_id(),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": settings.SITE_URL,
        "verificationMethod": [
            {
                "id": issuer_id() + "#key-1",
                "type": "Multikey",
                "controller": issuer_id(),
                "publicKeyMultibase": public_key_multibase(),
            }
        ],
    }


def _hash_data(document: dict, proof_options: dict) -> bytes:
    return hashlib.sha256(canonical(proof_options)).digest() + hashlib.sha256(canonical(document)).digest()


def sign(document: dict, created) -> dict:
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": issuer_id() + "#key-1",
        "proofPurpose": "assertionMethod",
        "@context": document["@context"],
    }
    signature = _private_key().sign(_hash_data(document, options))
    proof = {k: v for k, v in options.items() if k != "@context"}
    proof["proofValue"] = "z" + _b58encode(signature)
    # The OB 3.0 schema wants an array of proofs.
    return {**document, "proof": [proof]}


def verify_signature(signed: dict, public_multibase: str | None = None) -> bool:
    """True when the proof matches the document and the Academy's key."""
    proofs = signed.get("proof") or [{}]
    proof = dict(proofs[0] if isinstance(proofs, list) else proofs)
    document = {k: v for k, v in signed.items() if k != "proof"}
    value = proof.pop("proofValue", "")
    if proof.get("cryptosuite") != "eddsa-jcs-2022" or not value.startswith("z"):
        return False
    options = {**proof, "@context": document.get("@context")}
    key_bytes = _b58decode((public_multibase or public_key_multibase())[1:])
    if not key_bytes.startswith(ED25519_MULTICODEC):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key_bytes[2:]).verify(_b58decode(value[1:]), _hash_data(document, options))
    except (InvalidSignature, ValueError):
        return False
    return True


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


# Bits in the status list: 16 KB, the smallest list the specification allows
# (so that a revoked credential hides among many), room for 131,072 credentials.
STATUS_LIST_SIZE = 131072
STATUS_LIST_NUMBER = 1


def status_list_url() -> str:
    return settings.SITE_URL + reverse("credentials:status_list", args=[STATUS_LIST_NUMBER])


def status_entry(index: int) -> dict:
    return {
        "id": f"{status_list_url()}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": status_list_url(),
    }


def encode_bits(indexes, size: int = STATUS_LIST_SIZE) -> str:
    """The bitstring with these positions set (position 0 is the first, most
    significant bit of the first byte), GZIP-compressed, as multibase base64url."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def status_list(now=None) -> dict:
    """The revocation list as a signed BitstringStatusListCredential."""
    now = now or timezone.now()
    revoked = IssuedCredential.objects.filter(revoked_at__isnull=False, status_index__isnull=False).values_list(
        "status_index", flat=True
    )
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": status_list_url(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{status_list_url()}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(revoked),
        },
    }
    return sign(document, now)


def _free_status_index() -> int:
    return secrets.randbelow(STATUS_LIST_SIZE)


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
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": ISSUER_NAME, "url": settings.SITE_URL},
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
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
