"""Calibration: shared example entries scored before real scoring, kept
apart from real scores, and the chair's table of each judge's distance from
the panel (issue 22)."""

import pytest
from django.core.exceptions import PermissionDenied as DomainPermissionDenied
from django.urls import reverse

from accounts.models import AuditEvent
from core.errors import DomainError
from judging import domain
from judging.domain import calibration
from judging.models import Assignment, CalibrationExample, CalibrationScore

from ..conftest import count_queries
from ..factories import make_eligible, make_judge
from .helpers import score_all

pytestmark = pytest.mark.django_db


def _example(admin, category, title="Example A"):
    return calibration.add_calibration_example(
        admin, category, title=title, entry_text="Residents plan the menu with the cook every month."
    )


def _scores(category, value):
    return {c.pk: value for c in calibration.calibration_criteria(category)}


def test_offsets_are_each_judges_mean_distance_from_the_panel_mean():
    # Example 1: totals 80, 60, 40 (mean 60); example 2: judge 1 70, judge 2 50 (mean 60).
    offsets = calibration.calibration_offsets({(1, 1): 80, (2, 1): 60, (3, 1): 40, (1, 2): 70, (2, 2): 50})
    assert {j: (o.examples, o.mean_total, o.offset) for j, o in offsets.items()} == {
        1: (2, 75.0, 15.0),
        2: (2, 55.0, -5.0),
        3: (1, 40.0, -20.0),
    }
    assert [offsets[j].direction for j in (1, 2, 3)] == [
        "more generous than the panel",
        "harsher than the panel",
        "harsher than the panel",
    ]
    assert calibration.calibration_offsets({(1, 1): 50}).popitem()[1].direction == "in line with the panel"
    assert calibration.calibration_offsets({}) == {}


def test_only_administrators_add_examples_with_a_title_and_text(admin, category, panel):
    with pytest.raises(DomainPermissionDenied):
        _example(panel.chair, category)
    with pytest.raises(DomainError, match="Enter a title for the example"):
        calibration.add_calibration_example(admin, category, title=" ", entry_text="Text")
    with pytest.raises(DomainError, match="Enter the example entry"):
        calibration.add_calibration_example(admin, category, title="Example", entry_text=" ")
    example = _example(admin, category)
    with pytest.raises(DomainError, match="already has an example called Example A"):
        _example(admin, category)
    assert list(CalibrationExample.objects.values_list("title", flat=True)) == [example.title]
    assert AuditEvent.objects.get(action="calibration.example_added").after == {"title": "Example A"}


def test_panel_judges_score_every_criterion_and_may_change_until_they_score_for_real(world, admin, category, judges):
    example = _example(admin, category)
    judge = judges[1]
    outsider = make_judge("outsider@example.org", sector="private")
    with pytest.raises(DomainPermissionDenied):
        calibration.record_calibration_scores(outsider, example, _scores(category, 5))
    criteria = calibration.calibration_criteria(category)
    with pytest.raises(DomainError, match=f"Enter a score for {criteria[-1].name}"):
        calibration.record_calibration_scores(judge, example, {criteria[0].pk: 5})
    with pytest.raises(DomainError, match="must be between 0 and"):
        calibration.record_calibration_scores(judge, example, _scores(category, 99))
    assert not CalibrationScore.objects.exists()

    calibration.record_calibration_scores(judge, example, _scores(category, 5))
    calibration.record_calibration_scores(judge, example, _scores(category, 7))
    assert sorted(CalibrationScore.objects.values_list("score", flat=True)) == [7] * len(criteria)
    assert AuditEvent.objects.filter(action="calibration.scored").count() == 2

    make_eligible(category, 1)
    domain.auto_assign(admin, category)
    own = Assignment.objects.filter(judge=judge).first()
    score_all(own)
    with pytest.raises(DomainError, match="Calibration comes before scoring"):
        calibration.record_calibration_scores(judge, example, _scores(category, 2))
    assert sorted(CalibrationScore.objects.values_list("score", flat=True)) == [7] * len(criteria)


def test_calibration_scores_never_enter_the_ranking(world, admin, category, judges):
    nominations = make_eligible(category, 2)
    domain.auto_assign(admin, category)
    for assignment in Assignment.objects.all():
        score_all(assignment, 8 if assignment.nomination == nominations[0] else 4)
    before = domain.category_results(category, "written", 25)
    example = _example(admin, category)
    for value, judge in enumerate(judges):
        CalibrationScore.objects.bulk_create(
            CalibrationScore(example=example, judge=judge, criterion=c, score=value, recorded_at=example.created_at)
            for c in calibration.calibration_criteria(category)
        )
    assert domain.category_results(category, "written", 25) == before


