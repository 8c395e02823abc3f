"""Leaders: Open Badges 3.0 credentials for verified completions, their signature and verification page."""

import copy
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import time_machine
from django.urls import reverse

from accreditation.models import Accreditation
from core.errors import DomainError
from leaders import credentials
from leaders import domain as leaders

from ..factories import make_user

pytestmark = pytest.mark.django_db


SCHEMAS = Path(__file__).parent / "schemas" / "ob_v3p0"


@pytest.fixture
def credential(world):
    leader = make_user(email="badge@example.org")
    with time_machine.travel(date(2021, 6, 1), tick=False):
        completion = leaders.record_completion(leader, course=world["social"], completed_on=date(2021, 5, 20))
        leaders.verify_completion(world["staff"], completion)
        issued = credentials.issue(leader, completion)
    return leader, completion, issued


def ob_validator():
    schema = json.loads((SCHEMAS / "achievementcredential.json").read_text())
    return jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker())


def test_credential_validates_against_the_ob_3_schema(credential):
    _, _, issued = credential
    errors = sorted(ob_validator().iter_errors(issued.document), key=str)
    assert errors == []
    assert issued.document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert issued.document["validFrom"].startswith("2021-06-01")
    subject = issued.document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["name"] == "Directors' leadership programme"
    assert "badge@example.org" not in json.dumps(issued.document)  # only a salted hash of the email


def test_signature_verifies_and_tampering_breaks_it(credential):
    _, _, issued = credential
    assert credentials.verify_signature(issued.document)
    tampered = copy.deepcopy(issued.document)
    tampered["credentialSubject"]["achievement"]["name"] = "Something grander"
    assert not credentials.verify_signature(tampered)
    wrong_date = copy.deepcopy(issued.document)
    wrong_date["validFrom"] = "2030-01-01T00:00:00Z"
    assert not credentials.verify_signature(wrong_date)
    bad_proof = copy.deepcopy(issued.document)
    bad_proof["proof"][0]["proofValue"] = "z" + "1" * 80
    assert not credentials.verify_signature(bad_proof)


def test_verification_page_reports_valid_revoked_and_withdrawn(client, credential, social, staff):
    _, completion, issued = credential
    url = reverse("credentials:verify", args=[issued.uuid])
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "valid"
    accreditation = Accreditation.objects.get(course=social)
    accreditation.state = "withdrawn"
    accreditation.save()
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "accreditation_withdrawn"
    credentials.revoke(staff, issued, reason="Issued in error")
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "revoked"
    issued.document["name"] = "Altered"
    issued.save()
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "invalid"


def test_no_credential_for_unverified_or_unaccredited(social, staff, unaccredited):
    leader = make_user(email="nobadge@example.org")
    waiting = leaders.record_completion(leader, course=social, completed_on=date(2021, 5, 20))
    with pytest.raises(DomainError, match="Credentials are issued for verified completions"):
        credentials.issue(leader, waiting)
    other = leaders.record_completion(leader, course=unaccredited, completed_on=date(2021, 5, 20))
    leaders.verify_completion(staff, other)
    with pytest.raises(DomainError):
        credentials.issue(leader, other)
