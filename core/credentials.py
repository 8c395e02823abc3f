"""What every signed credential the Academy issues shares: the signing key,
the eddsa-jcs-2022 proof and its check, the issuer profile, the public
revocation list and the "Add to LinkedIn" link.

Three kinds of credential use it: leaders' credentials for accredited courses
(leaders.credentials), accreditations issued to course providers
(accreditation.credentials) and awards issued to winners
(judging.award_credentials). Each is an Open Badges 3.0 `OpenBadgeCredential`
(VC 2.0 form) with a Data Integrity proof using the `eddsa-jcs-2022`
cryptosuite: the proof options and the credential are canonicalised with JCS
(RFC 8785), hashed with SHA-256, and the two hashes signed with the Academy's
Ed25519 key (`OB_SIGNING_KEY`).

A credential, once signed, never changes. What can change is its status, and
that is published, not written into it: every credential carries one
`credentialStatus` entry (W3C Bitstring Status List v1.0, purpose
"revocation") pointing at its bit in one public list, served signed at
/credentials/status/1, shared by every kind. A set bit is final: where the
standard allows no return (a revocation), a thing that comes back (a
reinstated accreditation) gets a new credential.

Each kind registers its model in its app's ready() (`register_status_model`);
a credential's position is unique across every kind, chosen at random so it
tells nobody when or to whom it was issued.
"""

import base64
import gzip
import hashlib
import json
import secrets
from datetime import UTC
from pathlib import Path
from urllib.parse import urlencode

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from .errors import DomainError

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


def timestamp(moment) -> str:
    """An instant as the credentials write it: UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def issuer() -> dict:
    """The issuer as each credential names it."""
    return {"id": issuer_id(), "type": ["Profile"], "name": ISSUER_NAME, "url": settings.SITE_URL}


def issuer_profile() -> dict:
    return {
        "@context": CONTEXT,
        **issuer(),
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
        "created": timestamp(created),
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


# Status lists ---------------------------------------------------------------------------

# Bits in each status list: 16 KB, the smallest list the specification allows
# (so that a revoked credential hides among many), room for 131,072 credentials.
STATUS_LIST_SIZE = 131072
REVOCATION_LIST = 1
STATUS_LISTS = {REVOCATION_LIST: "revocation"}
# Serialises the choice of a free position across every kind of credential.
_STATUS_LOCK = 0x4F42_0001

# The models of every kind of credential: each has `status_index` and `revoked_at`.
_STATUS_MODELS = []


def register_status_model(model) -> None:
    """Called from an app's ready(): its credentials' bits go into the public lists."""
    if model not in _STATUS_MODELS:
        _STATUS_MODELS.append(model)


def status_list_url(number: int = REVOCATION_LIST) -> str:
    return settings.SITE_URL + reverse("credentials:status_list", args=[number])


def status_entry(index: int, number: int = REVOCATION_LIST) -> dict:
    url = status_list_url(number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_LISTS[number],
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def encode_bits(indexes, size: int = STATUS_LIST_SIZE) -> str:
    """The bitstring with these positions set (position 0 is the first, most
    significant bit of the first byte), GZIP-compressed, as multibase base64url."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def _revoked_positions() -> set[int]:
    positions = set()
    for model in _STATUS_MODELS:
        revoked = model.objects.filter(status_index__isnull=False, revoked_at__isnull=False)
        positions.update(revoked.values_list("status_index", flat=True))
    return positions


def status_list(number: int = REVOCATION_LIST, now=None) -> dict:
    """A status list as a signed BitstringStatusListCredential, as it is now."""
    if number not in STATUS_LISTS:
        raise DomainError("There is no such status list")
    now = now or timezone.now()
    url = status_list_url(number)
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": timestamp(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_LISTS[number],
            "encodedList": encode_bits(_revoked_positions()),
        },
    }
    return sign(document, now)


def allocate_status_index() -> int:
    """A free position in the status list, at random; call inside the
    transaction that saves the credential. The lock (PostgreSQL) makes two
    issuers at once, of any kind, never choose the same position."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_STATUS_LOCK])
    for _ in range(50):
        index = secrets.randbelow(STATUS_LIST_SIZE)
        if not any(model.objects.filter(status_index=index).exists() for model in _STATUS_MODELS):
            return index
    raise DomainError("The credential could not be issued just now: try again")


# LinkedIn ---------------------------------------------------------------------------------

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def linkedin_url(*, name: str, issued_at, cert_url: str, cert_id: str, organisation: str = ISSUER_NAME) -> str:
    """LinkedIn's "Add to profile" link for a certification: the holder adds it
    to their own profile, linking to the credential's public page."""
    issued = timezone.localtime(issued_at)
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organisation,
        "issueYear": str(issued.year),
        "issueMonth": str(issued.month),
        "certUrl": cert_url,
        "certId": cert_id,
    }
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(query)}"
