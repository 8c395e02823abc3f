"""Judging: automatic assignment, conflicts declared while reading, manual overrides."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from core.errors import DomainError
from judging import domain
from judging.models import Assignment, ConflictDeclaration

from ..factories import make_eligible

pytestmark = pytest.mark.django_db


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
