"""Assisted scoring: a judge records that a named supporter helped with a
scorecard and how; audited; the chair sees it; the supporter gains no
account; fixed once submitted until the chair reopens the scorecard."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AuditEvent, User
from core.errors import DomainError
from judging import domain
from judging.models import Assignment, ScoringSupport

from .helpers import score_all

pytestmark = pytest.mark.django_db


def helped(assignment, **overrides):
    fields = {
        "helped": True,
        "supporter_name": "  Sam   Okafor ",
        "kinds": ["wrote_scores", "read_aloud"],
        "description": "Sam read each answer twice.",
    }
    return domain.save_scoring_support(assignment.judge, assignment, **{**fields, **overrides})


@pytest.fixture
def assignment(scored, panel):
    return Assignment.objects.filter(nomination=scored[0]).exclude(judge=panel.chair).first()


def test_support_is_recorded_with_the_scorecard_and_audited(assignment):
    users_before = User.objects.count()
    support = helped(assignment)
    assert (support.supporter_name, support.kinds, support.description) == (
        "Sam Okafor",
        ["read_aloud", "wrote_scores"],
        "Sam read each answer twice.",
    )
    assert support.summary == (
        "Helped by Sam Okafor: Read the entry aloud to me; Wrote down my scores and comments as I told them; "
        "Sam read each answer twice."
    )
    assert User.objects.count() == users_before  # the supporter is a name, not an account
    event = AuditEvent.objects.get(action="score.support_recorded")
    assert event.after == {
        "judge": assignment.judge.email,
        "stage": "written",
        "supporter": "Sam Okafor",
        "how": ["read_aloud", "wrote_scores"],
        "description": "Sam read each answer twice.",
    }
    assert event.before == {}

    assert helped(assignment, supporter_name="Priya Shah", kinds=["explained"], description="").pk == support.pk
    changed = AuditEvent.objects.filter(action="score.support_recorded").latest("pk")
    assert changed.before["supporter"] == "Sam Okafor" and changed.after["supporter"] == "Priya Shah"

    assert domain.save_scoring_support(assignment.judge, assignment, helped=False) is None
    assert not ScoringSupport.objects.filter(assignment=assignment).exists()
    assert AuditEvent.objects.get(action="score.support_removed").before["supporter"] == "Priya Shah"


def test_bad_input_is_refused_with_a_reason(assignment, judges):
    with pytest.raises(DomainError, match="Enter the name of the person who helped you"):
        helped(assignment, supporter_name="  ")
    with pytest.raises(DomainError, match="Say how they helped you"):
        helped(assignment, kinds=[], description=" ")
    with pytest.raises(DomainError, match="Choose how they helped from the list"):
        helped(assignment, kinds=["hypnosis"])
    assert not ScoringSupport.objects.exists()
    other = next(j for j in judges if j.pk != assignment.judge_id)
    with pytest.raises(PermissionDenied):
        domain.save_scoring_support(other, assignment, helped=True, supporter_name="X", kinds=["other"])


def test_locked_once_submitted_until_the_chair_reopens(assignment, panel):
    helped(assignment)
    score_all(assignment)
    assignment.refresh_from_db()
    assert not assignment.judge.has_perm("judging.record_scoring_support", assignment)
    with pytest.raises(DomainError, match="ask the panel chair to reopen them to change who helped you"):
        helped(assignment, supporter_name="Someone else")
    with pytest.raises(DomainError, match="ask the panel chair to reopen them"):
        domain.save_scoring_support(assignment.judge, assignment, helped=False)
    assert ScoringSupport.objects.get(assignment=assignment).supporter_name == "Sam Okafor"

    domain.reopen_scores(panel.chair, assignment, reason="Please add the second supporter")
    assignment.refresh_from_db()
    assert helped(assignment, supporter_name="Sam Okafor and Lee Ray").supporter_name == "Sam Okafor and Lee Ray"


def test_the_chair_sees_it_on_the_ranking_and_the_scorecard(client, assignment, panel, scored):
    helped(assignment)
    for each in Assignment.objects.filter(nomination__in=scored):
        score_all(each)
    client.force_login(panel.chair)
    ranking = client.get(reverse("judging:results", args=[panel.pk])).content.decode()
    assert ranking.count("Helped by Sam Okafor") == 1
    assert "(Helped by Sam Okafor: Read the entry aloud to me; Wrote down my scores" in ranking
    reopen = client.get(reverse("judging:reopen_scores", args=[panel.pk, assignment.pk])).content.decode()
    assert "<strong>Assisted scoring.</strong> Helped by Sam Okafor" in reopen
    assert panel.chair.has_perm("judging.see_scoring_support", assignment)


def test_the_judge_records_it_from_the_scorecard_with_an_error_summary(client, assignment):
    client.force_login(assignment.judge)
    score_url = reverse("judging:score", args=[assignment.pk])
    assert "Nobody is recorded as helping with this scorecard." in client.get(score_url).content.decode()
    url = reverse("judging:scoring_support", args=[assignment.pk])
    refused = client.post(url, {"helped": "yes", "supporter_name": ""})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert refused.context["form"].errors == {
        "supporter_name": ["Enter the name of the person who helped you"],
        "kinds": ["Say how they helped you"],
    }
    saved = client.post(url, {"helped": "yes", "supporter_name": "Sam Okafor", "kinds": ["read_aloud"]})
    assert saved["Location"] == score_url
    page = client.get(score_url).content.decode()
    assert "Helped by <strong>Sam Okafor</strong>." in page
    assert "<li>Read the entry aloud to me</li>" in page
    assert client.get(url).context["form"]["supporter_name"].value() == "Sam Okafor"

    score_all(assignment)
    locked = client.get(url)
    assert locked.context["form"] is None
    assert "You submitted these scores, so this cannot change now." in locked.content.decode()
    client.post(url, {"helped": "no"})
    assert ScoringSupport.objects.get(assignment=assignment).supporter_name == "Sam Okafor"


def test_other_judges_never_see_who_helped(client, assignment, scored, panel):
    helped(assignment)
    score_all(assignment)
    other = Assignment.objects.filter(nomination=scored[0]).exclude(pk=assignment.pk).exclude(judge=panel.chair).first()
    score_all(other)
    client.force_login(other.judge)
    others = client.get(reverse("judging:others_scores", args=[other.pk])).content.decode()
    assert "Sam Okafor" not in others
    assert client.get(reverse("judging:scoring_support", args=[assignment.pk])).status_code == 404
    assert not other.judge.has_perm("judging.see_scoring_support", assignment)
