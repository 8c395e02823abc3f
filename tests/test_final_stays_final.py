"""What is final stays final: accreditations, courses under accreditation,
credentials and results change only through recorded, visible routes."""

import base64
import gzip
import hashlib
import json
from datetime import date, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accreditation import domain
from accreditation.models import Accreditation, AccreditationEvent, Criterion, Standing
from core.errors import DomainError
from courses import domain as courses
from courses.models import Course, CourseChange, FrameworkLevel
from leaders import credentials
from leaders import domain as leaders
from leaders.models import Completion

from .accreditation.test_accreditation import accredit, answer_all, assess_all
from .factories import MINIMAL_PDF, make_accreditation_people, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return make_accreditation_people()


# Standing and history ---------------------------------------------------------------------------


def test_an_expired_accreditation_is_expired_everywhere_and_cannot_be_suspended(setup, client):
    accreditation = accredit(setup, on=date(2020, 1, 1))
    assert accreditation.standing_on(date(2021, 6, 1)) == Standing.IN_FORCE
    assert accreditation.standing_on(timezone.localdate()) == Standing.EXPIRED
    with pytest.raises(DomainError, match="Only an accreditation in force can be suspended: this one is expired"):
        domain.suspend(setup["assessor"], accreditation, reason="Complaint")
    client.force_login(setup["assessor"])
    page = client.get(reverse("accreditation:status", args=[accreditation.pk]))
    assert page.context["standing"] == Standing.EXPIRED
    assert [value for value, _ in page.context["form"].fields["action"].choices] == ["withdraw"]
    staff = client.get(reverse("accreditation:staff")).content.decode()
    assert f"{accreditation.number}</a> – {setup['course'].title} (Expired" in staff
    check = client.get(reverse("accreditation:verify_number", args=[accreditation.number])).content.decode()
    assert ">Expired</strong>" in check


def test_a_same_day_suspension_stays_in_the_history_and_the_provider_hears_of_each_change(setup, run_on_commit):
    accreditation = accredit(setup)
    mail.outbox.clear()
    with run_on_commit():
        domain.suspend(setup["assessor"], accreditation, reason="Trainer not qualified")
        domain.reinstate(setup["assessor"], accreditation, reason="Qualified trainer found")
        domain.withdraw(setup["assessor"], accreditation, reason="Course closed")
    events = list(accreditation.events.values_list("kind", "reason"))
    assert events == [
        (AccreditationEvent.Kind.GRANTED, ""),
        (AccreditationEvent.Kind.SUSPENDED, "Trainer not qualified"),
        (AccreditationEvent.Kind.REINSTATED, "Qualified trainer found"),
        (AccreditationEvent.Kind.WITHDRAWN, "Course closed"),
    ]
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        f"Accreditation {accreditation.number}: suspended",
        f"Accreditation {accreditation.number}: reinstated",
        f"Accreditation {accreditation.number}: withdrawn",
    ]
    assert all(m.to == [setup["user"].email] for m in mail.outbox)
    page = Client().get(reverse("accreditation:verify_number", args=[accreditation.number])).content.decode()
    assert "Trainer not qualified" in page and "Qualified trainer found" in page


def test_a_renewal_starts_from_the_last_answers_and_evidence_and_shows_its_lineage(setup):
    first = accredit(setup, on=timezone.localdate() - timedelta(days=400))
    previous = first.application
    previous_answers = dict(previous.answers.values_list("criterion_id", "text"))
    renewal = domain.start_application(setup["user"], setup["course"])
    assert dict(renewal.answers.values_list("criterion_id", "text")) == previous_answers
    domain.submit_application(setup["user"], renewal)
    domain.assign_assessor(setup["other_staff"], renewal, setup["assessor"])
    assess_all(setup["assessor"], renewal)
    domain.decide(setup["assessor"], renewal, decision="accredited")
    renewed = Accreditation.objects.get(application=renewal)
    assert (renewed.renews, first.renewal(), renewed.valid_from) == (first, renewed, first.valid_to + timedelta(days=1))
    check = Client().get(reverse("accreditation:verify_number", args=[first.number])).content.decode()
    assert "Renewed as <a" in check and renewed.number in check
    check = Client().get(reverse("accreditation:verify_number", args=[renewed.number])).content.decode()
    assert f">{first.number}</a>" in check and "Renews" in check


