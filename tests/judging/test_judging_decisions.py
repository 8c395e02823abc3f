"""Judging: shortlist, site visits, final decisions, the embargo and the press pack."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.enums import SiteRole
from accounts.models import AuditEvent
from awards import domain as awards_domain
from awards.enums import NominationState
from awards.models import Nomination
from core.errors import DomainError
from core.models import ExportJob
from judging import domain
from judging.enums import Award
from judging.models import Assignment, ConflictDeclaration, PressPackDownload, Publication

from ..factories import PNG_BYTES, make_eligible, make_user, visit_details
from .helpers import run_written_stage, score_all

pytestmark = pytest.mark.django_db


def test_shortlist_top_n_is_published_with_emails(client, world, admin, category, cycle, panel, run_on_commit):
    nominations = make_eligible(category, 4)
    run_written_stage(world, nominations, {n.reference: v for n, v in zip(nominations, [9, 3, 7, 5], strict=True)})
    domain.judging_settings_for(cycle)
    client.force_login(panel.chair)
    url = reverse("judging:results", args=[panel.pk])
    response = client.post(reverse("judging:shortlist", args=[panel.pk]), {"mode": "top"})
    assert response["Location"] == url
    # Not published yet: providers see nothing.
    assert Nomination.objects.get(pk=nominations[0].pk).state == NominationState.ELIGIBLE
    client.force_login(admin)
    # Before the cycle's shortlist date, publishing needs a reason.
    publish = reverse("judging:publish_shortlist", args=[panel.pk])
    refused = client.post(publish, {"early_reason": ""}, follow=True)
    assert "give the reason for publishing it earlier" in refused.content.decode()
    assert Nomination.objects.get(pk=nominations[0].pk).state == NominationState.ELIGIBLE
    with run_on_commit():
        client.post(publish, {"early_reason": "The awards evening moved forward"})
    assert AuditEvent.objects.get(action="shortlist.published").reason == "The awards evening moved forward"
    states = {n.reference: Nomination.objects.get(pk=n.pk).state for n in nominations}
    assert states == {
        nominations[0].reference: "shortlisted",
        nominations[1].reference: "not_shortlisted",
        nominations[2].reference: "shortlisted",
        nominations[3].reference: "shortlisted",
    }
    subjects = sorted(m.subject for m in mail.outbox)
    assert sum(s.startswith("Shortlisted:") for s in subjects) == 3


def test_shortlist_page_offers_every_ranked_nomination_and_needs_a_rationale_for_a_selection(
    client, world, category, judges, panel
):
    nominations = make_eligible(category, 3)
    run_written_stage(world, nominations, {n.reference: v for n, v in zip(nominations, [4, 9, 6], strict=True)})
    url = reverse("judging:shortlist", args=[panel.pk])
    client.force_login(panel.chair)
    form = client.get(url).context["form"]
    ranking = domain.category_results(category, "written", 25)
    assert [row.reference for row in ranking] == [nominations[i].reference for i in (1, 2, 0)]
    assert [label for _, label in form.fields["nominations"].choices] == [
        f"{row.rank}. {row.reference} (normalised {row.normalised:.1f})" for row in ranking
    ]
    refused = client.post(url, {"mode": "select", "nominations": [str(nominations[0].pk)]})
    assert "Explain why the panel chose this shortlist" in refused.content.decode()
    assert not panel.__class__.objects.get(pk=panel.pk).shortlist_decided_at
    client.post(url, {"mode": "select", "nominations": [str(nominations[0].pk)], "rationale": "Outstanding visit"})
    again = client.get(url).context["form"]
    assert again.initial["nominations"] == [str(nominations[0].pk)]
    client.force_login(judges[1])
    assert client.get(url).status_code == 404


def test_chairs_own_selection_needs_a_rationale(category, panel):
    nominations = make_eligible(category, 3)
    with pytest.raises(DomainError, match="Explain why"):
        domain.decide_shortlist(panel.chair, category, nomination_ids=[nominations[2].pk], rationale="")


def test_visit_rules_and_calendar_invitations(admin, category, cycle, judges, run_on_commit):
    nomination = make_eligible(category, 1)[0]
    Nomination.objects.filter(pk=nomination.pk).update(state="shortlisted")
    start = cycle.site_visits_start + timedelta(days=1)
    j1, j2, j3, j4 = judges
    with pytest.raises(DomainError, match="the cycle's site-visit window"):
        domain.schedule_visit(admin, nomination, [j1, j2], **visit_details(timezone.now() + timedelta(days=1)))
    with pytest.raises(DomainError, match="at least two judges"):
        domain.schedule_visit(admin, nomination, [j2], **visit_details(start))
    with pytest.raises(DomainError, match="lived experience"):
        domain.schedule_visit(admin, nomination, [j1, j3], **visit_details(start))
    ConflictDeclaration.objects.create(judge=j4, organisation=nomination.organisation, kind="personal")
    with pytest.raises(DomainError, match="j4@example.org has declared a conflict"):
        domain.schedule_visit(admin, nomination, [j1, j4], **visit_details(start))

    with run_on_commit():
        visit = domain.schedule_visit(admin, nomination, [j1, j2], **visit_details(start))
    invitations = [m for m in mail.outbox if m.attachments]
    assert sorted(m.to[0] for m in invitations) == ["chair@example.org", "j2@example.org", "jo@provider.example"]
    first = Calendar.from_ical(invitations[0].attachments[0][1])
    event = first.walk("VEVENT")[0]
    assert str(first["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{visit.uid}@care-awards"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == start.replace(microsecond=0) or event.decoded("DTSTART") == start
    assert set(
        Assignment.objects.filter(nomination=nomination, stage="site_visit").values_list("judge_id", flat=True)
    ) == {j1.pk, j2.pk}

    mail.outbox.clear()
    with run_on_commit():
        domain.reschedule_visit(admin, visit, [j1, j2], **visit_details(start + timedelta(days=1)))
    moved = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert (str(moved["UID"]), int(moved["SEQUENCE"])) == (f"{visit.uid}@care-awards", 1)

    mail.outbox.clear()
    with run_on_commit():
        domain.cancel_visit(admin, visit, reason="Outbreak at the home")
    cancelled = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(cancelled["METHOD"]) == "CANCEL"
    assert int(cancelled.walk("VEVENT")[0]["SEQUENCE"]) == 2
    assert str(cancelled.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def full_cycle_to_sign_off(world):
    """Written scores, shortlist, visit, report, visit scores, decision, sign-off."""
    nominations = make_eligible(world["category"], 3)
    run_written_stage(world, nominations, {n.reference: v for n, v in zip(nominations, [9, 6, 8], strict=True)})
    domain.decide_shortlist(world["panel"].chair, world["category"], nomination_ids=None, rationale="")
    domain.publish_shortlist(world["admin"], world["category"], early_reason="The test cycle runs early")
    winner = nominations[0]
    j1, j2 = world["judges"][:2]
    start = world["cycle"].site_visits_start + timedelta(days=1)
    visit = domain.schedule_visit(world["admin"], winner, [j1, j2], **visit_details(start))
    with pytest.raises(DomainError, match="once the visit starts"):
        domain.submit_visit_report(j2, visit, what_was_seen="Warm, calm home", spoke_to_people_using_service=True)
    with time_machine.travel(start + timedelta(hours=1)):
        domain.submit_visit_report(j2, visit, what_was_seen="Warm, calm home", spoke_to_people_using_service=True)
    for assignment in Assignment.objects.filter(nomination=winner, stage="site_visit"):
        score_all(assignment, 8)
    domain.record_final_result(
        world["panel"].chair,
        Nomination.objects.get(pk=winner.pk),
        award=Award.WINNER,
        citation="A home where residents lead.",
        rationale="Strongest on every criterion",
    )
    domain.sign_off(world["panel"].chair, world["panel"])
    return winner


def test_final_score_combines_written_and_visit_with_category_weights(world, category):
    winner = full_cycle_to_sign_off(world)
    result = winner.final_result
    written = {r.nomination_id: r.normalised for r in domain.category_results(category, "written", 25)}
    visit = {r.nomination_id: r.normalised for r in domain.category_results(category, "site_visit", 25)}
    expected = (written[winner.pk] * 60 + visit[winner.pk] * 40) / 100
    assert float(result.final_score) == pytest.approx(expected, abs=0.01)
    assert Nomination.objects.get(pk=winner.pk).state == NominationState.FINALIST


def test_sign_off_rechecks_composition(category, panel):
    nominations = make_eligible(category, 1)
    Nomination.objects.filter(pk=nominations[0].pk).update(state="finalist")
    nominations[0].refresh_from_db()
    domain.record_final_result(panel.chair, nominations[0], award=Award.WINNER, citation="Great", rationale="Best")
    from judging.models import JudgeProfile

    JudgeProfile.objects.update(lived_experience="none")
    with pytest.raises(DomainError, match="at least 1 member with lived experience"):
        domain.sign_off(panel.chair, panel)


class TestEmbargo:
    def test_nothing_is_public_one_second_before_and_everything_one_second_after(self, client, world, run_on_commit):
        winner = full_cycle_to_sign_off(world)
        Nomination.objects.filter(pk=winner.pk).update(consent_to_publish=True)
        from awards.models import EvidenceFile

        image = EvidenceFile.objects.create(
            nomination=winner, original_name="garden.png", kind="png", mimetype="image/png", size=len(PNG_BYTES)
        )
        image.file.save("evidence/x/garden.png", SimpleUploadedFile("g.png", PNG_BYTES), save=True)
        awards_domain.set_image_publication(
            winner.created_by, image, publish=True, caption="The garden in spring", people_consent=True
        )
        domain.approve_results(world["admin"], world["cycle"], early_reason="The test cycle runs early")
        instant = world["cycle"].winners_announced
        provider = winner.created_by

        with time_machine.travel(instant - timedelta(seconds=1), tick=False):
            client.logout()
            assert client.get(reverse("winners:cycle", args=[world["cycle"].pk])).status_code == 404
            assert client.get(reverse("winners:image", args=[image.pk])).status_code == 404
            assert world["cycle"].__str__() not in client.get(reverse("winners:index")).content.decode()
            client.force_login(provider)
            assert client.get(reverse("judging:feedback", args=[winner.pk])).status_code == 404
            dashboard = client.get(reverse("awards:dashboard")).content.decode()
            assert ">Winner</strong>" not in dashboard and ">Finalist</strong>" in dashboard
            assert domain.notify_entrants_of_results() == 0

        with time_machine.travel(instant + timedelta(seconds=1), tick=False):
            client.logout()
            page = client.get(reverse("winners:cycle", args=[world["cycle"].pk]))
            assert page.status_code == 200
            assert "A home where residents lead." in page.content.decode()
            assert client.get(reverse("winners:image", args=[image.pk])).status_code == 200
            client.force_login(provider)
            feedback = client.get(reverse("judging:feedback", args=[winner.pk])).content.decode()
            assert "Good work" in feedback and "judge@" not in feedback and "chair@example.org" not in feedback
            assert ">Winner</strong>" in client.get(reverse("awards:dashboard")).content.decode()
            with run_on_commit():
                sent = domain.notify_entrants_of_results()
            assert sent == 3
            assert domain.notify_entrants_of_results() == 0
            assert sum("results are announced" in m.subject for m in mail.outbox) >= 3


def test_approval_needs_every_panel_signed_off(admin, cycle):
    with pytest.raises(DomainError, match="Every panel must sign off first"):
        domain.approve_results(admin, cycle, early_reason="The test cycle runs early")
    assert not Publication.objects.exists()


def test_media_partner_downloads_the_press_pack_before_the_embargo(
    client, world, admin, category, cycle, judges, run_on_commit
):
    """The pack is built in the background (tests/judging/test_press_pack_jobs.py)."""
    winner = full_cycle_to_sign_off(world)
    Nomination.objects.filter(pk=winner.pk).update(consent_to_publish=True)
    media = make_user(email="media@example.org", roles=[SiteRole.MEDIA_PARTNER])
    client.force_login(media)
    assert client.post(reverse("judging:press_pack", args=[cycle.pk])).status_code == 404
    domain.approve_results(admin, cycle, early_reason="The test cycle runs early")
    with run_on_commit():
        asked = client.post(reverse("judging:press_pack", args=[cycle.pk]))
    job = ExportJob.objects.get()
    assert (asked.status_code, asked["Location"]) == (302, reverse("core:export_job", args=[job.pk]))
    response = client.get(reverse("core:export_download", args=[job.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["README.txt", "winners.csv", "winners.json"]
    data = json.loads(archive.read("winners.json"))
    assert data["results"] == [
        {
            "category": category.name,
            "award": "Winner",
            "reference": winner.reference,
            "service": winner.service_name,
            "organisation": winner.organisation.name,
            "citation": "A home where residents lead.",
            "images": [],
        }
    ]
    assert PressPackDownload.objects.get().user == media
    assert AuditEvent.objects.filter(action="press_pack.downloaded").count() == 1
    client.force_login(judges[1])
    assert client.post(reverse("judging:press_pack", args=[cycle.pk])).status_code == 403
