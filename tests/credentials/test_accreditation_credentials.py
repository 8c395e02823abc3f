"""Accreditation as a signed credential issued to the course provider: signed on
the decision (and on each renewal), checked by anyone, revoked on suspension and
withdrawal in the shared public revocation list, re-issued on reinstatement."""

import copy
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accreditation import credentials, domain
from accreditation.models import AccreditationCredential
from core import credentials as signing

from ..accreditation.test_accreditation import accredit
from ..factories import make_accreditation_people
from ..test_final_stays_final import independent_status_bit

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent.parent / "leaders" / "schemas" / "ob_v3p0"


@pytest.fixture
def setup():
    return make_accreditation_people()


def ob_errors(document) -> list:
    schema = json.loads((SCHEMAS / "achievementcredential.json").read_text())
    validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker())
    return sorted(str(error.message) for error in validator.iter_errors(document))


def london_midnight(day: date) -> str:
    """The start of a UK day, as the credential writes it (UTC)."""
    start = datetime.combine(day, time.min, tzinfo=ZoneInfo("Europe/London"))
    return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def bit(client, credential) -> int:
    key = client.get(reverse("credentials:issuer")).json()["verificationMethod"][0]["publicKeyMultibase"]
    url = credential.document["credentialStatus"]["statusListCredential"].removeprefix("http://testserver")
    return independent_status_bit(client.get(url).json(), key, credential.status_index)


