"""The judge's page and the judge's part of "Your home": a cycle at a time,
scorecards grouped as to do, draft saved, reopened (with the reason) and
submitted, visits at the right time, and submitting through a check page."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from awards.models import Nomination
from judging import domain
from judging.models import Assignment, SiteVisit
from judging.queries import judge_worklist

from ..conftest import count_queries
from ..factories import make_category, make_cycle, make_eligible, visit_details

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _assign(judge, nominations, stage="written"):
    return [Assignment.objects.create(nomination=n, judge=judge, stage=stage) for n in nominations]


def _criteria(assignment):
    return list(assignment.nomination.category.criteria.filter(stage=assignment.stage))


def _submit(assignment, value=7, comment="Good work"):
    domain.save_scores(
        assignment.judge, assignment, {c.pk: (value, comment) for c in _criteria(assignment)}, submit=True
    )


@pytest.fixture
def last_year():
    """Last year's cycle of the same programme, with one nomination the judge scored."""
    cycle = make_cycle(opens=NOW - timedelta(days=400), closes=NOW - timedelta(days=370), year=2025)
    return make_category(cycle, "Home Care Service of the Year")


@pytest.fixture
def mixed(world, judges, last_year):
    """The second judge: four scorecards this year (to do, draft, reopened,
    submitted) and one submitted last year."""
    judge = judges[1]
    to_do, draft, reopened, submitted = _assign(judge, make_eligible(world["category"], 4))
    domain.save_scores(judge, draft, {_criteria(draft)[0].pk: (6, "")}, submit=False)
    _submit(reopened)
    domain.reopen_scores(world["panel"].chair, reopened, reason="The evidence file was missed")
    domain.save_scores(judge, reopened, {_criteria(reopened)[0].pk: (3, "")}, submit=False)
    _submit(submitted, value=8, comment="Residents run the garden club")
    (old,) = _assign(judge, make_eligible(last_year, 1, prefix="Old"))
    _submit(old)
    return {"judge": judge, "to_do": to_do, "draft": draft, "reopened": reopened, "submitted": submitted, "old": old}


def test_each_scorecard_is_in_one_group_and_counts_never_mix_cycles(mixed, cycle, last_year):
    this_year, previous = judge_worklist(mixed["judge"])
    assert this_year["cycle"] == cycle and previous["cycle"] == last_year.cycle  # the current cycle first
    assert [a.pk for a in this_year["to_do"]] == [mixed["to_do"].pk]
    assert [a.pk for a in this_year["draft"]] == [mixed["draft"].pk]
    assert [a.pk for a in this_year["reopened"]] == [mixed["reopened"].pk]
    assert this_year["reopened"][0].reopen_reason == "The evidence file was missed"
    assert [a.pk for a in this_year["submitted"]] == [mixed["submitted"].pk]
    assert (this_year["submitted_count"], this_year["total"], this_year["waiting"]) == (1, 4, 3)
    assert (previous["submitted_count"], previous["total"], previous["waiting"]) == (1, 1, 0)
    # A reopened scorecard submitted again is simply submitted.
    _submit(mixed["reopened"])
    this_year, _ = judge_worklist(mixed["judge"])
    assert this_year["reopened"] == [] and len(this_year["submitted"]) == 2


def test_the_judge_page_shows_the_groups_the_reason_and_the_deadline(client, mixed, cycle):
    client.force_login(mixed["judge"])
    page = client.get(reverse("judging:home")).content.decode()
    deadline = cycle.scoring_deadline.astimezone(LONDON)
    assert "1 of 4 submitted. Scores are due by" in page
    assert "1 of 1 submitted." in page
    assert "3 of 6" not in page and "2 of 5" not in page
    assert page.index(str(cycle)) < page.index("2025")
    assert f"{deadline.day} {deadline:%B %Y}" in page
    assert f"Score {mixed['to_do'].nomination.reference}</a>" in page
    assert f"Finish scoring {mixed['draft'].nomination.reference}</a>" in page
    assert f"Change your scores for {mixed['reopened'].nomination.reference}</a>" in page
    assert "The chair’s reason: The evidence file was missed" in page
    assert f"Your scores and comments for {mixed['submitted'].nomination.reference}</a>" in page
    assert "To do</h4>" in page and "Draft saved</h4>" in page and "Reopened by the chair</h4>" in page


def test_overdue_scorecards_are_flagged_after_the_deadline(client, mixed, cycle):
    client.force_login(mixed["judge"])
    assert "The scoring deadline has passed" not in client.get(reverse("judging:home")).content.decode()
    with time_machine.travel(cycle.scoring_deadline + timedelta(hours=1), tick=False):
        client.force_login(mixed["judge"])  # a new session: the old one has timed out
        page = client.get(reverse("judging:home")).content.decode()
    assert "The scoring deadline has passed: submit your 3 remaining scorecards as soon as you can." in page


