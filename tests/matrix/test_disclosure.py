"""The disclosure policy in particular situations: the documented table, the
entrant's history, the embargo on the real Redis cache, image publication. A chair
who is conflicted or still scoring is in test_disclosure_chair.py; emails and files
to entrants in test_disclosure_emails_and_files.py; the matrix over every surface
in test_disclosure_matrix.py."""

import io
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import AuditEvent
from awards import domain as awards
from awards.disclosure import markdown_table
from awards.models import EvidenceFile, Nomination
from core.errors import DomainError

from .disclosure_cast import day
from .disclosure_client import body, get, press_pack
from .disclosure_world import world_at

pytestmark = pytest.mark.django_db


def test_the_documented_table_is_the_policy():
    text = (settings.BASE_DIR / "docs" / "disclosure.md").read_text()
    assert markdown_table() in text


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
        pack = press_pack(client, world.people["media"], cycle)
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

        pack = press_pack(client, world.people["media"], world.objects["cycle"])
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
