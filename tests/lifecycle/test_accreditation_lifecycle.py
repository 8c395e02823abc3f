"""Property-based lifecycle test of an accreditation: hypothesis applies random sequences
of the real domain functions to an accredited course, its changes and its leaders'
completions and credentials, and checks after every step that what is final stays final.

Each example builds its world inside a savepoint and rolls it back at the
end, so examples do not see each other. A step the domain refuses (a
DomainError or PermissionDenied) is a step too: refusals must leave the
invariants true as well. The number of steps run is written to
test-artifacts/lifecycle-steps-accreditation.txt for the record (steps.py).
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from accreditation import domain as accreditation
from accreditation.models import Accreditation, AccreditationEvent, Standing
from courses import domain as courses
from courses.domain import material_values
from courses.models import Course, CourseChange, CourseChangeState, FrameworkLevel
from leaders import credentials
from leaders import domain as leaders
from leaders.enums import CompletionState
from leaders.models import Completion, IssuedCredential

from ..accreditation.test_accreditation import accredit
from ..factories import ensure_reference_data, make_accreditation_people, make_user
from .steps import REFUSALS, SETTINGS, STEPS, WHY, RolledBack, _record_steps

pytestmark = pytest.mark.django_db(transaction=False)


class AccreditationLifecycle(RolledBack, RuleBasedStateMachine):
    """A course accredited a year ago: its provider edits it, the Academy
    accepts or refers the changes, suspends, reinstates and withdraws;
    leaders record, correct and withdraw completions, which staff verify or
    reject; credentials are issued and revoked.

    The machine keeps its own model of the register entry (`self.register`):
    what the provider saved while the course was not under accreditation, or
    what the Academy last accepted."""

    def __init__(self):
        super().__init__()
        self._begin()
        ensure_reference_data()
        self.people = make_accreditation_people()
        self.course = self.people["course"]
        self.staff = self.people["assessor"]
        accredit(self.people, on=timezone.localdate() - timedelta(days=365))
        self.register = self.register_entry()
        self.leaders = [make_user(email=f"leader{n}@example.org") for n in range(2)]
        self.levels = list(FrameworkLevel.objects.order_by("pk"))

    def register_entry(self):
        course = Course.objects.get(pk=self.course.pk)
        return material_values(course, course.levels.all(), course.domains.all())

    def pending(self):
        return CourseChange.objects.filter(course=self.course, state=CourseChangeState.PENDING).first()

    # Rules: the provider and the Academy

    @rule(
        title=st.sampled_from(["Leading care", "Leading Care: Advanced", None]),
        hours=st.sampled_from([None, 2, 36]),
        level=st.integers(0, 10),
    )
    def provider_edits_the_course(self, title, hours, level):
        course = Course.objects.get(pk=self.course.pk)
        under_accreditation = course.accreditation_status in ("accredited", "conditions", "suspended")
        if title:
            course.title = title
        if hours:
            course.duration_hours = hours
        levels = [self.levels[level % len(self.levels)]]
        domains = list(course.domains.all())
        proposed = material_values(course, levels, domains)
        STEPS["provider edits the course"] += 1
        courses.save_course(self.people["user"], course, levels=levels, domains=domains, sectors=course.sectors)
        if not under_accreditation:
            self.register = proposed

    @precondition(lambda self: self.pending() is not None)
    @rule(accept=st.booleans())
    def academy_decides_the_change(self, accept):
        change = self.pending()
        if change is None:
            return
        if accept:
            if self.attempt("accept a course change", lambda: accreditation.accept_course_change(self.staff, change)):
                self.register = change.proposed
        else:
            self.attempt(
                "refer a course change",
                lambda: accreditation.refer_course_change(self.staff, change, reason="Needs re-assessment"),
            )

    @rule(action=st.sampled_from(["suspend", "reinstate", "suspend", "reinstate", "withdraw", "withdraw for cause"]))
    def academy_changes_the_status(self, action):
        current = Accreditation.objects.filter(course=self.course).order_by("-valid_from", "-pk").first()
        steps = {
            "suspend": lambda: accreditation.suspend(self.staff, current, reason="Complaint"),
            "reinstate": lambda: accreditation.reinstate(self.staff, current, reason="Resolved"),
            "withdraw": lambda: accreditation.withdraw(self.staff, current, reason="Course closed"),
            "withdraw for cause": lambda: accreditation.withdraw(
                self.staff, current, reason="Misrepresented", for_cause=True
            ),
        }
        self.attempt(action, steps[action])

    # Rules: leaders

    @rule(leader=st.integers(0, 1), days_ago=st.integers(1, 300))
    def leader_records_a_completion(self, leader, days_ago):
        self.attempt(
            "record a completion",
            lambda: leaders.record_completion(
                self.leaders[leader], course=self.course, completed_on=timezone.localdate() - timedelta(days=days_ago)
            ),
        )

    @precondition(lambda self: Completion.objects.filter(state=CompletionState.VERIFIED).exists())
    @rule(pick=st.integers(0, 50), days_ago=st.integers(1, 300))
    def leader_corrects_a_completion(self, pick, days_ago):
        verified = list(Completion.objects.filter(state=CompletionState.VERIFIED).order_by("pk"))
        if verified:
            original = verified[pick % len(verified)]
            self.attempt(
                "correct a completion",
                lambda: leaders.record_completion(
                    original.leader,
                    course=self.course,
                    completed_on=timezone.localdate() - timedelta(days=days_ago),
                    supersedes=original,
                ),
            )

    @precondition(lambda self: Completion.objects.filter(state=CompletionState.SELF_DECLARED).exists())
    @rule(pick=st.integers(0, 50), decision=st.sampled_from(["verify", "verify", "reject", "withdraw"]))
    def someone_decides_a_pending_completion(self, pick, decision):
        pending = list(Completion.objects.filter(state=CompletionState.SELF_DECLARED).order_by("pk"))
        if not pending:
            return
        completion = pending[pick % len(pending)]
        steps = {
            "verify": lambda: leaders.verify_completion(self.staff, completion),
            "reject": lambda: leaders.reject_completion(self.staff, completion, reason="No certificate"),
            "withdraw": lambda: leaders.withdraw_completion(completion.leader, completion),
        }
        self.attempt(f"{decision} a completion", steps[decision])

    @precondition(lambda self: Completion.objects.filter(state=CompletionState.VERIFIED).exists())
    @rule(pick=st.integers(0, 50))
    def leader_downloads_a_credential(self, pick):
        completions = list(Completion.objects.order_by("pk"))
        if completions:
            completion = completions[pick % len(completions)]
            self.attempt("issue a credential", lambda: credentials.issue(completion.leader, completion))

    @precondition(lambda self: IssuedCredential.objects.filter(revoked_at=None).exists())
    @rule(pick=st.integers(0, 50))
    def staff_revoke_a_credential(self, pick):
        issued = list(IssuedCredential.objects.order_by("pk"))
        if issued:
            credential = issued[pick % len(issued)]
            self.attempt(
                "revoke a credential", lambda: credentials.revoke(self.staff, credential, reason="Issued in error")
            )

    # Invariants

    @invariant()
    def the_register_shows_the_last_accepted_version(self):
        assert self.register_entry() == self.register
        change = self.pending()
        if change is not None:
            # What waits for the Academy differs from the register, and is not on it.
            assert change.proposed != self.register

    @invariant()
    def a_replaced_or_rejected_completion_has_no_standing_credential(self):
        standing = IssuedCredential.objects.filter(
            revoked_at__isnull=True,
            completion__state__in=[CompletionState.SUPERSEDED, CompletionState.REJECTED, CompletionState.WITHDRAWN],
        )
        assert list(standing) == []

    @invariant()
    def no_course_and_day_is_on_a_leaders_record_twice(self):
        on_record = Completion.objects.filter(state__in=[CompletionState.SELF_DECLARED, CompletionState.VERIFIED])
        corrected = set(on_record.exclude(supersedes=None).values_list("supersedes_id", flat=True))
        keys = list(on_record.exclude(pk__in=corrected).values_list("leader_id", "course_id", "completed_on"))
        assert len(keys) == len(set(keys))
        # One correction at most waits for each verified completion.
        waiting = list(on_record.filter(state=CompletionState.SELF_DECLARED).exclude(supersedes=None))
        assert len({c.supersedes_id for c in waiting}) == len(waiting)

    @invariant()
    def a_withdrawal_for_cause_leaves_no_credential_standing_under_it(self):
        for event in AccreditationEvent.objects.filter(
            accreditation__course=self.course, kind=AccreditationEvent.Kind.WITHDRAWN, reason__contains="for cause"
        ).select_related("accreditation"):
            withdrawn = event.accreditation
            assert not IssuedCredential.objects.filter(
                revoked_at__isnull=True,
                issued_at__lte=event.at,
                completion__course=self.course,
                completion__completed_on__range=(withdrawn.valid_from, withdrawn.valid_to),
            ).exists()

    @invariant()
    def the_standing_is_the_same_from_every_side(self):
        today = timezone.localdate()
        for item in Accreditation.objects.filter(course=self.course):
            assert item.standing_on(today) in Standing.values
        course = Course.objects.get(pk=self.course.pk)
        in_force = [
            a for a in Accreditation.objects.filter(course=self.course) if a.standing_on(today) == Standing.IN_FORCE
        ]
        assert (course.accreditation_status in ("accredited", "conditions")) == bool(in_force)


def test_accreditation_lifecycle_keeps_what_is_final():
    STEPS.clear()
    REFUSALS.clear()
    WHY.clear()
    run_state_machine_as_test(AccreditationLifecycle, settings=SETTINGS)
    _record_steps("accreditation")
    assert STEPS.total() > 500
