"""Judging's lifecycle rules, one test per situation the issue saw: each is
refused with a clear message, or goes through its recorded route."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent
from awards.domain import copy_cycle
from awards.models import Nomination, Programme
from core.errors import DomainError
from judging import domain
from judging.enums import AssignmentState, PanelState, Stage
from judging.models import Assignment, ConflictDeclaration, FinalResult, Panel, Publication, ResultsCorrection
from judging.queries import understaffed

from ..factories import make_category, make_cycle, make_eligible, make_panel, visit_details

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def score_everything(world, value=7):
    for assignment in Assignment.objects.filter(
        nomination__category=world["category"], state=AssignmentState.ACTIVE, submitted_at__isnull=True
    ).select_related("judge", "nomination__category"):
        criteria = world["category"].criteria.filter(stage=assignment.stage)
        domain.save_scores(assignment.judge, assignment, {c.pk: (value, "Seen") for c in criteria}, submit=True)


def to_finalists(world, count=1):
    """Scored, shortlisted, published and visited: `count` finalists."""
    nominations = make_eligible(world["category"], count)
    domain.auto_assign(world["admin"], world["category"])
    score_everything(world)
    domain.decide_shortlist(world["judges"][0], world["category"], nomination_ids=None, rationale="")
    domain.publish_shortlist(world["admin"], world["category"], early_reason="The test cycle runs early")
    start = world["cycle"].site_visits_start + timedelta(hours=10)
    for nomination in nominations:
        domain.schedule_visit(world["admin"], nomination, world["judges"][:2], **visit_details(start))
    with time_machine.travel(start + timedelta(hours=1)):
        for visit in world["category"].nominations.get(pk=nominations[0].pk).site_visits.all():
            domain.submit_visit_report(world["judges"][0], visit, what_was_seen="Calm and kind")
        for nomination in nominations[1:]:
            for visit in nomination.site_visits.all():
                domain.submit_visit_report(world["judges"][0], visit, what_was_seen="Calm and kind")
    return [Nomination.objects.get(pk=n.pk) for n in nominations]


def test_a_signed_off_panel_is_corrected_only_through_withdrawal_and_reopening(
    world, cycle, judges, panel, run_on_commit, admin
):
    (finalist,) = to_finalists(world)
    chair = judges[0]
    domain.record_final_result(chair, finalist, award="winner", citation="Residents lead", rationale="Clear")
    domain.sign_off(chair, panel)
    domain.approve_results(admin, cycle, early_reason="The test cycle runs early")
    written = Assignment.objects.filter(nomination=finalist, stage=Stage.WRITTEN).first()

    with pytest.raises(DomainError, match="The panel has signed off its decisions, so scores cannot be reopened"):
        domain.reopen_scores(chair, written, reason="Typo")
    with pytest.raises(DomainError, match="The cycle's results are approved: withdraw them first"):
        domain.reopen_panel(admin, panel, reason="Typo")
    with pytest.raises(DomainError, match="Give the reason for correcting the results"):
        domain.withdraw_results(admin, cycle, reason=" ")

    mail.outbox.clear()
    with run_on_commit():
        correction = domain.withdraw_results(admin, cycle, reason="A score was typed against the wrong entry")
        domain.reopen_panel(admin, panel, reason="Correct the mistyped score")
    finalist.refresh_from_db()
    panel.refresh_from_db()
    assert (finalist.state, panel.state, Publication.objects.count()) == ("finalist", "active", 0)
    assert (correction.reason, correction.was_announced) == ("A score was typed against the wrong entry", False)
    assert [m.to for m in mail.outbox] == [["chair@example.org"]]
    assert "Correct the mistyped score" in mail.outbox[0].body
    # Reopened, the panel corrects, and the correction stays on record for the announcement.
    domain.reopen_scores(chair, written, reason="Mistyped score")
    assert list(
        AuditEvent.objects.filter(action__in=["results.withdrawn", "panel.reopened", "score.reopened"])
        .order_by("pk")
        .values_list("action", "reason")
    ) == [
        ("results.withdrawn", "A score was typed against the wrong entry"),
        ("panel.reopened", "Correct the mistyped score"),
        ("score.reopened", "Mistyped score"),
    ]
    assert list(ResultsCorrection.objects.values_list("cycle", flat=True)) == [cycle.pk]


def test_a_scorecard_left_open_at_sign_off_cannot_be_submitted_afterwards(world, category, judges, panel):
    (finalist,) = to_finalists(world)
    visit_scorecard = Assignment.objects.filter(nomination=finalist, stage=Stage.SITE_VISIT).first()
    chair = judges[0]
    domain.record_final_result(chair, finalist, award="winner", citation="Residents lead", rationale="Clear")
    domain.sign_off(chair, panel)
    criteria = category.criteria.filter(stage=Stage.SITE_VISIT)
    with pytest.raises(DomainError, match="The panel has signed off its decisions, so scores can no longer be entered"):
        domain.save_scores(visit_scorecard.judge, visit_scorecard, {c.pk: (9, "") for c in criteria}, submit=True)
    assert visit_scorecard.scores.count() == 0


def test_the_shortlist_waits_for_every_scorecard_or_the_chairs_recorded_exception(admin, category, judges, panel):
    nominations = make_eligible(category, 2)
    domain.auto_assign(admin, category)
    references = sorted(n.reference for n in nominations)
    with pytest.raises(DomainError) as refused:
        domain.decide_shortlist(judges[0], category, nomination_ids=None, rationale="")
    assert str(refused.value) == (
        f"Scorecards are still out for 2 nominations ({', '.join(references)}): wait for them, or record why the "
        "panel decides now"
    )
    domain.decide_shortlist(
        judges[0],
        category,
        nomination_ids=[nominations[0].pk],
        rationale="Only one meets the bar",
        exception="Two judges are ill; the panel agreed to decide on the scores in",
    )
    panel.refresh_from_db()
    assert panel.shortlist_exception == "Two judges are ill; the panel agreed to decide on the scores in"
    assert AuditEvent.objects.get(action="shortlist.decided").after["scorecards_outstanding"] == references


def test_publishing_the_shortlist_and_approving_results_early_need_a_reason(world, cycle, judges, panel, admin):
    (finalist,) = to_finalists(world)
    chair = judges[0]
    domain.record_final_result(chair, finalist, award="winner", citation="Residents lead", rationale="Clear")
    domain.sign_off(chair, panel)
    with pytest.raises(DomainError, match="The final panel meets at .*: give the reason for approving the results"):
        domain.approve_results(admin, cycle)
    assert Publication.objects.count() == 0
    with time_machine.travel(cycle.final_panel + timedelta(minutes=1)):
        domain.approve_results(admin, cycle)
    assert AuditEvent.objects.get(action="results.approved").after["early"] is False
    published = AuditEvent.objects.get(action="shortlist.published")
    assert (published.after, published.reason) == ({"early": True}, "The test cycle runs early")


def test_a_shortlist_published_early_without_a_reason_is_refused(world, admin, category, judges):
    make_eligible(category, 1)
    domain.auto_assign(admin, category)
    score_everything(world)
    domain.decide_shortlist(judges[0], category, nomination_ids=None, rationale="")
    with pytest.raises(DomainError, match="The shortlist is due to be published at .*: give the reason"):
        domain.publish_shortlist(admin, category)


def test_visits_happen_inside_the_window_and_reports_come_after_them(admin, category, cycle, judges):
    nomination = make_eligible(category, 1)[0]
    Nomination.objects.filter(pk=nomination.pk).update(state="shortlisted")
    team = judges[:2]
    too_early = cycle.site_visits_start - timedelta(days=1)
    with pytest.raises(DomainError, match="Visits take place between .* the cycle's site-visit window"):
        domain.schedule_visit(admin, nomination, team, **visit_details(too_early))
    start = cycle.site_visits_start + timedelta(days=2)
    visit = domain.schedule_visit(admin, nomination, team, **visit_details(start))
    with (
        time_machine.travel(start - timedelta(days=7)),
        pytest.raises(DomainError, match="The report can be written once the visit starts"),
    ):
        domain.submit_visit_report(team[0], visit, what_was_seen="Written in advance")
    with time_machine.travel(start + timedelta(hours=3)):
        domain.submit_visit_report(team[0], visit, what_was_seen="People lead their own care")
    assert Nomination.objects.get(pk=nomination.pk).state == "finalist"


def test_no_award_lets_one_category_sign_off_without_holding_up_the_cycle(
    world, admin, category, cycle, judges, panel, client
):
    finalists = to_finalists(world, count=2)
    chair = judges[0]
    with pytest.raises(DomainError, match="The panel has not chosen a winner, nor decided to make no award"):
        domain.sign_off(chair, panel)
    domain.record_final_result(chair, finalists[0], award="highly_commended", citation="Good", rationale="Close")
    with pytest.raises(DomainError, match="Take back the awards already decided first"):
        domain.record_no_award(chair, category, rationale="No entry reached the standard")
    domain.record_final_result(chair, finalists[0], award="none", rationale="Not this year")
    domain.record_no_award(chair, category, rationale="No entry reached the standard")
    assert list(FinalResult.objects.order_by("nomination").values_list("award", flat=True)) == ["none", "none"]
    with pytest.raises(DomainError, match="The panel decided to make no award in this category"):
        domain.record_final_result(chair, finalists[1], award="winner", citation="x", rationale="y")
    domain.sign_off(chair, panel)
    domain.approve_results(admin, cycle, early_reason="The test cycle runs early")
    with time_machine.travel(cycle.winners_announced + timedelta(minutes=1)):
        page = client.get(reverse("winners:cycle", args=[cycle.pk]))
    assert f"The judges made no award this year in {world['category'].name}." in page.content.decode()


def test_no_award_and_sign_off_wait_for_the_shortlist_to_be_published(admin, category, judges, panel):
    make_eligible(category, 1)
    domain.auto_assign(admin, category)
    with pytest.raises(DomainError, match="The panel decides its awards after the shortlist is published"):
        domain.record_no_award(judges[0], category, rationale="Weak field")
    with pytest.raises(DomainError, match="The shortlist has not been published yet"):
        domain.sign_off(judges[0], panel)


def test_a_conflict_takes_the_judge_off_the_visit_team_and_restaffs_it(
    world, admin, category, cycle, judges, run_on_commit
):
    (finalist,) = to_finalists(world)
    shortlisted = make_eligible(category, 1, prefix="Later")[0]
    Nomination.objects.filter(pk=shortlisted.pk).update(state="shortlisted")
    j2 = judges[1]
    visit = domain.schedule_visit(
        admin,
        shortlisted,
        [judges[0], j2],
        **visit_details(cycle.site_visits_start + timedelta(days=3)),
    )
    mail.outbox.clear()
    with run_on_commit():
        domain.declare_conflict(j2, shortlisted.organisation, kind="employment", note="I worked there")
    visit.refresh_from_db()
    # The only other judge with lived experience takes the place, so the team keeps the visit rules.
    assert sorted(visit.judges.values_list("email", flat=True)) == ["chair@example.org", "j4@example.org"]
    assert visit.sequence == 1
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert [to for to, _ in sent] == ["chair@example.org", "j2@example.org", "j4@example.org", "jo@provider.example"]
    assert "cancel" in dict(sent)["j2@example.org"].lower()
    assert not Assignment.objects.filter(
        judge=j2, nomination__organisation=shortlisted.organisation, state=AssignmentState.ACTIVE
    ).exists()
    # The finalist of another organisation keeps its team: the conflict is with one organisation.
    assert j2 in finalist.site_visits.get().judges.all()


def test_a_conflict_tops_written_scoring_back_up_to_k_or_flags_the_nomination(admin, category, judges, panel, client):
    nomination = make_eligible(category, 1)[0]
    domain.auto_assign(admin, category)
    k = category.judges_per_nomination
    assigned = set(
        Assignment.objects.filter(nomination=nomination, state=AssignmentState.ACTIVE).values_list("judge", flat=True)
    )
    assert len(assigned) == k == 3
    leaving = Assignment.objects.filter(nomination=nomination).first().judge
    domain.declare_conflict(leaving, nomination.organisation, kind="personal")
    active = set(
        Assignment.objects.filter(nomination=nomination, state=AssignmentState.ACTIVE).values_list("judge", flat=True)
    )
    assert (len(active), leaving.pk in active, understaffed(category)) == (3, False, {})
    second = next(j for j in judges if j.pk in active)
    domain.declare_conflict(second, nomination.organisation, kind="personal")
    assert understaffed(category) == {
        nomination.pk: "Only 2 of the 3 judges needed are on the panel without a conflict of interest"
    }
    client.force_login(admin)
    page = client.get(reverse("judging:panel", args=[panel.pk]))
    assert page.context["short"] == [
        (nomination, "Only 2 of the 3 judges needed are on the panel without a conflict of interest")
    ]


def test_a_conflict_leaves_final_work_in_other_cycles_as_it_was(admin, cycle, judges):
    past_cycle = make_cycle(year=cycle.year - 1)
    past_category = make_category(past_cycle, "Last year's category")
    past_panel = make_panel(past_category, judges)
    past_entry = make_eligible(past_category, 1, prefix="Returning")[0]
    domain.auto_assign(admin, past_category)
    Panel.objects.filter(pk=past_panel.pk).update(state=PanelState.SIGNED_OFF)
    judge = Assignment.objects.filter(nomination=past_entry).first().judge
    conflict = domain.declare_conflict(judge, past_entry.organisation, kind="employment")
    assert ConflictDeclaration.objects.get(pk=conflict.pk).organisation == past_entry.organisation
    # Last year's signed-off work is final and stays as it was.
    assert Assignment.objects.get(nomination=past_entry, judge=judge).state == AssignmentState.ACTIVE


def test_a_panel_reopened_for_correction_applies_conflicts_declared_meanwhile(world, judges, panel, admin):
    (finalist,) = to_finalists(world)
    chair = judges[0]
    domain.record_final_result(chair, finalist, award="winner", citation="Residents lead", rationale="Clear")
    domain.sign_off(chair, panel)
    j2 = judges[1]
    domain.declare_conflict(j2, finalist.organisation, kind="family")
    assert Assignment.objects.filter(judge=j2, nomination=finalist, state=AssignmentState.ACTIVE).exists()
    domain.reopen_panel(admin, panel, reason="A judge's conflict came to light")
    assert not Assignment.objects.filter(judge=j2, nomination=finalist, state=AssignmentState.ACTIVE).exists()
    removed = AuditEvent.objects.filter(action="assignment.removed", actor=admin).count()
    assert removed == Assignment.objects.filter(judge=j2, nomination=finalist).count() >= 1


def test_manual_assignment_takes_only_eligible_nominations_and_explains_a_wrong_reference(
    admin, category, judges, panel, client
):
    nomination = make_eligible(category, 1)[0]
    Nomination.objects.filter(pk=nomination.pk).update(state="shortlisted")
    with pytest.raises(DomainError, match=f"{nomination.reference} is shortlisted: only a nomination found eligible"):
        domain.override_assignment(admin, nomination, judges[3], add=True, reason="Expert")
    client.force_login(admin)
    # Nominations are picked from a list of the eligible ones: anything else is refused with the reason.
    response = client.post(
        reverse("judging:override_assignment", args=[panel.pk]),
        {
            "override-nomination": "999999",
            "override-judge": str(judges[3].pk),
            "override-change": "add",
            "override-reason": "Expert",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["nomination"] == [
        "Select a nomination from the list: that one is no longer eligible"
    ]


def test_copying_a_cycle_refuses_a_local_time_that_is_ambiguous_or_missing_in_the_new_year(admin):
    cycle = make_cycle(
        opens=datetime(2026, 1, 10, 9, 0, tzinfo=LONDON),
        closes=datetime(2026, 6, 30, 17, 0, tzinfo=LONDON),
        year=2026,
        programme=Programme.objects.create(name="Leadership Awards", reference_prefix="LA"),
    )
    # 01:30 on 31 October: once in 2026, twice in 2027 (the clocks go back that night).
    type(cycle).objects.filter(pk=cycle.pk).update(winners_announced=datetime(2026, 10, 31, 1, 30, tzinfo=LONDON))
    cycle.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        copy_cycle(admin, cycle, 2027)
    assert "These times happen twice, or not at all, in UK time in 2027" in str(refused.value)
    assert "1:30am on 31 October 2027" in str(refused.value)
    assert not type(cycle).objects.filter(programme=cycle.programme, year=2027).exists()
