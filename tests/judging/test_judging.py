"""Judging end to end: panels, conflicts, scoring, no peeking, anonymity,
shortlist, site visits, final decisions, embargo and press pack."""

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
from awards.models import Cycle, Nomination
from core.errors import DomainError
from judging import domain
from judging.enums import Award
from judging.models import Assignment, ConflictDeclaration, PressPackDownload, Publication

from ..conftest import count_queries
from ..factories import (
    MINIMAL_PDF,
    PNG_BYTES,
    make_category,
    make_eligible,
    make_judge,
    make_panel,
    make_user,
    visit_details,
)

pytestmark = pytest.mark.django_db


def score_all(assignment, value=7):
    criteria = assignment.nomination.category.criteria.filter(stage=assignment.stage)
    domain.save_scores(assignment.judge, assignment, {c.pk: (value, "Good work") for c in criteria}, submit=True)


# Panels -------------------------------------------------------------------------


def test_composition_failures_say_exactly_which_rule_fails(admin, cycle):
    category = make_category(cycle, "Second")
    lone = make_judge("lone@example.org", sector="private")
    other = make_judge("other@example.org", sector="private")
    panel = make_panel(category, [lone, other], chair=lone, active=False)
    problems = domain.composition_problems(panel)
    assert problems == [
        "The panel needs at least 3 members; it has 2",
        "The panel needs at least 1 member with lived experience of care; it has 0",
        "Members must come from at least 2 sectors; they come from 1",
    ]
    with pytest.raises(DomainError, match="at least 3 members"):
        domain.activate_panel(admin, panel)


def test_panel_without_chair_or_profile_is_refused(cycle, judges):
    category = make_category(cycle, "Third")
    no_profile = make_user(email="noprofile@example.org", roles=[SiteRole.JUDGE])
    panel = make_panel(category, judges[1:] + [no_profile], chair=judges[1], active=False)
    panel.chair = None
    panel.save()
    problems = domain.composition_problems(panel)
    assert "These members have not completed their judge profile: noprofile@example.org" in problems
    assert "The panel needs a chair" in problems


def test_invitation_makes_a_judge(client, admin, run_on_commit):
    client.force_login(admin)
    with run_on_commit():
        client.post(reverse("judging:judges"), {"email": "New.Judge@example.org"})
    link = [line for line in mail.outbox[-1].body.splitlines() if "/judging/invitations/" in line][0]
    person = make_user(email="new.judge@example.org")
    client.force_login(person)
    response = client.get(link.replace("http://testserver", ""))
    assert response["Location"] == reverse("judging:profile")
    assert person.__class__.objects.get(pk=person.pk).has_site_role(SiteRole.JUDGE)
    grant_event = AuditEvent.objects.get(action="role.granted")
    assert grant_event.actor == admin


def test_invitation_for_someone_else_is_refused(client, admin):
    invitation = domain.invite_judge(admin, "intended@example.org")
    intruder = make_user(email="intruder@example.org")
    client.force_login(intruder)
    client.get(reverse("judging:accept_invitation", args=[invitation.token]))
    assert not intruder.__class__.objects.get(pk=intruder.pk).has_site_role(SiteRole.JUDGE)


# Assignment and conflicts ------------------------------------------------------------


def test_auto_assign_gives_k_clean_judges_balanced(client, admin, category, judges, panel):
    nominations = make_eligible(category, 4)
    ConflictDeclaration.objects.create(judge=judges[1], organisation=nominations[0].organisation, kind="employment")
    client.force_login(admin)
    client.post(reverse("judging:assign_judges", args=[panel.pk]))
    assigned = {
        n.pk: set(Assignment.objects.filter(nomination=n).values_list("judge_id", flat=True)) for n in nominations
    }
    assert all(len(chosen) == 3 for chosen in assigned.values())
    assert judges[1].pk not in assigned[nominations[0].pk]
    loads = [Assignment.objects.filter(judge=j).count() for j in judges]
    assert sorted(loads) == [3, 3, 3, 3]
    assert AuditEvent.objects.filter(action="assignment.auto").count() == 1


