"""The judge's scoring page: what each score means beside each score box,
linked for screen readers, and the easy-read version of the criteria for a
judge who chose it in their profile (the standard wording one click away)."""

import re

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from awards.models import Criterion
from judging.models import Assignment, JudgeProfile

pytestmark = pytest.mark.django_db

BANDS = [
    {"low": 0, "high": 0, "text": "Not shown in the entry"},
    {"low": 1, "high": 5, "text": "Some evidence"},
    {"low": 6, "high": 10, "text": "Strong evidence"},
]


@pytest.fixture
def described(category):
    """The category's first written criterion with descriptors and easy read;
    the second with neither."""
    first, second = category.criteria.filter(stage="written")
    Criterion.objects.filter(pk=first.pk).update(
        guidance="Care is shaped around each person's wishes.",
        score_descriptors=BANDS,
        easy_read_name="Care that fits each person",
        easy_read_guidance="Does the service plan care with each person?",
    )
    first.refresh_from_db()
    return first, second


def score_page(client, assignment):
    client.force_login(assignment.judge)
    return client.get(reverse("judging:score", args=[assignment.pk])).content.decode()


def input_tag(page, criterion):
    return re.search(rf'<input[^>]*name="score_{criterion.pk}"[^>]*>', page).group(0)


def described_by(page, criterion) -> list[str]:
    return re.search(r'aria-describedby="([^"]*)"', input_tag(page, criterion)).group(1).split()


def test_what_each_score_means_sits_beside_the_box_and_is_read_with_it(client, scored, described):
    first, second = described
    assignment = Assignment.objects.filter(nomination=scored[0], stage="written").first()
    page = score_page(client, assignment)
    box = f"id_score_{first.pk}"
    assert described_by(page, first) == [f"{box}-hint", f"{box}-levels"]
    levels = re.search(rf'<div class="app-score-levels" id="{box}-levels">(.*?)</div>', page, re.S).group(1)
    items = re.findall(r"<li[^>]*><strong>(.*?)</strong>: (.*?)</li>", levels)
    assert items == [("0", "Not shown in the entry"), ("1 to 5", "Some evidence"), ("6 to 10", "Strong evidence")]
    assert f"Score for {first.name} (0 to 10)" in page  # the standard wording by default
    assert "Show the standard wording" not in page and "app-easy-read" not in page
    # A criterion without descriptors has no list, and no dangling reference.
    assert f"id_score_{second.pk}-levels" not in page
    assert "aria-describedby" not in input_tag(page, second)


def test_errors_are_read_with_the_descriptors(client, scored, described):
    first, _ = described
    assignment = Assignment.objects.filter(nomination=scored[0], stage="written").first()
    client.force_login(assignment.judge)
    response = client.post(reverse("judging:score", args=[assignment.pk]), {f"score_{first.pk}": "11"})
    page = response.content.decode()
    box = f"id_score_{first.pk}"
    assert described_by(page, first) == [f"{box}-hint", f"{box}-levels", f"{box}-error"]
    assert "The score for Person-centred care must be 10 or less" in page
    assert 'value="11"' in input_tag(page, first)  # what was typed comes back


def test_a_judge_who_chose_easy_read_scores_in_it(client, scored, described):
    first, second = described
    assignment = Assignment.objects.filter(nomination=scored[0], stage="written").first()
    JudgeProfile.objects.filter(user=assignment.judge).update(prefers_easy_read=True)
    page = score_page(client, assignment)
    assert "Score for Care that fits each person (0 to 10)" in page
    assert "Does the service plan care with each person?" in page
    assert page.count('class="govuk-form-group app-easy-read"') == 2  # larger type for every score box
    details = re.search(r'<details class="govuk-details[^"]*">(.*?)</details>', page, re.S).group(1)
    assert "Show the standard wording" in details
    assert "Person-centred care" in details and "Care is shaped around each person&#x27;s wishes." in details
    # The second criterion has no easy-read version yet: its standard wording, and a note saying so.
    assert f"Score for {second.name} (0 to 10)" in page
    assert page.count("There is no easy-read version of this criterion yet.") == 1
    # Errors name the criterion as the judge reads it.
    client.force_login(assignment.judge)
    refused = client.post(reverse("judging:score", args=[assignment.pk]), {f"score_{first.pk}": "x"})
    assert "The score for Care that fits each person must be a whole number" in refused.content.decode()


def test_the_scores_saved_in_easy_read_are_the_same_scores(client, scored, described):
    first, second = described
    assignment = Assignment.objects.filter(nomination=scored[0], stage="written").first()
    JudgeProfile.objects.filter(user=assignment.judge).update(prefers_easy_read=True)
    client.force_login(assignment.judge)
    client.post(reverse("judging:score", args=[assignment.pk]), {f"score_{first.pk}": "6", f"score_{second.pk}": "4"})
    assert dict(assignment.scores.values_list("criterion_id", "score")) == {first.pk: 6, second.pk: 4}


def test_the_judge_chooses_easy_read_in_their_profile(client, judges):
    judge = judges[1]
    client.force_login(judge)
    url = reverse("judging:profile")
    page = client.get(url).content.decode()
    assert "Show me the criteria in easy read when I score" in page
    response = client.post(
        url,
        {"sector_background": "private", "lived_experience": "uses_services", "prefers_easy_read": "true"},
    )
    assert response["Location"] == reverse("judging:home")
    profile = JudgeProfile.objects.get(user=judge)
    assert profile.prefers_easy_read is True
    event = AuditEvent.objects.filter(action="judge.profile_saved", object_id=str(profile.pk)).latest("at")
    assert event.after["prefers_easy_read"] is True
    client.post(url, {"sector_background": "private", "lived_experience": "uses_services"})
    profile.refresh_from_db()
    assert profile.prefers_easy_read is False  # unticked is a choice too