def test_the_decision_issues_a_signed_open_badge_to_the_provider(setup):
    accreditation = accredit(setup, on=date(2026, 1, 1))
    credential = AccreditationCredential.objects.get(accreditation=accreditation)
    document = credential.document
    assert ob_errors(document) == []
    assert signing.verify_signature(document) is True
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["id"] == f"http://testserver/accreditation/credentials/{credential.uuid}/"
    assert document["issuer"]["id"] == "http://testserver/credentials/issuer/"
    assert (document["validFrom"], document["validUntil"]) == ("2026-01-01T00:00:00Z", "2028-12-31T23:59:59Z")
    subject = document["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == setup["course"].provider.name
    assert subject["achievement"]["name"] == f"Accreditation {accreditation.number}"
    assert subject["achievement"]["achievementType"] == "QualityAssuranceCredential"
    assert subject["achievement"]["id"] == f"http://testserver/accreditation/verify/{accreditation.number}/"
    assert document["credentialStatus"] == {
        "id": f"http://testserver/credentials/status/1#{credential.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(credential.status_index),
        "statusListCredential": "http://testserver/credentials/status/1",
    }
    assert list(
        AuditEvent.objects.filter(action__startswith="accreditation_credential.").values_list("action", "object_id")
    ) == [("accreditation_credential.issued", str(accreditation.pk))]
    assert credentials.status(credential) == (
        "valid",
        "Valid: issued by the Skills Academy, in force and not revoked.",
    )


def test_a_tampered_credential_fails_its_check(setup):
    credential = accredit(setup).credentials.get()
    for change in (
        lambda d: d.update(validUntil="2099-12-31T23:59:59Z"),
        lambda d: d["credentialSubject"]["identifier"][0].update(identityHash="Someone Else Ltd"),
        lambda d: d["proof"][0].update(created="2020-01-01T00:00:00Z"),
    ):
        tampered = copy.deepcopy(credential.document)
        change(tampered)
        assert signing.verify_signature(tampered) is False
    AccreditationCredential.objects.filter(pk=credential.pk).update(document=tampered)
    credential.refresh_from_db()
    assert credentials.status(credential)[0] == "invalid"
    page = Client().get(reverse("accreditation:credential", args=[credential.uuid])).content.decode()
    assert "Not valid" in page and "may have been altered" in page


def test_a_renewal_is_a_new_accreditation_with_its_own_credential(setup):
    first = accredit(setup, on=timezone.localdate() - timedelta(days=400))
    renewal = accredit(setup)
    assert renewal.renews == first
    old, new = first.credentials.get(), renewal.credentials.get()
    assert old.status_index != new.status_index
    assert new.document["validFrom"] == london_midnight(first.valid_to + timedelta(days=1))
    assert credentials.status(new)[0] == "not_yet_valid"
    assert signing.verify_signature(new.document) is True


def test_suspension_revokes_in_the_shared_list_and_reinstatement_issues_a_new_credential(setup, client):
    accreditation = accredit(setup)
    original = accreditation.credentials.get()
    signed = copy.deepcopy(original.document)
    assert bit(client, original) == 0

    domain.suspend(setup["assessor"], accreditation, reason="Trainer not qualified")
    original.refresh_from_db()
    assert bit(client, original) == 1
    assert credentials.status(original)[1].endswith("The accreditation was suspended: Trainer not qualified")
    assert (
        Client()
        .get(reverse("accreditation:credential", args=[original.uuid]), headers={"Accept": "application/json"})
        .json()["status"]
        == "revoked"
    )

    domain.reinstate(setup["assessor"], accreditation, reason="Qualified trainer found")
    current = accreditation.credentials.get(revoked_at__isnull=True)
    assert current.pk != original.pk
    assert (bit(client, original), bit(client, current)) == (1, 0)
    assert current.document["validFrom"] == london_midnight(timezone.localdate())
    assert signing.verify_signature(current.document) is True
    original.refresh_from_db()
    assert original.document == signed  # the signed document never changes
    page = Client().get(reverse("accreditation:credential", args=[original.uuid])).content.decode()
    assert "Revoked" in page and reverse("accreditation:credential", args=[current.uuid]) in page
    actions = AuditEvent.objects.filter(action__startswith="accreditation_credential.").order_by("pk")
    assert list(actions.values_list("action", "reason")) == [
        ("accreditation_credential.issued", ""),
        ("accreditation_credential.revoked", "The accreditation was suspended: Trainer not qualified"),
        ("accreditation_credential.reissued", ""),
    ]


def test_withdrawal_revokes_for_good(setup, client):
    accreditation = accredit(setup)
    credential = accreditation.credentials.get()
    domain.withdraw(setup["assessor"], accreditation, reason="Course closed")
    credential.refresh_from_db()
    assert bit(client, credential) == 1
    assert credential.revocation_reason == "The accreditation was withdrawn: Course closed"
    assert accreditation.credentials.filter(revoked_at__isnull=True).count() == 0
    page = Client().get(reverse("accreditation:credential", args=[credential.uuid])).content.decode()
    assert ">Revoked</strong>" in page and "The accreditation was withdrawn: Course closed" in page


def test_withdrawing_a_suspended_accreditation_leaves_nothing_standing(setup):
    accreditation = accredit(setup)
    domain.suspend(setup["assessor"], accreditation, reason="Complaint")
    domain.withdraw(setup["assessor"], accreditation, reason="Complaint upheld")
    assert list(accreditation.credentials.values_list("revocation_reason", flat=True)) == [
        "The accreditation was suspended: Complaint"
    ]
    assert AuditEvent.objects.filter(action="accreditation_credential.revoked").count() == 1


def test_the_public_page_json_and_links(setup):
    accreditation = accredit(setup)
    credential = accreditation.credentials.get()
    anyone = Client()
    page = anyone.get(reverse("accreditation:credential", args=[credential.uuid]))
    text = page.content.decode()
    assert page.status_code == 200
    assert ">Valid</strong>" in text and setup["course"].provider.name in text and accreditation.number in text
    download = anyone.get(reverse("accreditation:credential_document", args=[credential.uuid]))
    assert download["Content-Type"] == "application/vc+ld+json"
    assert json.loads(download.content) == credential.document
    status = anyone.get(
        reverse("accreditation:credential", args=[credential.uuid]), headers={"Accept": "application/json"}
    )
    assert status.json() == {
        "status": "valid",
        "explanation": "Valid: issued by the Skills Academy, in force and not revoked.",
    }
    link = reverse("accreditation:credential", args=[credential.uuid])
    assert link in anyone.get(reverse("accreditation:verify_number", args=[accreditation.number])).content.decode()
    provider = Client()
    provider.force_login(setup["user"])
    assert link in provider.get(reverse("accreditation:home")).content.decode()
    unknown = reverse("accreditation:credential", args=["00000000-0000-0000-0000-000000000000"])
    assert anyone.get(unknown).status_code == 404