def test_declaring_a_conflict_while_reading_reassigns_the_nomination(client, admin, category, judges, run_on_commit):
    nominations = make_eligible(category, 1)
    domain.auto_assign(admin, category)
    assigned = list(Assignment.objects.filter(nomination=nominations[0]).values_list("judge_id", flat=True))
    judge = next(j for j in judges if j.pk in assigned)
    spare = next(j for j in judges if j.pk not in assigned)
    assignment = Assignment.objects.get(nomination=nominations[0], judge=judge)
    client.force_login(judge)
    client.post(reverse("judging:conflict_from_assignment", args=[assignment.pk]), {"kind": "personal"})
    assignment.refresh_from_db()
    assert assignment.state == "removed"
    active = set(
        Assignment.objects.filter(nomination=nominations[0], state="active").values_list("judge_id", flat=True)
    )
    assert judge.pk not in active and spare.pk in active and len(active) == 3
    assert client.get(reverse("judging:score", args=[assignment.pk])).status_code == 404
    conflict = ConflictDeclaration.objects.get(judge=judge)
    assert (conflict.organisation_id, conflict.nomination_id) == (nominations[0].organisation_id, nominations[0].pk)


def test_manual_override_is_recorded_and_never_assigns_a_conflicted_judge(admin, category, judges):
    nomination = make_eligible(category, 1)[0]
    judge = judges[2]
    ConflictDeclaration.objects.create(judge=judge, organisation=nomination.organisation, kind="financial")
    with pytest.raises(DomainError, match="has declared a conflict"):
        domain.override_assignment(admin, nomination, judge, add=True, reason="Expertise")
    domain.override_assignment(admin, nomination, judges[3], add=True, reason="Expertise")
    event = AuditEvent.objects.get(action="assignment.override")
    assert (event.after, event.reason) == ({"judge": "j4@example.org", "change": "added"}, "Expertise")


# Scoring and no peeking ----------------------------------------------------------------


@pytest.fixture
def scored(world):
    nominations = make_eligible(world["category"], 2)
    domain.auto_assign(world["admin"], world["category"])
    return nominations


