"""The disclosure policy in emails and files to entrants and others: the provider's
visit invitation, the press pack, the media partner's sign-in, the entrant's data,
visits judges are conflicted with, and the demo data."""

import html
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from judging import domain as judging
from judging.models import Assignment

from ..factories import make_user
from .disclosure_cast import JUDGE_NAMES
from .disclosure_client import body, get, press_pack
from .disclosure_world import world_at

pytestmark = pytest.mark.django_db


def test_the_providers_visit_invitation_names_no_judge():
    from icalendar import Calendar

    from notifications.models import OutboundEmail

    with world_at("visits") as world:
        ellen = world.people["ellen"]
        to_provider = OutboundEmail.objects.filter(to=ellen.email, template="site_visit_invitation").latest("pk")
        to_judge = OutboundEmail.objects.filter(to=JUDGE_NAMES["judith"][1], template="site_visit_invitation").latest(
            "pk"
        )

        def attendees(email):
            import base64

            event = Calendar.from_ical(base64.b64decode(email.attachments[0]["content_b64"])).walk("VEVENT")[0]
            found = event.get("ATTENDEE")
            return sorted(str(a) for a in (found if isinstance(found, list) else [found]))

        assert attendees(to_provider) == [f"mailto:{ellen.email}"]
        assert attendees(to_judge) == sorted(
            [f"mailto:{ellen.email}", f"mailto:{JUDGE_NAMES['judith'][1]}", f"mailto:{JUDGE_NAMES['ivy'][1]}"]
        )
        reminder = OutboundEmail.objects.filter(to=ellen.email, template="reminder_site_visit").get()
        assert attendees(reminder) == [f"mailto:{ellen.email}"]
        for email in (to_provider, reminder):
            assert "judges.example" not in email.text_body + email.html_body + str(email.attachments)


def test_press_pack_cells_cannot_run_as_formulas():
    with world_at("decided") as world:
        from judging.models import FinalResult

        FinalResult.objects.filter(nomination=world.objects["N"]).update(citation='=HYPERLINK("http://x.example")')
        judging.approve_results(world.people["admin"], world.objects["cycle"], early_reason="For the test")
        response = press_pack(Client(), world.people["media"], world.objects["cycle"])
        assert response.streaming
        with zipfile.ZipFile(io.BytesIO(body(response))) as archive:
            rows = archive.read("winners.csv").decode("utf-8-sig").splitlines()
        assert rows[0] == "category,award,reference,service,organisation,citation,images"
        assert "'=HYPERLINK" in rows[1] and ",=HYPERLINK" not in rows[1]


def test_the_media_partner_needs_two_factor_authentication():
    from accounts.enums import SiteRole

    media = make_user(email="new-media@press.example", roles=[SiteRole.MEDIA_PARTNER], mfa=False)
    response = get(Client(), media, reverse("judging:press"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_your_data_keeps_the_award_hidden_until_announced():
    import json

    with world_at("embargoed") as world:
        client = Client()
        exported = json.loads(body(get(client, world.people["ellen"], reverse("your_data") + "?format=json")))
        assert [n["state"] for n in exported["nominations_started"]] == ["Finalist"]


def test_judges_do_not_see_a_visit_to_an_entrant_they_are_conflicted_with():
    with world_at("visits") as world:
        ivy, visit = world.people["ivy"], world.objects["visit"]
        client = Client()
        assert get(client, ivy, reverse("judging:visit", args=[visit.pk])).status_code == 200
        judging.declare_conflict(ivy, world.objects["quokka"], kind="personal")
        assert get(client, ivy, reverse("judging:visit", args=[visit.pk])).status_code == 404
        assert get(client, ivy, reverse("judging:visit_ics", args=[visit.pk])).status_code == 404
        assert visit.pk not in [v.pk for v in get(client, ivy, reverse("judging:home")).context["visits"]]


def test_the_demo_data_shows_none_of_the_reported_leaks():
    """The demo, as the issue found it: the entrant's pages name no judge and
    show no conflict, override or rationale; a chair still scoring sees no
    one else's totals; the winners page publishes only the chosen image."""
    from accounts.models import User

    from .matrix_world import build_world

    world = build_world()
    client = Client()
    judges = User.objects.filter(role_grants__role="judge")
    secrets = [j.email for j in judges] + [j.get_full_name() for j in judges]
    secrets += ["Conflict of interest declared", "Reassigned", "Agreed unanimously by the panel.", "Removed by"]
    provider = world.people["provider_a"]
    pages = [reverse("awards:dashboard"), reverse("judging:feedback", args=[world.objects["winner"]])]
    pages += [reverse("awards:nomination", args=[world.objects[key]]) for key in ("draft", "entry", "winner")]
    for url in pages:
        text = html.unescape(get(client, provider, url).content.decode())
        assert [secret for secret in secrets if secret in text] == [], url

    chair = world.people["chair"]
    waiting = set(
        Assignment.objects.filter(judge=chair, submitted_at=None, state="active").values_list(
            "nomination__reference", flat=True
        )
    )
    assert waiting  # the demo chair is still scoring
    ranking = get(client, chair, reverse("judging:results", args=[world.objects["panel"]]))
    assert {row["reference"] for row in ranking.context["rows"]} & waiting == set()

    winners = html.unescape(
        get(client, None, reverse("winners:cycle", args=[world.objects["past_cycle"]])).content.decode()
    )
    assert [secret for secret in secrets if secret in winners] == []
    assert winners.count("<img ") == 1 and 'alt="Residents in the garden"' in winners
