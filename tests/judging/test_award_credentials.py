"""Awards as signed credentials with a PDF certificate: issued only once the
results are announced, public only where the entrant consented, revoked when
the results are withdrawn (judging.award_credentials)."""

import copy
import json
import re
import zlib
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from awards.models import AwardCredential, Nomination
from core import credentials as signing
from judging import award_credentials, domain

from ..test_final_stays_final import independent_status_bit
from .test_judging_lifecycle import to_finalists

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent.parent / "leaders" / "schemas" / "ob_v3p0"


def approve(world, consents=(True, False)):
    """Two finalists decided (winner, highly commended) and the results approved, under embargo."""
    finalists = to_finalists(world, count=len(consents))
    for nomination, consent in zip(finalists, consents, strict=True):
        Nomination.objects.filter(pk=nomination.pk).update(consent_to_publish=consent)
    chair = world["judges"][0]
    for nomination, award in zip(finalists, ("winner", "highly_commended"), strict=False):
        domain.record_final_result(
            chair, nomination, award=award, citation=f"Residents lead at {nomination.service_name}", rationale="Clear"
        )
    domain.sign_off(chair, world["panel"])
    domain.approve_results(world["admin"], world["cycle"], early_reason="The test cycle runs early")
    return [Nomination.objects.select_related("cycle").get(pk=n.pk) for n in finalists]


def after_announcement(world):
    return time_machine.travel(world["cycle"].winners_announced + timedelta(hours=1))


def announce(world, consents=(True, False)):
    finalists = approve(world, consents)
    with after_announcement(world):
        domain.notify_entrants_of_results()
    return finalists


def member_client(nomination):
    client = Client()
    client.force_login(nomination.organisation.memberships.get().user)
    return client


def test_nothing_is_issued_under_embargo(world):
    approve(world)
    assert domain.notify_entrants_of_results() == 0
    assert award_credentials.issue_for_cycle(world["cycle"]) == 0
    assert AwardCredential.objects.count() == 0


def test_the_announcement_issues_signed_credentials_once(world):
    public, private = announce(world)
    with after_announcement(world):
        assert award_credentials.issue_for_cycle(world["cycle"]) == 0  # once each
    credentials = {c.nomination_id: c for c in AwardCredential.objects.all()}
    assert set(credentials) == {public.pk, private.pk}
    schema = json.loads((SCHEMAS / "achievementcredential.json").read_text())
    validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker())
    for nomination in (public, private):
        credential = credentials[nomination.pk]
        assert sorted(e.message for e in validator.iter_errors(credential.document)) == []
        assert signing.verify_signature(credential.document) is True
    winner = credentials[public.pk]
    assert (winner.award, winner.public, credentials[private.pk].public) == ("winner", True, False)
    assert winner.document["id"] == f"http://testserver/winners/credentials/{winner.uuid}/"
    assert credentials[private.pk].document["id"] == f"urn:uuid:{credentials[private.pk].uuid}"
    category = world["category"].name
    assert winner.document["name"] == f"Winner, {category}, {world['cycle']}"
    achievement = winner.document["credentialSubject"]["achievement"]
    assert (achievement["achievementType"], achievement["name"], achievement["description"]) == (
        "Award",
        f"Winner: {category}",
        f"Residents lead at {public.service_name}",
    )
    assert winner.document["credentialSubject"]["identifier"][0]["identityHash"] == public.organisation.name
    assert sorted(
        AuditEvent.objects.filter(action="award_credential.issued").values_list("object_id", "after__public")
    ) == sorted([(str(public.pk), True), (str(private.pk), False)])


def test_a_tampered_award_credential_fails(world):
    announce(world)
    credential = AwardCredential.objects.get(award="winner")
    tampered = copy.deepcopy(credential.document)
    tampered["credentialSubject"]["achievement"]["name"] = "Winner: Something grander"
    assert signing.verify_signature(tampered) is False
    AwardCredential.objects.filter(pk=credential.pk).update(document=tampered)
    credential.refresh_from_db()
    assert award_credentials.status(credential)[0] == "invalid"


