"""The disclosure policy in particular situations: the entrant's history, the
embargo on the real Redis cache, image publication, a chair who is conflicted
or still scoring, the provider's visit invitation, the press pack. The
matrix over every surface is in test_disclosure_matrix.py."""

import html
import io
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import AuditEvent
from awards import domain as awards
from awards.disclosure import markdown_table
from awards.models import EvidenceFile, Nomination
from core.errors import DomainError
from judging import domain as judging
from judging.models import Assignment

from ..factories import make_user
from .disclosure_world import JUDGE_NAMES, day, world_at

pytestmark = pytest.mark.django_db


def get(client, user, url):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    return client.get(url)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_documented_table_is_the_policy():
    text = (settings.BASE_DIR / "docs" / "disclosure.md").read_text()
    assert markdown_table() in text


# The entrant's history ------------------------------------------------------------------------


def test_entrant_history_tells_entrant_events_only_and_the_award_at_the_announcement():
    with world_at("embargoed") as world:
        client = Client()
        page = get(client, world.people["ellen"], reverse("awards:nomination", args=[world.objects["N"].pk]))
        lines = [(line.text, line.by, line.detail) for line in page.context["history"]]
        assert lines == [
            ("Nomination started", "Ellen Entrant", ""),
            (f"Submitted with reference {world.objects['N'].reference}", "Ellen Entrant", ""),
            ("Found eligible", "the awards team", "Kestrelbridge: registration confirmed"),
            ("Shortlisted", "", ""),
            ("Site visit arranged for 11am on 15 April 2030", "", ""),
            ("Site visit cancelled", "", ""),
            ("Site visit arranged for 11am on 15 April 2030", "", ""),
            ("Finalist", "", ""),
        ]
        assert ">Finalist</strong>" in page.content.decode()


def test_entrant_history_shows_the_result_at_the_announcement_instant():
    with world_at("announced") as world:
        page = get(Client(), world.people["ellen"], reverse("awards:nomination", args=[world.objects["N"].pk]))
        last = page.context["history"][-1]
        assert (last.at, last.text, last.by) == (
            world.objects["cycle"].winners_announced,
            "Result announced: Winner",
            "",
        )
        assert ">Winner</strong>" in page.content.decode()


# The embargo -----------------------------------------------------------------------------------


def test_postponing_the_announcement_hides_cached_winners_on_the_very_next_request():
    """On the real Redis cache: the winners pages are cached for a minute for
    anonymous visitors, and the media partner has the press pack; the
    administrator then moves the announcement later through the cycle form."""
    assert settings.CACHES["default"]["BACKEND"] == "core.caching.ForgivingRedisCache"
    with world_at("announced") as world:
        client, cycle = Client(), world.objects["cycle"]
        winners = reverse("winners:cycle", args=[cycle.pk])
        image = reverse("winners:image", args=[world.objects["image"].pk])
        shown = get(client, None, winners)
        assert shown.status_code == 200 and "Avocet" in shown.content.decode()
        assert "no-cache" in shown["Cache-Control"] and "max-age=0" in shown["Cache-Control"]
        assert "no-cache" in get(client, None, image)["Cache-Control"]
        assert get(client, None, winners).context is None  # the second answer came from the cache
        assert str(cycle) in get(client, None, reverse("winners:index")).content.decode()
        pack = get(client, world.people["media"], reverse("judging:press_pack", args=[cycle.pk]))
        assert pack.status_code == 200 and b"".join(pack.streaming_content)

        form = get(client, world.people["admin"], reverse("awards:manage_cycle_edit", args=[cycle.pk])).context["form"]
        data = {name: form[name].value() for name in form.fields}
        data["winners_announced"] = timezone.localtime(day(90)).strftime("%Y-%m-%dT%H:%M")
        data = {name: value for name, value in data.items() if value not in (None, False)}
        data = {
            name: value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value
            for name, value in data.items()
        }
        saved = client.post(reverse("awards:manage_cycle_edit", args=[cycle.pk]), data)
        assert saved.status_code == 302, saved.content.decode()[:3000]

        assert get(client, None, winners).status_code == 404
        assert get(client, None, image).status_code == 404
        assert str(cycle) not in get(client, None, reverse("winners:index")).content.decode()
        provider = get(client, world.people["ellen"], reverse("awards:dashboard")).content.decode()
        assert ">Winner</strong>" not in provider and ">Finalist</strong>" in provider
        assert (
            get(client, world.people["ellen"], reverse("judging:feedback", args=[world.objects["N"].pk])).status_code
            == 404
        )