def test_renewal_copies_evidence_files(setup):
    application = domain.start_application(setup["user"], setup["course"])
    answer_all(setup["user"], application)
    criterion = Criterion.objects.first()
    domain.add_evidence(
        setup["user"], application, SimpleUploadedFile("handbook.pdf", MINIMAL_PDF), criterion=criterion
    )
    domain.submit_application(setup["user"], application)
    domain.assign_assessor(setup["other_staff"], application, setup["assessor"])
    assess_all(setup["assessor"], application)
    domain.decide(setup["assessor"], application, decision="accredited")
    renewal = domain.start_application(setup["user"], setup["course"])
    (copy,) = renewal.evidence.all()
    original = application.evidence.get()
    assert (copy.original_name, copy.criterion_id) == ("handbook.pdf", criterion.pk)
    assert copy.file.name != original.file.name and copy.file.read() == MINIMAL_PDF


# Changes to accredited courses ------------------------------------------------------------------


def edit(user, course, **changes):
    course = Course.objects.get(pk=course.pk)
    levels = changes.pop("levels", list(course.levels.all()))
    for name, value in changes.items():
        setattr(course, name, value)
    return courses.save_course(user, course, levels=levels, domains=list(course.domains.all()), sectors=course.sectors)


def test_a_material_change_to_an_accredited_course_waits_for_the_academy(setup, run_on_commit):
    accreditation = accredit(setup)
    course = setup["course"]
    saved = edit(setup["user"], course, title="Leadership lite", duration_hours=2, cost=99)
    course.refresh_from_db()
    assert (course.title, course.duration_hours, course.cost) == ("Leading person-centred care", 30, 99)
    change = saved.pending_change
    assert change.summary == "Title: Leading person-centred care → Leadership lite; Hours: 30 → 2"
    assert Client().get(reverse("courses:detail", args=[course.pk])).context["course"].title == course.title
    # A second edit replaces the proposal; there is only ever one waiting.
    edit(setup["user"], course, duration_hours=20)
    assert CourseChange.objects.filter(course=course, state="pending").count() == 1

    with run_on_commit():
        domain.refer_course_change(setup["assessor"], CourseChange.objects.get(state="pending"), reason="Too short")
    course.refresh_from_db()
    assert course.duration_hours == 30
    assert accreditation.events.last().kind == AccreditationEvent.Kind.CHANGE_REFERRED
    assert "Re-assessment needed" in mail.outbox[-1].subject

    saved = edit(setup["user"], course, levels=list(FrameworkLevel.objects.filter(slug="service-leaders")))
    domain.accept_course_change(setup["assessor"], saved.pending_change)
    course.refresh_from_db()
    assert [level.slug for level in course.levels.all()] == ["service-leaders"]
    assert accreditation.events.last().kind == AccreditationEvent.Kind.CHANGE_ACCEPTED


def test_the_same_hours_typed_differently_are_no_change_and_undoing_an_edit_withdraws_its_request(setup):
    from decimal import Decimal

    accredit(setup)
    course = setup["course"]
    for same in ("30", 30, Decimal("30.00")):
        assert edit(setup["user"], course, duration_hours=same).pending_change is None
    edit(setup["user"], course, title="Leadership lite")
    assert CourseChange.objects.filter(course=course, state="pending").count() == 1
    # Back to the accredited title: nothing is left for the Academy to accept.
    assert edit(setup["user"], course, title="Leading person-centred care").pending_change is None
    assert list(CourseChange.objects.filter(course=course).values_list("state", flat=True)) == ["withdrawn"]


def test_an_unaccredited_course_changes_at_once(setup):
    saved = edit(setup["user"], setup["course"], duration_hours=2)
    assert saved.pending_change is None
    assert Course.objects.get(pk=setup["course"].pk).duration_hours == 2


# Credentials ------------------------------------------------------------------------------------


