"""The judging panel's lifecycle machine, which test_panel_lifecycle.py runs."""

from datetime import timedelta

from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from accounts.enums import SiteRole
from accounts.models import Membership
from awards.enums import NominationState
from awards.models import Nomination
from judging import domain as judging
from judging.enums import AssignmentState, PanelState, Stage, VisitState
from judging.models import (
    Assignment,
    ConflictDeclaration,
    CriterionScore,
    FinalResult,
    Panel,
    PanelMember,
    Publication,
    SiteVisit,
)
from judging.queries import understaffed

from ..factories import make_category, make_cycle, make_eligible, make_judge, make_panel, make_user, visit_details
from .steps import RolledBack


class PanelLifecycle(RolledBack, RuleBasedStateMachine):
    """One category of a cycle whose scoring is done and whose site-visit
    window is now: judges score, reopen, declare conflicts; the chair (or an
    administrator for a conflicted chair) shortlists, decides, signs off; the
    administrator publishes, schedules visits, approves, withdraws and reopens."""

    def __init__(self):
        super().__init__()
        self._begin()
        self.now = timezone.now()
        closes = self.now - timedelta(days=59)  # visits between now - 9 days and now + 1 day; final panel in 11 days
        self.cycle = make_cycle(opens=closes - timedelta(days=60), closes=closes)
        self.category = make_category(self.cycle)
        self.judges = [
            make_judge("chair@panel.example", sector="public"),
            make_judge("j1@panel.example", sector="private", lived="uses_services"),
            make_judge("j2@panel.example", sector="voluntary"),
            make_judge("j3@panel.example", sector="community", lived="unpaid_carer"),
            make_judge("j4@panel.example", sector="private"),
        ]
        self.chair = self.judges[0]
        self.panel = make_panel(self.category, self.judges, chair=self.chair)
        self.admin = make_user(email="admin@awards.example", roles=[SiteRole.AWARDS_ADMIN])
        self.nominations = make_eligible(self.category, 4)
        self.organisations = [n.organisation for n in self.nominations]
        judging.auto_assign(self.admin, self.category)
        self.final = None

    def actor(self, who):
        return self.chair if who == "chair" else self.admin

    def panel_state(self):
        return Panel.objects.values_list("state", flat=True).get(pk=self.panel.pk)

    def visits(self):
        return SiteVisit.objects.filter(nomination__category=self.category, state=VisitState.SCHEDULED)

    def active_assignments(self, **filters):
        return list(
            Assignment.objects.filter(nomination__category=self.category, state=AssignmentState.ACTIVE, **filters)
            .select_related("judge", "nomination__category")
            .order_by("pk")
        )

    # The panel getting on with its work: the next step of the usual path, through the same domain functions.
    # Three rules, so that random sequences reach shortlists, visits, decisions and approval, not only the start.

    def as_chair(self, name, action):
        """The chair acts; where the chair has a conflict, an administrator."""
        return self.attempt(name, lambda: action(self.chair)) or self.attempt(name, lambda: action(self.admin))

    def next_step(self, patient):
        """`patient`: wait for every scorecard before shortlisting, or decide
        now with the chair's recorded exception."""
        panel = Panel.objects.get(pk=self.panel.pk)
        waiting = self.active_assignments(submitted_at__isnull=True, stage=Stage.WRITTEN)
        if panel.state == PanelState.SIGNED_OFF:
            if not Publication.objects.filter(cycle=self.cycle).exists():
                self.attempt(
                    "approve the results",
                    lambda: judging.approve_results(self.admin, self.cycle, early_reason="The panel met early"),
                )
            return
        if panel.shortlist_decided_at is None:
            if waiting and patient:
                assignment = waiting[0]
                criteria = self.category.criteria.filter(stage=assignment.stage)
                self.attempt(
                    "submit scores",
                    lambda: judging.save_scores(
                        assignment.judge, assignment, {c.pk: (6, "Good") for c in criteria}, submit=True
                    ),
                )
                return
            self.as_chair(
                "decide the shortlist",
                lambda actor: judging.decide_shortlist(
                    actor, self.category, nomination_ids=None, rationale="", exception="Agreed to decide now"
                ),
            )
            return
        if panel.shortlist_published_at is None:
            self.attempt("publish the shortlist", lambda: judging.publish_shortlist(self.admin, self.category))
            return
        unvisited = (
            Nomination.objects.filter(category=self.category, state="shortlisted")
            .exclude(site_visits__state=VisitState.SCHEDULED)
            .order_by("pk")
            .first()
        )
        if unvisited is not None:
            self.schedule_a_clean_visit(unvisited)
            return
        visit = self.visits().filter(report_submitted_at__isnull=True).order_by("pk").first()
        if visit is not None:
            judge = visit.judges.order_by("pk").first()
            self.attempt(
                "submit a visit report",
                lambda: judging.submit_visit_report(judge, visit, what_was_seen="Warm, calm, people in charge"),
            )
            return
        finalist = Nomination.objects.filter(category=self.category, state="finalist", final_result=None).first()
        if finalist is not None:
            has_winner = FinalResult.objects.filter(nomination__category=self.category, award="winner").exists()
            self.as_chair(
                "record a final result",
                lambda actor: judging.record_final_result(
                    actor,
                    finalist,
                    award="highly_commended" if has_winner else "winner",
                    citation="Outstanding",
                    rationale="Panel agreed",
                ),
            )
            return
        self.as_chair("sign off", lambda actor: judging.sign_off(actor, self.panel))

    def schedule_a_clean_visit(self, nomination):
        conflicted = {j for j, o in self.conflicted_pairs() if o == nomination.organisation_id}
        clean = [j for j in self.judges if j.pk not in conflicted]
        lived = [j for j in clean if j.judge_profile.lived_experience != "none"][:1]
        team = (lived + [j for j in clean if j not in lived])[:2]
        starts = self.cycle.site_visits_start + timedelta(hours=10)
        self.attempt(
            "schedule a visit", lambda: judging.schedule_visit(self.admin, nomination, team, **visit_details(starts))
        )

    @rule(patient=st.booleans())
    def the_panel_moves_on(self, patient):
        self.next_step(patient)

    @rule(patient=st.booleans())
    def the_panel_moves_on_again(self, patient):
        self.next_step(patient)

    @rule(patient=st.booleans())
    def the_panel_keeps_going(self, patient):
        self.next_step(patient)

    # Rules: judges
    @precondition(lambda self: self.active_assignments(submitted_at__isnull=True))
    @rule(pick=st.integers(0, 50), score=st.integers(0, 10))
    def submit_scores(self, pick, score):
        assignments = self.active_assignments(submitted_at__isnull=True)
        if not assignments:
            return
        assignment = assignments[pick % len(assignments)]
        criteria = self.category.criteria.filter(stage=assignment.stage)
        self.attempt(
            "submit scores",
            lambda: judging.save_scores(
                assignment.judge, assignment, {c.pk: (min(score, c.max_score), "Seen") for c in criteria}, submit=True
            ),
        )

    @rule(judge=st.integers(0, 4), organisation=st.integers(0, 3))
    def declare_conflict(self, judge, organisation):
        self.attempt(
            "declare a conflict",
            lambda: judging.declare_conflict(
                self.judges[judge], self.organisations[organisation], kind="employment", note="Worked there"
            ),
        )

    @precondition(lambda self: self.visits().filter(report_submitted_at__isnull=True).exists())
    @rule(pick=st.integers(0, 50))
    def submit_visit_report(self, pick):
        visits = list(self.visits().filter(report_submitted_at__isnull=True).order_by("pk"))
        visit = visits[pick % len(visits)]
        team = list(visit.judges.order_by("pk"))
        if team:
            self.attempt(
                "submit a visit report",
                lambda: judging.submit_visit_report(team[pick % len(team)], visit, what_was_seen="Warm welcome"),
            )

    # Rules: chair, or an administrator acting for a conflicted chair
    @precondition(lambda self: self.active_assignments(submitted_at__isnull=False))
    @rule(pick=st.integers(0, 50), who=st.sampled_from(["chair", "admin"]))
    def reopen_scores(self, pick, who):
        submitted = self.active_assignments(submitted_at__isnull=False)
        if submitted:
            assignment = submitted[pick % len(submitted)]
            self.attempt(
                "reopen scores",
                lambda: judging.reopen_scores(self.actor(who), assignment, reason="Please check criterion 2"),
            )

    @precondition(lambda self: self.panel_state() == PanelState.ACTIVE)
    @rule(who=st.sampled_from(["chair", "admin"]), exception=st.sampled_from(["", "The panel meets today"]))
    def decide_shortlist(self, who, exception):
        self.attempt(
            "decide the shortlist",
            lambda: judging.decide_shortlist(
                self.actor(who), self.category, nomination_ids=None, rationale="", exception=exception
            ),
        )

    @precondition(lambda self: self.panel_state() == PanelState.ACTIVE)
    @rule(pick=st.integers(0, 3), award=st.sampled_from(["winner", "winner", "highly_commended", "none"]))
    def record_final_result(self, pick, award):
        finalists = list(Nomination.objects.filter(category=self.category, state="finalist").order_by("pk"))
        nomination = finalists[pick % len(finalists)] if finalists else self.nominations[pick]
        for who in ("chair", "admin"):  # the chair decides; an administrator acts for a chair with a conflict
            if self.attempt(
                "record a final result",
                lambda who=who: judging.record_final_result(
                    self.actor(who), nomination, award=award, citation="Outstanding", rationale="Panel agreed"
                ),
            ):
                break

    @precondition(lambda self: self.panel_state() == PanelState.ACTIVE)
    @rule(rationale=st.sampled_from(["", "No entry reached the standard"]))
    def record_no_award(self, rationale):
        for who in ("chair", "admin"):
            if self.attempt(
                "decide no award",
                lambda who=who: judging.record_no_award(self.actor(who), self.category, rationale=rationale),
            ):
                break

    @precondition(lambda self: self.panel_state() == PanelState.ACTIVE)
    @rule(who=st.sampled_from(["chair", "admin"]))
    def sign_off(self, who):
        self.attempt("sign off", lambda: judging.sign_off(self.actor(who), self.panel))

    # Rules: administrator
    @precondition(lambda self: understaffed(self.category))
    @rule()
    def auto_assign(self):
        self.attempt("assign automatically", lambda: judging.auto_assign(self.admin, self.category))

    @rule(pick=st.integers(0, 3), judge=st.integers(0, 4))
    def override_assignment(self, pick, judge):
        self.attempt(
            "assign by hand",
            lambda: judging.override_assignment(
                self.admin, self.nominations[pick], self.judges[judge], add=True, reason="Expertise needed"
            ),
        )

    @precondition(
        lambda self: Panel.objects.filter(
            pk=self.panel.pk, shortlist_published_at=None, shortlist_decided_at__isnull=False
        ).exists()
    )
    @rule()
    def publish_shortlist(self):
        self.attempt("publish the shortlist", lambda: judging.publish_shortlist(self.admin, self.category))

    @precondition(lambda self: Nomination.objects.filter(category=self.category, state="shortlisted").exists())
    @rule(pick=st.integers(0, 3), first=st.sampled_from([1, 3]), second=st.integers(0, 4), hours=st.integers(0, 200))
    def schedule_visit(self, pick, first, second, hours):
        details = visit_details(self.cycle.site_visits_start + timedelta(hours=hours))
        team = [self.judges[first], self.judges[second]] if first != second else [self.judges[first]]
        self.attempt(
            "schedule a visit",
            lambda: judging.schedule_visit(self.admin, self.nominations[pick], team, **details),
        )

    @precondition(lambda self: self.panel_state() == PanelState.SIGNED_OFF)
    @rule()
    def approve_results(self):
        self.attempt(
            "approve the results",
            lambda: judging.approve_results(self.admin, self.cycle, early_reason="The panel met early"),
        )

    @precondition(lambda self: Publication.objects.filter(cycle=self.cycle).exists())
    @rule()
    def withdraw_results(self):
        self.attempt(
            "withdraw the results",
            lambda: judging.withdraw_results(self.admin, self.cycle, reason="A score was entered wrongly"),
        )

    @precondition(lambda self: self.panel_state() == PanelState.SIGNED_OFF)
    @rule()
    def reopen_panel(self):
        self.attempt("reopen the panel", lambda: judging.reopen_panel(self.admin, self.panel, reason="Correct a score"))

    # Invariants
    def conflicted_pairs(self):
        return set(ConflictDeclaration.objects.values_list("judge_id", "organisation_id")) | set(
            Membership.objects.values_list("user_id", "organisation_id")
        )

    @invariant()
    def a_signed_off_panel_never_changes(self):
        panel = Panel.objects.get(pk=self.panel.pk)
        record = (
            sorted(
                CriterionScore.objects.filter(assignment__nomination__category=self.category).values_list(
                    "assignment_id", "criterion_id", "score"
                )
            ),
            sorted(
                Assignment.objects.filter(nomination__category=self.category).values_list("pk", "state", "submitted_at")
            ),
            sorted(FinalResult.objects.filter(nomination__category=self.category).values_list("nomination", "award")),
        )
        if panel.state == PanelState.SIGNED_OFF:
            if self.final is None:
                self.final = record
            assert record == self.final
        else:
            self.final = None

    @invariant()
    def a_conflicted_judge_holds_no_assignment_or_visit_place_in_active_work(self):
        conflicted = self.conflicted_pairs()
        active_work = {"nomination__category__panel__state": PanelState.ACTIVE}
        held = set(
            Assignment.objects.filter(state=AssignmentState.ACTIVE, **active_work).values_list(
                "judge_id", "nomination__organisation_id"
            )
        )
        places = set(
            SiteVisit.objects.filter(
                state=VisitState.SCHEDULED, report_submitted_at__isnull=True, **active_work
            ).values_list("judges", "nomination__organisation_id")
        )
        assert held & conflicted == set()
        assert places & conflicted == set()

    @invariant()
    def every_eligible_nomination_has_k_judges_or_is_flagged(self):
        panel = Panel.objects.get(pk=self.panel.pk)
        if panel.state != PanelState.ACTIVE:
            return
        k = self.category.judges_per_nomination
        members = set(PanelMember.objects.filter(panel=panel).values_list("judge_id", flat=True))
        conflicted = self.conflicted_pairs()
        flagged = understaffed(self.category)
        for nomination in Nomination.objects.filter(category=self.category, state=NominationState.ELIGIBLE):
            judges = set(
                Assignment.objects.filter(
                    nomination=nomination, stage=Stage.WRITTEN, state=AssignmentState.ACTIVE
                ).values_list("judge_id", flat=True)
            )
            clean = {j for j in members if (j, nomination.organisation_id) not in conflicted}
            assert judges <= clean
            # Topped up as far as the clean members allow, and flagged when short.
            assert len(judges) >= min(k, len(clean))
            assert (len(judges) < k) == (nomination.pk in flagged)

    @invariant()
    def visit_teams_keep_the_visit_rules_while_clean_members_remain(self):
        members = set(PanelMember.objects.filter(panel=self.panel).values_list("judge_id", flat=True))
        conflicted = self.conflicted_pairs()
        for visit in SiteVisit.objects.filter(
            nomination__category=self.category, state=VisitState.SCHEDULED, report_submitted_at__isnull=True
        ).select_related("nomination"):
            team = list(visit.judges.all())
            clean = {j for j in members if (j, visit.nomination.organisation_id) not in conflicted}
            if judging.visit_problems(visit.nomination, team):
                assert clean <= {j.pk for j in team}

    @invariant()
    def results_are_awarded_only_while_approved(self):
        approved = Publication.objects.filter(cycle=self.cycle).exists()
        awarded = Nomination.objects.filter(category=self.category, state__in=NominationState.results()).exists()
        cycle_approved = type(self.cycle).objects.get(pk=self.cycle.pk).results_approved_at is not None
        assert cycle_approved == approved
        if awarded:
            assert approved
        if approved:
            assert Panel.objects.get(pk=self.panel.pk).state == PanelState.SIGNED_OFF
