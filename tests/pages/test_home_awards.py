"""'Your home' for the awards roles: provider, judge, chair and awards
administrator. Each section shows the person's work, its next step and its
deadline, in the same number of queries for one item or many."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.enums import SiteRole
from awards.models import Nomination
from judging import domain
from judging.models import Assignment
from pages.rules import home_sections

from ..conftest import count_queries, sign_in
from ..factories import make_eligible, make_judging_world, make_nomination, make_provider, make_user

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    return make_judging_world()


def _score(assignment, value):
    criteria = assignment.nomination.category.criteria.filter(stage=assignment.stage)
    domain.save_scores(assignment.judge, assignment, {c.pk: (value, "") for c in criteria}, submit=True)


def test_signing_in_lands_on_your_home(client, world):
    response = sign_in(client, world["judges"][1])
    assert response["Location"] == reverse("home")
    page = client.get(reverse("home")).content.decode()
    assert '<h1 class="govuk-heading-xl">Your home</h1>' in page
    assert "Create an organisation" not in page


def test_each_person_sees_a_section_for_each_role_they_hold(world):
    provider, _ = make_provider("Riverside Care")
    assert home_sections(provider) == ["provider"]
    assert home_sections(world["judges"][1]) == ["judge"]
    assert home_sections(world["judges"][0]) == ["judge", "chair"]
    assert home_sections(world["admin"]) == ["awards_admin"]
    both = make_user(
        email="both@example.org", roles=[SiteRole.JUDGE], organisation=provider.memberships.get().organisation
    )
    assert home_sections(both) == ["provider", "judge"]
    assert home_sections(make_user(email="nobody@example.org")) == []


def test_the_anonymous_front_page_is_unchanged(client):
    page = client.get(reverse("home")).content.decode()
    assert "Create an account" in page and "Your home" not in page


def test_a_provider_sees_each_entry_with_its_state_next_step_and_deadline(client, world):
    user, organisation = make_provider("Riverside Care")
    category = world["category"]
    draft = make_nomination(category, organisation, user)
    submitted = make_nomination(category, organisation, user, complete=False, state="submitted")
    eligible = make_nomination(category, organisation, user, complete=False, state="eligible")
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    close = world["cycle"].nominations_close.astimezone(LONDON)
    shortlist = world["cycle"].shortlist_published.astimezone(LONDON)
    assert "Your organisation’s nominations" in page
    assert str(world["cycle"]) in page
    assert f'href="{reverse("awards:nomination", args=[draft.pk])}"' in page
    assert "Finish your answers and evidence, then submit the nomination" in page
    assert "Submit by</dt>" in page and f"{close.day} {close:%B %Y}" in page
    assert f"{submitted.reference}" in page
    assert "Wait while the awards team checks that the nomination is eligible" in page
    assert f"{eligible.reference}" in page and "Judges are scoring the nomination" in page
    assert "Shortlist published on</dt>" in page and f"{shortlist.day} {shortlist:%B %Y}" in page
    # A draft after the close can no longer be submitted, and says so.
    with time_machine.travel(world["cycle"].nominations_close + timedelta(days=1), tick=False):
        client.force_login(user)
        assert (
            "Nominations have closed: this draft can no longer be submitted"
            in client.get(reverse("home")).content.decode()
        )


def test_an_award_stays_hidden_from_the_provider_until_announced(client, world):
    user, organisation = make_provider("Riverside Care")
    make_nomination(world["category"], organisation, user, complete=False, state="winner")
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    status = page.split("Status</dt>", 1)[1].split("</dd>", 1)[0]
    assert status.endswith("Finalist") and "Winner" not in status


def test_the_providers_section_costs_the_same_for_one_entry_or_many(client, world, django_assert_num_queries):
    user, organisation = make_provider("Riverside Care")
    make_nomination(world["category"], organisation, user, complete=False, state="submitted")
    client.force_login(user)
    client.get(reverse("home"))
    one = count_queries(lambda: client.get(reverse("home")))
    for state in ("draft", "eligible", "finalist", "withdrawn"):
        make_nomination(world["category"], organisation, user, complete=False, state=state)
    with django_assert_num_queries(one):
        page = client.get(reverse("home")).content.decode()
    assert page.count("Next step</dt>") == 5


@pytest.fixture
def scored(world):
    """Two nominations: the first scored 10 and 1 by two judges (they
    disagree), the second with one scorecard out of two still to come."""
    first, second = make_eligible(world["category"], 2)
    judges = world["judges"]
    a, b = (Assignment.objects.create(nomination=first, judge=j) for j in judges[1:3])
    c, _ = (Assignment.objects.create(nomination=second, judge=j) for j in judges[2:4])
    _score(a, 10)
    _score(b, 1)
    _score(c, 5)
    return first, second


def test_the_chair_sees_progress_disagreements_and_what_blocks_sign_off(client, world, scored):
    first, second = scored
    client.force_login(world["judges"][0])
    page = client.get(reverse("home")).content.decode()
    assert "Panels you chair" in page
    assert f'href="{reverse("judging:panel", args=[world["panel"].pk])}">{world["category"].name}</a>' in page
    assert "Scorecards submitted</dt>" in page and "3 of 4" in page
    assert "Judges disagree on</dt>" in page and f"{first.reference} (<a" in page
    assert second.reference not in page.split("Judges disagree on", 1)[1].split("</dd>", 1)[0]
    assert "1 scorecard is not submitted yet" in page
    assert "The shortlist has not been published yet" in page
    assert "The panel has not chosen a winner, nor decided to make no award" in page


def test_the_chair_does_not_see_a_disagreement_on_a_nomination_they_are_conflicted_with(client, world, scored):
    from judging.models import ConflictDeclaration

    first, _ = scored
    ConflictDeclaration.objects.create(judge=world["judges"][0], organisation=first.organisation, kind="financial")
    client.force_login(world["judges"][0])
    page = client.get(reverse("home")).content.decode()
    assert f"{first.reference} (<a" not in page
    assert 'Judges disagree on</dt><dd class="govuk-summary-list__value">No nominations' in page.replace("\n", "")


def test_the_chairs_section_costs_the_same_for_one_scorecard_or_many(
    client, world, django_assert_num_queries, settings
):
    # The ranking is cached: a cache of this test's own, which no other test
    # run on the machine can clear between the two requests compared.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    judges = world["judges"]
    (first,) = make_eligible(world["category"], 1)
    _score(Assignment.objects.create(nomination=first, judge=judges[1]), 6)
    client.force_login(judges[0])
    url = reverse("home")
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for nomination in make_eligible(world["category"], 3, prefix="More"):
        for judge, value in ((judges[2], 9), (judges[3], 1)):
            _score(Assignment.objects.create(nomination=nomination, judge=judge), value)
    client.get(url)  # the ranking changed: computed once, then from the cache
    with django_assert_num_queries(one):
        page = client.get(url).content.decode()
    assert "7 of 7" in page


def test_the_awards_administrator_sees_every_panel_of_the_current_cycle(client, world, scored):
    client.force_login(world["admin"])
    page = client.get(reverse("home")).content.decode()
    cycle = world["cycle"]
    assert f"Awards: {cycle}" in page
    assert f'href="{reverse("judging:panel", args=[world["panel"].pk])}">{world["category"].name}</a>' in page
    assert "Scorecards submitted</dt>" in page and "3 of 4" in page
    assert 'Overdue scorecards</dt><dd class="govuk-summary-list__value">0</dd>' in page
    Nomination.objects.filter(pk=scored[1].pk).update(state="submitted")
    page = client.get(reverse("home")).content.decode()
    url = f"{reverse('awards:manage_nominations')}?cycle={cycle.pk}&amp;state=submitted"
    assert f'href="{url}">1 nomination waiting for an eligibility decision</a>' in page
    with time_machine.travel(cycle.scoring_deadline + timedelta(minutes=1), tick=False):
        client.force_login(world["admin"])
        late = client.get(reverse("home")).content.decode()
    assert 'Overdue scorecards</dt><dd class="govuk-summary-list__value">1</dd>' in late
    assert "1 scorecard is overdue." in late


def test_the_administrators_section_costs_the_same_for_one_panel_or_many(client, world, django_assert_num_queries):
    from ..factories import make_category, make_panel

    client.force_login(world["admin"])
    url = reverse("home")
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for n in range(3):
        category = make_category(world["cycle"], f"Category {n}")
        make_panel(category, world["judges"][:3], active=bool(n % 2))
        (nomination,) = make_eligible(category, 1, prefix=f"P{n}")
        Assignment.objects.create(nomination=nomination, judge=world["judges"][1])
    with django_assert_num_queries(one):
        page = client.get(url).content.decode()
    assert page.count("Overdue scorecards</dt>") == 4