def test_chair_sees_the_table_and_only_administrators_the_add_form(client, world, admin, category, judges, panel):
    first, second = _example(admin, category), _example(admin, category, "Example B")
    for judge, values in zip(judges[:3], [(8, 6), (6, 4), (4, 2)], strict=True):
        calibration.record_calibration_scores(judge, first, _scores(category, values[0]))
        calibration.record_calibration_scores(judge, second, _scores(category, values[1]))
    client.force_login(panel.chair)
    url = reverse("judging:panel_calibration", args=[panel.pk])
    page = client.get(url)
    table = {row["judge"].email: row["offset"] for row in page.context["table"]}
    assert {email: (o.examples, o.offset) if o else None for email, o in table.items()} == {
        "chair@example.org": (2, pytest.approx(20.0)),
        "j2@example.org": (2, pytest.approx(0.0)),
        "j3@example.org": (2, pytest.approx(-20.0)),
        "j4@example.org": None,
    }
    html = page.content.decode()
    assert "+20.0" in html and "-20.0" in html and "Has not scored an example yet" in html
    assert page.context["form"] is None and "Add an example entry" not in html
    assert client.post(reverse("judging:add_calibration_example", args=[panel.pk]), {}).status_code == 403
    client.force_login(judges[1])
    assert client.get(url).status_code == 404

    client.force_login(admin)
    add = reverse("judging:add_calibration_example", args=[panel.pk])
    refused = client.post(add, {"title": "", "entry_text": ""})
    assert "Enter title of the example" in refused.content.decode()
    assert "govuk-error-summary" in refused.content.decode()
    done = client.post(add, {"title": "Example C", "entry_text": "A day centre run with its members."})
    assert done["Location"] == url
    assert list(CalibrationExample.objects.values_list("title", flat=True)) == ["Example A", "Example B", "Example C"]


def test_judge_scores_an_example_from_their_list(client, world, admin, category, judges):
    example = _example(admin, category)
    judge = judges[1]
    client.force_login(judge)
    listing = client.get(reverse("judging:calibration_examples"))
    assert [(r["example"].title, r["scored"], r["closed"]) for r in listing.context["rows"]] == [
        ("Example A", False, False)
    ]
    url = reverse("judging:calibrate", args=[example.pk])
    page = client.get(url)
    assert "Residents plan the menu" in page.content.decode()
    criteria = calibration.calibration_criteria(category)
    refused = client.post(url, {})
    assert f"Enter a score for {criteria[0].name}" in refused.content.decode()
    done = client.post(url, {f"score_{c.pk}": 6 for c in criteria})
    assert done["Location"] == reverse("judging:calibration_examples")
    assert dict(CalibrationScore.objects.filter(judge=judge).values_list("criterion_id", "score")) == {
        c.pk: 6 for c in criteria
    }
    again = client.get(reverse("judging:calibration_examples"))
    assert [r["scored"] for r in again.context["rows"]] == [True]
    client.force_login(make_judge("outsider@example.org", sector="private"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("judging:calibration_examples")).context["rows"] == []


def test_calibration_list_pages_query_counts_do_not_grow(client, world, admin, category, judges, panel):
    _example(admin, category, "Example 0")
    calibration.record_calibration_scores(judges[1], CalibrationExample.objects.get(), _scores(category, 5))
    client.force_login(judges[1])
    judge_one = count_queries(lambda: client.get(reverse("judging:calibration_examples")))
    client.force_login(panel.chair)
    chair_one = count_queries(lambda: client.get(reverse("judging:panel_calibration", args=[panel.pk])))
    for n in range(1, 6):
        example = _example(admin, category, f"Example {n}")
        for judge in judges:
            calibration.record_calibration_scores(judge, example, _scores(category, n))
    client.force_login(judges[1])
    judge_several = count_queries(lambda: client.get(reverse("judging:calibration_examples")))
    assert len(client.get(reverse("judging:calibration_examples")).context["rows"]) == 6
    client.force_login(panel.chair)
    chair_several = count_queries(lambda: client.get(reverse("judging:panel_calibration", args=[panel.pk])))
    assert all(
        row["offset"] for row in client.get(reverse("judging:panel_calibration", args=[panel.pk])).context["table"]
    )
    assert (judge_one, chair_one) == (judge_several, chair_several)