def test_visits_show_their_time_in_uk_time(client, world, judges):
    (nomination,) = make_eligible(world["category"], 1, prefix="Visited")
    Nomination.objects.filter(pk=nomination.pk).update(state="shortlisted")
    start = datetime(2026, 7, 7, 6, 0, tzinfo=LONDON)  # 5am UTC
    visit = SiteVisit.objects.create(nomination=nomination, **visit_details(start))
    visit.judges.set([judges[2]])
    SiteVisit.objects.filter(pk=visit.pk).update(ends_at=start + timedelta(hours=11, minutes=30))
    client.force_login(judges[2])
    for url in (reverse("judging:home"), reverse("home")):
        page = client.get(url).content.decode()
        assert f"Visit at 6am on 7 July 2026</a> (until 5:30pm) – {world['category'].name}" in page
        assert "Visit on 6am" not in page
    # A visit that is over leaves the list.
    with time_machine.travel(datetime(2026, 7, 8, 9, 0, tzinfo=LONDON), tick=False):
        client.force_login(judges[2])
        assert "Visit at" not in client.get(reverse("judging:home")).content.decode()


def test_after_submitting_the_judge_reads_their_own_scores_and_comments(client, mixed):
    client.force_login(mixed["judge"])
    page = client.get(reverse("judging:score", args=[mixed["submitted"].pk])).content.decode()
    assert "You submitted these scores" in page
    assert "Residents run the garden club" in page
    assert "8 out of 10" in page
    assert "<textarea" not in page  # read only


def test_submit_saves_what_was_typed_then_asks_to_confirm(client, world, judges, run_on_commit):
    (assignment,) = _assign(judges[1], make_eligible(world["category"], 1))
    first, second = _criteria(assignment)
    client.force_login(judges[1])
    submit = reverse("judging:submit_scores", args=[assignment.pk])
    confirm = reverse("judging:confirm_scores", args=[assignment.pk])
    # Missing a score: the draft is kept, the page says what is missing.
    refused = client.post(submit, {f"score_{first.pk}": "7", f"comment_{first.pk}": "Typed first"})
    assert refused.status_code == 200
    assert "Score every criterion before submitting: Outcomes" in refused.content.decode()
    assert dict(assignment.scores.values_list("criterion_id", "comment")) == {first.pk: "Typed first", second.pk: ""}
    # Complete: saved as a draft, then the check page.
    response = client.post(
        submit, {f"score_{first.pk}": "7", f"comment_{first.pk}": "Typed first", f"score_{second.pk}": "9"}
    )
    assert response["Location"] == confirm
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    assert dict(assignment.scores.values_list("criterion_id", "score")) == {first.pk: 7, second.pk: 9}
    check = client.get(confirm).content.decode()
    reference = assignment.nomination.reference
    assert (
        f"You are about to submit your scores for {reference}. You cannot change them unless the chair reopens them."
        in check
    )
    assert "7 out of 10" in check and "9 out of 10" in check and "Typed first" in check
    assert f'href="{reverse("judging:score", args=[assignment.pk])}">Change your scores' in check
    # Confirming submits and locks them.
    done = client.post(confirm)
    assert done["Location"] == reverse("judging:home")
    assignment.refresh_from_db()
    assert assignment.submitted_at == NOW
    # Once submitted, the check page sends the judge back to the (read-only) scores.
    assert client.get(confirm)["Location"] == reverse("judging:score", args=[assignment.pk])
    assert client.post(confirm)["Location"] == reverse("judging:score", args=[assignment.pk])


def test_a_refused_confirmation_says_why_and_keeps_the_draft(client, world, judges):
    (assignment,) = _assign(judges[1], make_eligible(world["category"], 1))
    first, _ = _criteria(assignment)
    domain.save_scores(judges[1], assignment, {first.pk: (4, "Half done")}, submit=False)
    client.force_login(judges[1])
    response = client.post(reverse("judging:confirm_scores", args=[assignment.pk]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Score every criterion before submitting: Outcomes" in page
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    assert dict(assignment.scores.values_list("criterion__name", "comment"))["Person-centred care"] == "Half done"


def test_someone_elses_scorecard_has_no_check_page(client, world, judges):
    (assignment,) = _assign(judges[1], make_eligible(world["category"], 1))
    client.force_login(judges[2])
    assert client.get(reverse("judging:confirm_scores", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("judging:confirm_scores", args=[assignment.pk])).status_code == 404


def test_the_judge_page_costs_the_same_queries_for_one_scorecard_or_many(
    client, world, judges, last_year, django_assert_num_queries
):
    judge = judges[1]
    (first,) = _assign(judge, make_eligible(world["category"], 1))
    client.force_login(judge)
    url = reverse("judging:home")
    client.get(url)
    one = count_queries(lambda: client.get(url))
    assignments = _assign(judge, make_eligible(world["category"], 4, prefix="More"))
    _submit(assignments[0])
    domain.reopen_scores(world["panel"].chair, assignments[0], reason="Look again")
    domain.save_scores(judge, assignments[1], {_criteria(assignments[1])[0].pk: (5, "")}, submit=False)
    _submit(assignments[2])
    _assign(judge, make_eligible(last_year, 2, prefix="Old"))
    client.get(url)
    with django_assert_num_queries(one):
        page = client.get(url)
    assert page.content.decode().count("submitted") >= 2
