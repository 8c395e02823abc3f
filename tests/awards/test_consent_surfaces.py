"""The winners page, its images, the press pack and the judges' scoring page
follow the consent of the person who uses the service at once: each asks
awards.disclosure.allows() with the uses that stand now."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from awards import domain
from awards.disclosure import Audience, Fact, allows
from core.models import ExportJob
from judging import domain as judging_domain
from judging.press_pack import CONSENT_WITHDRAWN, withheld

from ..factories import make_user
from .consent_world import CAPTION, STATEMENT, draft_with_image, make_winner

pytestmark = pytest.mark.django_db

EVERY_USE = {"judges", "publication", "media"}


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.PANEL_MEMBER, Audience.CONFLICTED_JUDGE])
def test_the_public_needs_the_publication_use_and_the_entrants_consent(audience):
    announced = "announced"
    assert allows(audience, Fact.STATEMENT, announced, uses=frozenset({"publication"})) is True
    assert allows(audience, Fact.STATEMENT, announced, uses=frozenset({"judges", "media"})) is False
    assert allows(audience, Fact.STATEMENT, announced, consented=False, uses=frozenset({"publication"})) is False
    assert allows(audience, Fact.STATEMENT, announced) is False  # a surface that does not ask shows nothing
    assert allows(audience, Fact.IMAGES, announced, uses=frozenset({"publication"})) is True
    assert allows(audience, Fact.IMAGES, announced, uses=frozenset()) is False
    assert allows(audience, Fact.STATEMENT, "embargoed", uses=frozenset(EVERY_USE)) is False


def test_media_judges_entrant_and_administrators():
    assert allows(Audience.MEDIA, Fact.STATEMENT, "embargoed", uses=frozenset({"media"})) is True
    assert allows(Audience.MEDIA, Fact.IMAGES, "embargoed", uses=frozenset({"publication"})) is False
    # Once announced, what is published is public: the media partner reads the winners page too.
    assert allows(Audience.MEDIA, Fact.STATEMENT, "announced", uses=frozenset({"publication"})) is True
    assert allows(Audience.ASSIGNED_JUDGE, Fact.STATEMENT, "scoring", uses=frozenset({"judges"})) is True
    assert allows(Audience.CHAIR, Fact.STATEMENT, "scoring", uses=frozenset()) is False
    # The entrant and the administrators hold the record itself.
    assert allows(Audience.ENTRANT, Fact.STATEMENT, "draft", uses=frozenset()) is True
    assert allows(Audience.ADMIN, Fact.IMAGES, "announced", uses=frozenset()) is True


def _winners(client, nomination):
    client.logout()
    return client.get(reverse("winners:cycle", args=[nomination.cycle_id])).content.decode()


def test_winners_page_quotes_the_statement_and_drops_it_and_the_image_at_once_on_withdrawal(client, provider):
    nomination, image = draft_with_image(provider)
    domain.record_consent(provider, nomination, subject="statement", basis="person", uses=EVERY_USE)
    domain.record_consent(provider, nomination, subject="images", basis="person", uses=EVERY_USE)
    make_winner(nomination)
    page = _winners(client, nomination)
    assert (STATEMENT in page, "Mo, a resident" in page, CAPTION in page) == (True, True, True)
    assert client.get(reverse("winners:image", args=[image.pk])).status_code == 200

    domain.withdraw_consent(provider, nomination, subject="statement")
    page = _winners(client, nomination)
    assert (STATEMENT in page, "Mo, a resident" in page, CAPTION in page) == (False, False, True)

    domain.withdraw_consent(provider, nomination, subject="images")
    page = _winners(client, nomination)
    assert (CAPTION in page, "A lovely home." in page) == (False, True)
    assert client.get(reverse("winners:image", args=[image.pk])).status_code == 404


def test_judges_only_consent_keeps_the_statement_off_the_winners_page(client, provider):
    nomination, _ = draft_with_image(provider)
    domain.record_consent(provider, nomination, subject="statement", basis="supported", supporter="Jo", uses={"judges"})
    domain.record_consent(provider, nomination, subject="images", basis="person", uses={"judges", "media"})
    make_winner(nomination)
    page = _winners(client, nomination)
    assert (STATEMENT in page, CAPTION in page, "A lovely home." in page) == (False, False, True)


def _pack(job) -> dict:
    job.refresh_from_db()
    with job.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        return json.loads(archive.read("winners.json"))["results"][0]


def test_press_pack_holds_only_media_uses_and_a_pack_made_before_a_withdrawal_is_withheld(provider):
    from core import export_jobs
    from judging.press_pack import approved_cycles

    nomination, _ = draft_with_image(provider)
    domain.record_consent(provider, nomination, subject="statement", basis="person", uses=EVERY_USE)
    domain.record_consent(provider, nomination, subject="images", basis="person", uses={"judges", "publication"})
    make_winner(nomination, announced=False)
    media = make_user(email="media@example.org", roles=["media_partner"])
    cycle = approved_cycles().get(pk=nomination.cycle_id)
    job = judging_domain.request_press_pack(media, cycle)
    export_jobs.run(job.pk)
    record = _pack(job)
    assert (record["statement"], record["statement_by"], record["images"]) == (STATEMENT, "Mo, a resident", [])
    assert withheld(ExportJob.objects.get(pk=job.pk)) == ""

    domain.withdraw_consent(provider, nomination, subject="statement")
    assert withheld(ExportJob.objects.get(pk=job.pk)) == CONSENT_WITHDRAWN
    again = judging_domain.request_press_pack(media, cycle)
    export_jobs.run(again.pk)
    assert "statement" not in _pack(again)
    assert withheld(ExportJob.objects.get(pk=again.pk)) == ""
