"""The chair's final decision must say how the lived-experience judges' view
was considered when it diverges beyond the cycle's threshold (issue 22)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from awards.models import Nomination
from core.errors import DomainError
from judging import domain
from judging.enums import Award
from judging.models import FinalResult, JudgingSettings

from .lived_experience_helpers import every_judge_scores_every_entry, score_split

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalists(world):
    """Two finalists: the judges with lived experience of care rate the
    first far lower than the others do, the second far higher."""
    nominations = every_judge_scores_every_entry(world, 2)
    score_split(nominations, lived=[3, 9], others=[9, 3])
    Nomination.objects.filter(pk__in=[n.pk for n in nominations]).update(state="finalist")
    return [Nomination.objects.get(pk=n.pk) for n in nominations]


def test_final_scores_carry_the_lived_experience_mean(world, category, finalists):
    finals = domain.final_scores_with_lived_experience(category)
    first, second = (finals[n.pk] for n in finalists)
    assert (first.score, first.lived_experience, first.divergence()) == (Decimal("60.00"), Decimal("30.00"), 30)
    assert (second.score, second.lived_experience) == (Decimal("60.00"), Decimal("90.00"))
    assert domain.final_scores(category) == {finalists[0].pk: Decimal("60.00"), finalists[1].pk: Decimal("60.00")}
    assert not first.needs_lived_experience_consideration(None)
    assert first.needs_lived_experience_consideration(29) and not first.needs_lived_experience_consideration(30)


def test_without_a_threshold_no_extra_answer_is_needed(world, panel, finalists):
    result = domain.record_final_result(
        panel.chair, finalists[0], award=Award.WINNER, citation="Residents lead", rationale="Strongest overall"
    )
    assert (result.final_score, result.lived_experience_consideration) == (Decimal("60.00"), "")


def test_beyond_the_threshold_the_decision_must_address_the_lived_experience_view(world, cycle, panel, finalists):
    JudgingSettings.objects.create(cycle=cycle, lived_experience_divergence_threshold=20)
    with pytest.raises(
        DomainError, match=r"their mean \(30.00\) differs from the final score \(60.00\) by more than 20"
    ):
        domain.record_final_result(
            panel.chair, finalists[0], award=Award.WINNER, citation="Residents lead", rationale="Strongest overall"
        )
    assert not FinalResult.objects.exists()
    result = domain.record_final_result(
        panel.chair,
        finalists[0],
        award=Award.WINNER,
        citation="Residents lead",
        rationale="Strongest overall",
        lived_experience_consideration="  We discussed their concern about meals and the visit answered it.  ",
    )
    assert result.lived_experience_consideration == "We discussed their concern about meals and the visit answered it."
    event = AuditEvent.objects.get(action="final.decided")
    assert event.after["lived_experience_mean"] == "30.00"
    assert event.after["lived_experience_consideration"] == result.lived_experience_consideration


def test_a_threshold_the_divergence_stays_within_needs_nothing_more(world, cycle, panel, finalists):
    JudgingSettings.objects.create(cycle=cycle, lived_experience_divergence_threshold=30)
    result = domain.record_final_result(panel.chair, finalists[1], award=Award.NONE, rationale="Not this year")
    assert result.award == Award.NONE


def test_final_page_shows_the_column_and_asks_the_extra_question_only_when_needed(
    client, world, cycle, panel, finalists
):
    client.force_login(panel.chair)
    url = reverse("judging:final", args=[panel.pk])
    page = client.get(url)
    lived = {row[0].pk: row[5] for row in page.context["rows"]}
    assert lived[finalists[0].pk] == {
        "mean": Decimal("30.00"),
        "divergence": Decimal("30.00"),
        "diverges": False,
        "threshold": None,
    }
    assert all("lived_experience_consideration" not in row[3].fields for row in page.context["rows"])
    assert "Lived-experience judges' score: <strong>30.0</strong>, 30.0 points from the final score" in (
        page.content.decode()
    )

    JudgingSettings.objects.create(cycle=cycle, lived_experience_divergence_threshold=20)
    page = client.get(url)
    assert all(row[3].fields["lived_experience_consideration"].required for row in page.context["rows"])
    assert "More than 20 points apart" in page.content.decode()

    prefix = f"n{finalists[0].pk}"
    decide = reverse("judging:record_final_result", args=[panel.pk, finalists[0].pk])
    data = {f"{prefix}-award": "winner", f"{prefix}-citation": "Residents lead", f"{prefix}-rationale": "Strongest"}
    refused = client.post(decide, data)
    assert refused.status_code == 200
    assert "Say how the lived-experience judges&#x27; view was considered" in refused.content.decode()
    assert not FinalResult.objects.exists()
    done = client.post(decide, {**data, f"{prefix}-lived_experience_consideration": "We weighed their concern"})
    assert done["Location"] == url
    assert FinalResult.objects.get().lived_experience_consideration == "We weighed their concern"
    assert "How the lived-experience judges' view was considered: We weighed their concern" in (
        client.get(url).content.decode()
    )


def test_no_lived_experience_judge_is_stated_on_the_final_page(client, world, judges, panel, finalists):
    for judge in judges:
        domain.save_profile(judge, sector_background=judge.judge_profile.sector_background, lived_experience="none")
    client.force_login(panel.chair)
    html = client.get(reverse("judging:final", args=[panel.pk])).content.decode()
    assert html.count("no judge with lived experience of care scored this finalist") == 2


def test_cycle_settings_form_saves_and_validates_the_new_settings(client, admin, cycle):
    client.force_login(admin)
    url = reverse("judging:save_judging_settings", args=[cycle.pk])
    base = {"min_panel_size": 3, "min_lived_experience": 1, "min_sectors": 2, "disagreement_threshold": 25}
    base["shortlist_size"] = 3
    refused = client.post(url, {**base, "min_scorecards_for_normalisation": 1})
    assert "A judge needs at least 2 scorecards before their scores can be normalised" in refused.content.decode()
    assert not JudgingSettings.objects.exists()
    client.post(url, {**base, "min_scorecards_for_normalisation": 4, "lived_experience_divergence_threshold": 15})
    saved = JudgingSettings.objects.get(cycle=cycle)
    assert (saved.min_scorecards_for_normalisation, saved.lived_experience_divergence_threshold) == (4, 15)
    after = AuditEvent.objects.get(action="judging.rules_saved").after
    assert (after["min_scorecards_for_normalisation"], after["lived_experience_divergence_threshold"]) == (4, 15)
    client.post(url, {**base, "min_scorecards_for_normalisation": 4, "lived_experience_divergence_threshold": ""})
    assert JudgingSettings.objects.get(cycle=cycle).lived_experience_divergence_threshold is None
    assert domain.judging_settings_for(cycle).min_scorecards_for_normalisation == 4