def independent_status_bit(status_list: dict, public_key_multibase: str, index: int) -> int:
    """A verifier's check, written here from the specifications and not from
    the service's code: the list's eddsa-jcs-2022 proof against the issuer's
    public key, then bit `index` of the GZIP-compressed, base64url bitstring
    (bit 0 the most significant bit of the first byte)."""
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

    def base58(text):
        number = 0
        for char in text:
            number = number * 58 + alphabet.index(char)
        raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
        return b"\0" * (len(text) - len(text.lstrip("1"))) + raw

    def jcs(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    document = {k: v for k, v in status_list.items() if k != "proof"}
    proof = dict(status_list["proof"][0])
    signature = base58(proof.pop("proofValue")[1:])
    proof["@context"] = document["@context"]
    key = base58(public_key_multibase[1:])
    assert key[:2] == b"\xed\x01"
    Ed25519PublicKey.from_public_bytes(key[2:]).verify(
        signature, hashlib.sha256(jcs(proof)).digest() + hashlib.sha256(jcs(document)).digest()
    )
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131072
    return (bits[index // 8] >> (7 - index % 8)) & 1


def verified_completion(setup, leader, on):
    completion = leaders.record_completion(leader, course=setup["course"], completed_on=on)
    return leaders.verify_completion(setup["assessor"], completion)


def test_revocation_reaches_any_verifier_through_the_public_status_list(setup, client):
    accreditation = accredit(setup, on=date(2024, 1, 1))
    leader = make_user(email="leader@example.org")
    credential = credentials.issue(leader, verified_completion(setup, leader, date(2024, 3, 1)))
    entry = credential.document["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    assert int(entry["statusListIndex"]) == credential.status_index
    list_url = entry["statusListCredential"].removeprefix("http://testserver")
    key = client.get(reverse("credentials:issuer")).json()["verificationMethod"][0]["publicKeyMultibase"]

    assert independent_status_bit(client.get(list_url).json(), key, credential.status_index) == 0
    client.force_login(setup["assessor"])
    refused = client.post(reverse("credentials:revoke", args=[credential.uuid]), {"reason": ""})
    assert "Give the reason for revoking the credential" in refused.content.decode()
    client.post(reverse("credentials:revoke", args=[credential.uuid]), {"reason": "Certificate was forged"})
    client.logout()
    assert independent_status_bit(client.get(list_url).json(), key, credential.status_index) == 1
    page = client.get(reverse("credentials:verify", args=[credential.uuid])).content.decode()
    assert "Certificate was forged" in page and "Revoked" in page
    assert accreditation  # issued under it


def test_a_verified_correction_revokes_the_credential_it_replaces(setup):
    accredit(setup, on=date(2024, 1, 1))
    leader = make_user(email="leader@example.org")
    first = verified_completion(setup, leader, date(2024, 3, 1))
    old = credentials.issue(leader, first)
    correction = leaders.record_completion(
        leader, course=setup["course"], completed_on=date(2024, 3, 2), supersedes=first
    )
    leaders.verify_completion(setup["assessor"], correction)
    old.refresh_from_db()
    assert (Completion.objects.get(pk=first.pk).state, bool(old.revoked_at)) == ("superseded", True)
    assert old.revocation_reason.startswith("Replaced by a corrected record")
    assert credentials.status(old)[0] == "revoked"


def test_withdrawal_for_cause_revokes_the_credentials_issued_under_it(setup):
    accreditation = accredit(setup, on=date(2024, 1, 1))
    leader = make_user(email="leader@example.org")
    credential = credentials.issue(leader, verified_completion(setup, leader, date(2024, 3, 1)))
    domain.withdraw(setup["assessor"], accreditation, reason="The course was never delivered", for_cause=True)
    credential.refresh_from_db()
    assert credential.revocation_reason == "The course's accreditation was withdrawn: The course was never delivered"


def test_a_providers_credential_is_never_rewritten_and_every_revocation_is_on_record(setup, client):
    accreditation = accredit(setup, on=date(2024, 1, 1))
    first = accreditation.credentials.get()
    signed = json.dumps(first.document, sort_keys=True)
    domain.suspend(setup["assessor"], accreditation, reason="Complaint")
    domain.reinstate(setup["assessor"], accreditation, reason="Complaint not upheld")
    domain.withdraw(setup["assessor"], accreditation, reason="Course closed")
    first.refresh_from_db()
    assert json.dumps(first.document, sort_keys=True) == signed
    issued = list(accreditation.credentials.order_by("pk"))
    assert [c.revocation_reason for c in issued] == [
        "The accreditation was suspended: Complaint",
        "The accreditation was withdrawn: Course closed",
    ]
    key = client.get(reverse("credentials:issuer")).json()["verificationMethod"][0]["publicKeyMultibase"]
    listed = client.get(reverse("credentials:status_list", args=[1])).json()
    assert [independent_status_bit(listed, key, c.status_index) for c in issued] == [1, 1]
    assert list(
        AuditEvent.objects.filter(action__startswith="accreditation_credential.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "accreditation_credential.issued",
        "accreditation_credential.revoked",
        "accreditation_credential.reissued",
        "accreditation_credential.revoked",
    ]