def test_a_consenting_winner_has_a_public_page_and_a_linkedin_link(world):
    (public, _) = announce(world)
    credential = AwardCredential.objects.get(nomination=public)
    with after_announcement(world):
        page = Client().get(reverse("winners:credential", args=[credential.uuid])).content.decode()
        assert public.service_name in page and f"Residents lead at {public.service_name}" in page
        assert ">Valid</strong>" in page and "linkedin.com" not in page
        own = member_client(public).get(reverse("winners:credential", args=[credential.uuid]))
        entrant_page = member_client(public).get(reverse("awards:nomination", args=[public.pk])).content.decode()
    link = award_credentials.linkedin_url(credential)
    assert own.context["linkedin_url"] == link
    assert link.replace("&", "&amp;") in own.content.decode()
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    announced = credential.issued_at.astimezone(signing.timezone.get_current_timezone())
    assert parse_qs(parts.query) == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [f"Winner, {world['category'].name}, {world['cycle']}"],
        "organizationName": ["National Skills Academy for Social Care"],
        "issueYear": [str(announced.year)],
        "issueMonth": [str(announced.month)],
        "certUrl": [f"http://testserver/winners/credentials/{credential.uuid}/"],
        "certId": [str(credential.uuid)],
    }
    assert reverse("winners:credential", args=[credential.uuid]) in entrant_page


def test_without_consent_the_credential_is_the_entrants_alone(world):
    (_, private) = announce(world)
    credential = AwardCredential.objects.get(nomination=private)
    urls = [
        reverse(name, args=[credential.uuid])
        for name in ("winners:credential", "winners:credential_document", "winners:certificate")
    ]
    outsider = Client()
    outsider.force_login(Nomination.objects.exclude(pk=private.pk).first().organisation.memberships.get().user)
    with after_announcement(world):
        assert [Client().get(url).status_code for url in urls] == [404, 404, 404]
        assert [outsider.get(url).status_code for url in urls] == [404, 404, 404]
        entrant = member_client(private)
        assert [entrant.get(url).status_code for url in urls] == [200, 200, 200]
        page = entrant.get(urls[0])
    assert "This credential is private" in page.content.decode()
    assert page.context["linkedin_url"] == ""
    assert private.service_name in page.content.decode()


def test_the_certificate_names_the_award_and_the_holder(world):
    (public, _) = announce(world)
    credential = AwardCredential.objects.get(nomination=public)
    with after_announcement(world):
        response = Client().get(reverse("winners:certificate", args=[credential.uuid]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    names = (public.service_name, public.organisation.name, "Winner", world["category"].name, str(credential.uuid))
    assert [words for words in names if words.replace(" ", "") not in text] == []


def pdf_text(pdf: bytes) -> str:
    """The text drawn in a WeasyPrint PDF, spaces removed (its fonts are
    subset with identity mappings, so the glyphs are read from each font's
    ToUnicode table)."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    mapping = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for glyph, char in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                mapping[glyph.decode().lower()] = bytes.fromhex(char.decode()).decode("utf-16-be")
    text = []
    for stream in streams:
        for run in re.findall(rb"<([0-9a-fA-F]+)>\s*Tj|\[(.*?)\]\s*TJ", stream, re.S):
            hexes = re.findall(rb"<([0-9a-fA-F]+)>", run[1]) if run[1] else [run[0]]
            for chunk in hexes:
                chunk = chunk.decode().lower()
                text.extend(mapping.get(chunk[i : i + 4], "") for i in range(0, len(chunk), 4))
    return "".join(text).replace(" ", "")


def test_withdrawing_the_results_revokes_every_credential(world, client):
    public, private = announce(world)
    standing = list(AwardCredential.objects.order_by("pk"))
    key = client.get(reverse("credentials:issuer")).json()["verificationMethod"][0]["publicKeyMultibase"]

    def bits():
        status_list = client.get(reverse("credentials:status_list", args=[1])).json()
        return [independent_status_bit(status_list, key, c.status_index) for c in standing]

    assert bits() == [0, 0]
    with after_announcement(world):
        domain.withdraw_results(world["admin"], world["cycle"], reason="A score was typed against the wrong entry")
        assert award_credentials.issue_for_cycle(world["cycle"]) == 0
        page = Client().get(reverse("winners:credential", args=[standing[0].uuid])).content.decode()
    assert bits() == [1, 1]
    assert (
        list(AwardCredential.objects.order_by("pk").values_list("revocation_reason", flat=True))
        == ["A score was typed against the wrong entry"] * 2
    )
    assert (
        list(AuditEvent.objects.filter(action="award_credential.revoked").values_list("reason", flat=True))
        == ["A score was typed against the wrong entry"] * 2
    )
    # A link shared earlier still tells the truth, naming nobody.
    assert ">Revoked</strong>" in page
    assert public.service_name not in page and public.organisation.name not in page
    assert [signing.verify_signature(c.document) for c in AwardCredential.objects.all()] == [True, True]
    assert private.pk in AwardCredential.objects.values_list("nomination", flat=True)