# Images ----------------------------------------------------------------------------------------


def test_only_chosen_images_are_published_without_their_metadata():
    with world_at("announced") as world:
        client = Client()
        chosen = world.objects["image"]
        other = EvidenceFile.objects.exclude(pk=chosen.pk).get(nomination=world.objects["N"], kind="jpeg")
        with chosen.file.open("rb") as original:
            assert Image.open(original).getexif()[0x0110] == "Bittern X100"  # uploaded with its camera and GPS
        page = get(client, None, reverse("winners:cycle", args=[world.objects["cycle"].pk])).content.decode()
        assert f'src="{reverse("winners:image", args=[chosen.pk])}" alt="Residents by the Tamarisk pond"' in page
        assert reverse("winners:image", args=[other.pk]) not in page and "Kittiwake" not in page
        assert get(client, None, reverse("winners:image", args=[other.pk])).status_code == 404

        published = Image.open(io.BytesIO(body(get(client, None, reverse("winners:image", args=[chosen.pk])))))
        assert dict(published.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(published.info)
        assert published.size == (40, 30)

        pack = get(client, world.people["media"], reverse("judging:press_pack", args=[world.objects["cycle"].pk]))
        with zipfile.ZipFile(io.BytesIO(body(pack))) as archive:
            images = [name for name in archive.namelist() if name.startswith("images/")]
            assert images == [f"images/{world.objects['N'].reference}-{chosen.pk}.jpeg"]
            assert dict(Image.open(io.BytesIO(archive.read(images[0]))).getexif()) == {}
            assert b"Bittern" not in archive.read(images[0]) and b"Goldeneye" not in b"".join(
                archive.read(name) for name in archive.namelist()
            )


def test_choosing_images_keeps_every_answer_and_says_what_is_missing():
    with world_at("draft") as world:
        client = Client()
        chosen = world.objects["image"]
        other = EvidenceFile.objects.exclude(pk=chosen.pk).get(nomination=world.objects["N"], kind="jpeg")
        url = reverse("awards:images", args=[world.objects["N"].pk])
        client.force_login(world.people["ellen"])
        response = client.post(
            url,
            {
                f"publish_{chosen.pk}": "true",
                f"caption_{chosen.pk}": "A new caption",
                f"consent_{chosen.pk}": "true",
                f"publish_{other.pk}": "true",
                f"caption_{other.pk}": "",
            },
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert "Enter a public caption for image 2" in page
        assert "Confirm that everyone who can be recognised in image 2 agreed to its publication" in page
        assert 'value="A new caption"' in page  # what was typed is kept
        chosen.refresh_from_db()
        other.refresh_from_db()
        assert (chosen.public_caption, other.publish) == ("Residents by the Tamarisk pond", False)

        response = client.post(url, {f"caption_{chosen.pk}": "Kept back"})
        assert response.status_code == 302
        chosen.refresh_from_db()
        assert (chosen.publish, chosen.public_caption, bool(chosen.published_file)) == (False, "", False)
        event = AuditEvent.objects.filter(action="evidence.publication_changed").latest("pk")
        assert (event.before["publish"], event.after["publish"]) == (True, False)


def test_no_image_of_an_entry_without_consent_to_publish_is_public():
    with world_at("announced") as world:
        Nomination.objects.filter(pk=world.objects["N"].pk).update(consent_to_publish=False)
        from django.core.cache import cache

        cache.clear()
        client = Client()
        page = get(client, None, reverse("winners:cycle", args=[world.objects["cycle"].pk])).content.decode()
        assert "Tamarisk" not in page and "Wombat House" not in page and "A private sector service" in page
        assert get(client, None, reverse("winners:image", args=[world.objects["image"].pk])).status_code == 404


def test_a_withdrawn_nominations_images_cannot_be_published():
    with world_at("submitted") as world:
        other = EvidenceFile.objects.exclude(pk=world.objects["image"].pk).get(
            nomination=world.objects["N"], kind="jpeg"
        )
        awards.withdraw_nomination(world.people["ellen"], world.objects["N"], reason="Changed our minds")
        with pytest.raises(DomainError, match="withdrawn nomination"):
            awards.set_image_publication(
                world.people["ellen"], other, publish=True, caption="Kitchen", people_consent=True
            )
        # Taking consent back is always possible.
        awards.set_image_publication(world.people["ellen"], world.objects["image"], publish=False)


# The chair --------------------------------------------------------------------------------------


def test_a_chair_who_scores_a_nomination_sees_the_others_only_after_submitting():
    with world_at("scoring") as world:
        client = Client()
        n, charles, panel = world.objects["N"], world.people["charles"], world.objects["panel"]
        judging.override_assignment(world.people["admin"], n, charles, add=True, reason="A third opinion")
        url = reverse("judging:results", args=[panel.pk])
        ranking = get(client, charles, url)
        n.refresh_from_db()
        n2 = Nomination.objects.get(pk=world.objects["N2"].pk)
        assert [row["reference"] for row in ranking.context["rows"]] == [n2.reference]
        assert ranking.context["withheld_waiting"] == 1
        assert "78.0" not in ranking.content.decode() and "Judith Quayle" not in ranking.content.decode()
        assert (
            "Submit your own scores first"
            in get(client, charles, reverse("judging:shortlist", args=[panel.pk])).content.decode()
        )

        assignment = Assignment.objects.get(nomination=n, judge=charles, stage="written")
        criteria = {c.pk: (5, "") for c in n.category.criteria.filter(stage="written")}
        judging.save_scores(charles, assignment, criteria, submit=True)
        ranking = get(client, charles, url)
        assert n.reference in [row["reference"] for row in ranking.context["rows"]]
        assert "78.0" in ranking.content.decode() and "Judith Quayle" in ranking.content.decode()


def test_a_conflicted_chair_sees_nothing_of_the_entry_and_the_administrator_acts_instead():
    with world_at("visits") as world:
        client = Client()
        n, charles, admin, panel = (
            world.objects["N"],
            world.people["charles"],
            world.people["admin"],
            world.objects["panel"],
        )
        n.refresh_from_db()
        judging.declare_conflict(charles, world.objects["quokka"], kind="personal", note="My cousin manages it")
        ranking = get(client, charles, reverse("judging:results", args=[panel.pk]))
        assert n.reference not in ranking.content.decode() and ranking.context["withheld_conflicted"] == 1
        final = get(client, charles, reverse("judging:final", args=[panel.pk]))
        assert final.context["rows"] == [] and final.context["withheld"] == 1
        assert not final.context["may_sign_off"]
        assert "Wombat House" not in final.content.decode()
        with pytest.raises(PermissionDenied):
            judging.record_final_result(charles, n, award="winner", citation="C", rationale="R")

        final = get(client, admin, reverse("judging:final", args=[panel.pk]))
        (row,) = final.context["rows"]
        assert row[0] == n and row[3] is not None and row[4] is True  # the form, acting for the chair
        n.refresh_from_db()
        judging.save_scores(
            world.people["ivy"],
            Assignment.objects.get(nomination=n, judge=world.people["ivy"], stage="site_visit"),
            {c.pk: (7, "") for c in n.category.criteria.filter(stage="site_visit")},
            submit=True,
        )
        judging.record_final_result(admin, n, award="winner", citation="Avocet", rationale="Siskin")
        judging.sign_off(admin, panel)
        decided = AuditEvent.objects.get(action="final.decided")
        assert (decided.actor, decided.after["acting_for_conflicted_chair"]) == (admin, True)
        assert AuditEvent.objects.get(action="panel.signed_off").after["acting_for_conflicted_chair"] is True


def test_the_administrator_never_takes_an_unconflicted_chairs_decision():
    with world_at("visits") as world:
        n = world.objects["N"]
        with pytest.raises(PermissionDenied):
            judging.record_final_result(world.people["admin"], n, award="winner", citation="C", rationale="R")
        with pytest.raises(PermissionDenied):
            judging.sign_off(world.people["admin"], world.objects["panel"])


def test_a_chair_conflicted_with_a_candidate_leaves_the_shortlist_to_the_administrator():
    with world_at("scoring") as world:
        charles, category = world.people["charles"], world.objects["category"]
        judging.declare_conflict(charles, world.objects["bramble"], kind="financial")
        page = get(Client(), charles, reverse("judging:shortlist", args=[world.objects["panel"].pk]))
        page = html.unescape(page.content.decode())
        assert "An awards administrator decides this panel's shortlist" in page and "Bramble" not in page
        with pytest.raises(PermissionDenied):
            judging.decide_shortlist(charles, category, nomination_ids=None, rationale="")
        decided = judging.decide_shortlist(
            world.people["admin"], category, nomination_ids=None, rationale="", exception="Ivy is away until May"
        )
        assert decided and world.objects["panel"].__class__.objects.get().shortlist_exception == "Ivy is away until May"


# Emails and files to entrants ------------------------------------------------------------------


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
        response = get(Client(), world.people["media"], reverse("judging:press_pack", args=[world.objects["cycle"].pk]))
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