def test_scores_are_drafted_then_submitted_and_locked(client, category, scored):
    assignment = Assignment.objects.filter(nomination=scored[0]).first()
    criteria = list(category.criteria.filter(stage="written"))
    client.force_login(assignment.judge)
    url = reverse("judging:score", args=[assignment.pk])
    submit = reverse("judging:submit_scores", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert f'action="{url}"' in page and f'formaction="{submit}"' in page  # one form, a URL per button
    draft = client.post(url, {f"score_{criteria[0].pk}": "7", f"comment_{criteria[0].pk}": "Strong"})
    assert draft["Location"] == url
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    refused = client.post(submit, {f"score_{criteria[0].pk}": "7", f"comment_{criteria[0].pk}": "Typed"})
    assert "Score every criterion before submitting: Outcomes" in refused.content.decode()
    assert refused.context["form"][f"comment_{criteria[0].pk}"].value() == "Typed"  # nothing typed is lost
    too_high = client.post(submit, {f"score_{criteria[0].pk}": "11"})
    assert "The score for Person-centred care must be 10 or less" in too_high.content.decode()
    assert client.get(submit).status_code == 405
    client.post(submit, {f"score_{criteria[0].pk}": "7", f"score_{criteria[1].pk}": "9"})
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    client.post(submit, {f"score_{criteria[0].pk}": "1", f"score_{criteria[1].pk}": "1"})
    assert dict(assignment.scores.values_list("criterion_id", "score")) == {criteria[0].pk: 7, criteria[1].pk: 9}


def test_no_peeking_before_submitting(client, panel, scored):
    mine, theirs = Assignment.objects.filter(nomination=scored[0])[:2]
    score_all(theirs, 9)
    client.force_login(mine.judge)
    assert client.get(reverse("judging:others_scores", args=[mine.pk])).status_code == 404
    assert client.get(reverse("judging:score", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("judging:others_scores", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("judging:score", args=[mine.pk])).content.decode()
    assert "Good work" not in page
    if panel.chair_id != mine.judge_id:
        assert client.get(reverse("judging:results", args=[panel.pk])).status_code == 404
    score_all(mine, 5)
    others = client.get(reverse("judging:others_scores", args=[mine.pk]))
    assert others.status_code == 200
    assert "Good work" in others.content.decode()


def test_a_judge_who_is_not_chair_never_sees_the_ranking(client, judges, panel, scored):
    judge = judges[2]
    client.force_login(judge)
    assert client.get(reverse("judging:results", args=[panel.pk])).status_code == 404
    assert client.get(reverse("judging:final", args=[panel.pk])).status_code == 404
    assert client.get(reverse("judging:panel", args=[panel.pk])).status_code == 404
    client.force_login(panel.chair)
    assert client.get(reverse("judging:results", args=[panel.pk])).status_code == 200


def test_anonymised_written_stage_hides_every_identifying_string(client, cycle, scored):
    cycle.anonymise_written_stage = True
    cycle.save()
    nomination = scored[0]
    Nomination.objects.filter(pk=nomination.pk).update(
        service_name="Rose House",
        service_address="12 Mill Lane\nPreston PR1 1AA",
        service_regulator_number="1-999888777",
        user_statement="Rose House changed my life; the team at " + nomination.organisation.name + " listen.",
    )
    nomination.refresh_from_db()
    from awards.models import EvidenceFile

    evidence = EvidenceFile.objects.create(
        nomination=nomination,
        original_name=f"{nomination.organisation.name} Rose House report.pdf",
        kind="pdf",
        mimetype="application/pdf",
        size=len(MINIMAL_PDF),
    )
    evidence.file.save("evidence/x/anon.pdf", SimpleUploadedFile("x.pdf", MINIMAL_PDF), save=True)
    assignment = Assignment.objects.filter(nomination=nomination).first()
    client.force_login(assignment.judge)
    html = client.get(reverse("judging:score", args=[assignment.pk])).content.decode()
    for secret in [nomination.organisation.name, "Rose House", "12 Mill Lane", "Preston PR1 1AA", "1-999888777"]:
        assert secret not in html
    assert "[the service] changed my life; the team at [the organisation] listen." in html
    download = client.get(reverse("judging:evidence", args=[assignment.pk, evidence.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="evidence-1.pdf"')
    assert "Rose" not in download["Content-Disposition"]


def test_chair_reopens_a_submitted_score_with_a_reason(client, panel, scored, run_on_commit):
    assignment = Assignment.objects.filter(nomination=scored[0]).exclude(judge=panel.chair).first()
    score_all(assignment)
    for own in Assignment.objects.filter(judge=panel.chair, submitted_at=None):
        score_all(own)  # the chair sees a row once their own scores for it are in
    client.force_login(panel.chair)
    results = client.get(reverse("judging:results", args=[panel.pk])).content.decode()
    url = reverse("judging:reopen_scores", args=[panel.pk, assignment.pk])
    assert f'href="{url}"' in results
    refused = client.post(url, {"reason": ""})
    assert "Enter the reason for reopening the scores" in refused.content.decode()
    with run_on_commit():
        response = client.post(url, {"reason": "Missed evidence"})
    assert response["Location"] == reverse("judging:results", args=[panel.pk]) + "?stage=written"
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    assert AuditEvent.objects.get(action="score.reopened").reason == "Missed evidence"
    assert mail.outbox[-1].to == [assignment.judge.email]


def test_only_the_chair_reopens_scores(client, admin, panel, scored):
    assignment = Assignment.objects.filter(nomination=scored[0]).exclude(judge=panel.chair).first()
    score_all(assignment)
    url = reverse("judging:reopen_scores", args=[panel.pk, assignment.pk])
    client.force_login(admin)
    assert client.post(url, {"reason": "Because"}).status_code == 404
    client.force_login(assignment.judge)
    assert client.post(url, {"reason": "Because"}).status_code == 404
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None


# The ranking page ------------------------------------------------------------------------


def test_ranking_page_follows_every_change_of_its_inputs(client, admin, category, panel):
    """The ranking is cached; each change of scores, nominations or casting
    decisions must show at once."""
    nominations = make_eligible(category, 3)
    domain.auto_assign(admin, category)
    url = reverse("judging:results", args=[panel.pk])
    client.force_login(admin)  # sees every row; what a chair sees is tested below

    def ranked():
        return [(row["reference"], row["normalised"]) for row in client.get(url).context["rows"]]

    assert ranked() == sorted((n.reference, "0.0") for n in nominations)
    first = Assignment.objects.filter(nomination=nominations[0]).order_by("pk").first()
    score_all(first, 9)
    assert ranked()[0] == (nominations[0].reference, "90.0")
    domain.reopen_scores(panel.chair, first, reason="Check")
    assert ranked()[0] == (nominations[0].reference, "0.0")
    score_all(Assignment.objects.get(pk=first.pk), 4)
    assert ranked()[0] == (nominations[0].reference, "40.0")
    tied = sorted(nominations[1:], key=lambda n: n.reference)
    assert [reference for reference, _ in ranked()[1:]] == [n.reference for n in tied]
    domain.record_tie_break(panel.chair, category, stage="written", preferred=tied[1], over=tied[0], reason="Stronger")
    assert [reference for reference, _ in ranked()[1:]] == [tied[1].reference, tied[0].reference]
    awards_domain.decide_eligibility(admin, tied[1], eligible=False, reason_code="other", note="Late")
    assert [reference for reference, _ in ranked()] == [nominations[0].reference, tied[0].reference]


def test_ranking_page_lists_fifty_a_page_and_ties_only_in_the_casting_form(client, admin, category, panel):
    make_eligible(category, 53)
    domain.auto_assign(admin, category)
    Assignment.objects.filter(judge=panel.chair).delete()  # a chair who scores nothing here
    url = reverse("judging:results", args=[panel.pk])
    client.force_login(panel.chair)
    first = client.get(url)
    assert [row["rank"] for row in first.context["rows"]] == list(range(1, 51))
    assert first.context["summary"] == {"ranked": 53, "disagreement": 0, "needs_casting_vote": 53}
    second = client.get(url, {"page": 2})
    assert [row["rank"] for row in second.context["rows"]] == [51, 52, 53]
    # Nothing scored: all 53 are tied, so all are offered for a casting decision.
    assert len(first.context["tie_form"].fields["preferred"].choices) == 1 + 53


def test_casting_form_is_hidden_when_nothing_is_tied(client, world, category, panel):
    nominations = make_eligible(category, 2)
    run_written_stage(world, nominations, {nominations[0].reference: 9, nominations[1].reference: 3})
    client.force_login(panel.chair)
    response = client.get(reverse("judging:results", args=[panel.pk]))
    assert response.context["tie_form"] is None
    assert "No nominations are tied on score." in response.content.decode()


# Shortlist, visits, final decision, publication --------------------------------------------


def run_written_stage(world, nominations, scores_by_reference):
    domain.auto_assign(world["admin"], world["category"])
    for nomination in nominations:
        for assignment in Assignment.objects.filter(nomination=nomination, stage="written"):
            score_all(assignment, scores_by_reference[nomination.reference])


def test_shortlist_top_n_is_published_with_emails(client, world, admin, category, cycle, panel, run_on_commit):
    nominations = make_eligible(category, 4)
    run_written_stage(world, nominations, {n.reference: v for n, v in zip(nominations, [9, 3, 7, 5], strict=True)})
    domain.rules_for(cycle)
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


def test_media_partner_downloads_the_press_pack_before_the_embargo(client, world, admin, category, cycle, judges):
    winner = full_cycle_to_sign_off(world)
    Nomination.objects.filter(pk=winner.pk).update(consent_to_publish=True)
    media = make_user(email="media@example.org", roles=[SiteRole.MEDIA_PARTNER])
    client.force_login(media)
    assert client.get(reverse("judging:press_pack", args=[cycle.pk])).status_code == 404
    domain.approve_results(admin, cycle, early_reason="The test cycle runs early")
    response = client.get(reverse("judging:press_pack", args=[cycle.pk]))
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
    assert client.get(reverse("judging:press_pack", args=[cycle.pk])).status_code == 403


# Query counts ------------------------------------------------------------------------------


def test_judge_list_scoring_and_ranking_query_counts_do_not_grow(client, admin, category, judges, panel):
    judge = judges[1]
    chair = panel.chair

    def setup(count, start):
        make_eligible(category, count, prefix=f"Batch{start}")
        domain.auto_assign(admin, category)

    setup(1, 0)
    for assignment in Assignment.objects.all():
        score_all(assignment)
    # The chair sees a ranking row once their own scorecard for it is in.
    chair_scores_all = lambda: [score_all(a) for a in Assignment.objects.filter(judge=chair, submitted_at=None)]  # noqa: E731
    client.force_login(judge)
    first = Assignment.objects.filter(judge=judge).first() or Assignment.objects.first()
    list_one = count_queries(lambda: client.get(reverse("judging:home")))
    client.force_login(first.judge)
    score_one = count_queries(lambda: client.get(reverse("judging:score", args=[first.pk])))
    client.force_login(chair)
    rank_one = count_queries(lambda: client.get(reverse("judging:results", args=[panel.pk])))

    setup(29, 1)
    chair_scores_all()
    for assignment in Assignment.objects.filter(submitted_at__isnull=True)[:40]:
        score_all(assignment)
    client.force_login(judge)
    list_thirty = count_queries(lambda: client.get(reverse("judging:home")))
    assert len(client.get(reverse("judging:home")).context["written"]) > 10
    client.force_login(first.judge)
    score_thirty = count_queries(lambda: client.get(reverse("judging:score", args=[first.pk])))
    client.force_login(chair)
    rank_thirty = count_queries(lambda: client.get(reverse("judging:results", args=[panel.pk])))
    assert len(client.get(reverse("judging:results", args=[panel.pk])).context["rows"]) == 30
    assert (list_one, score_one, rank_one) == (list_thirty, score_thirty, rank_thirty)


def test_winners_page_query_count_does_not_grow(client, category, cycle):
    from django.core.cache import cache

    from judging.models import FinalResult

    Publication.objects.create(cycle=cycle, approved_at=timezone.now())
    Cycle.objects.filter(pk=cycle.pk).update(results_approved_at=timezone.now())

    def award(each):
        for nomination, kind in zip(make_eligible(each, 3, prefix=each.name), Award.values[:3], strict=True):
            FinalResult.objects.create(nomination=nomination, award=kind, final_score=80, citation=f"{kind} citation")

    def page():
        cache.clear()  # the public page is cached: count the work behind it
        return client.get(reverse("winners:cycle", args=[cycle.pk]))

    award(category)
    with time_machine.travel(cycle.winners_announced + timedelta(seconds=1)):
        one = count_queries(page)
        for n in range(4):
            award(make_category(cycle, f"Category {n}"))
        several = count_queries(page)
        response = page()
        assert response.status_code == 200
        assert len(response.context["by_category"]) == 5
    assert one == several


def test_exports_and_distribution(client, world, admin, category, cycle):
    nominations = make_eligible(category, 2)
    run_written_stage(world, nominations, {n.reference: 6 for n in nominations})
    client.force_login(admin)
    scores = client.get(reverse("judging:export", args=[cycle.pk, "scores", "csv"]))
    text = b"".join(scores.streaming_content).decode("utf-8-sig").splitlines()
    assert text[0].startswith("Reference,Category,Stage,Judge,Criterion,Score")
    assert len(text) == 1 + 2 * 3 * 2  # 2 nominations × 3 judges × 2 written criteria
    rankings = client.get(reverse("judging:export", args=[cycle.pk, "rankings", "xlsx"]))
    assert rankings["Content-Type"].startswith("application/vnd.openxmlformats")
    distribution = client.get(reverse("judging:distribution", args=[cycle.pk]))
    rows = distribution.context["rows"]
    assert sum(r["count"] for r in rows) == 6
    assert all(r["mean"] == pytest.approx(60.0) for r in rows)
    assert client.get(reverse("judging:export", args=[cycle.pk, "secrets", "csv"])).status_code == 404
