"""Awards administrators: cycles, categories, eligibility, extensions, lists, exports, balance."""

import csv
import io
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Sector
from accounts.models import AuditEvent
from awards import domain
from awards.enums import IneligibilityReason, NominationState
from awards.models import Category, Criterion, Cycle, Nomination, Question
from core.exports import safe_cell

from ..factories import make_category, make_cycle, make_nomination, make_provider

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def cycle_post(programme_id, **overrides):
    data = {
        "programme": programme_id,
        "year": 2028,
        "nominations_open": "2027-11-01T09:00",
        "nominations_close": "2028-01-31T17:00",
        "scoring_deadline": "2028-03-01T17:00",
        "shortlist_published": "2028-03-15T10:00",
        "site_visits_start": "2028-04-01T09:00",
        "site_visits_end": "2028-04-30T17:00",
        "final_panel": "2028-05-15T10:00",
        "winners_announced": "2028-06-01T19:00",
        "sector_balance_margin": 10,
    }
    data.update(overrides)
    return data


def test_create_cycle_in_uk_time(client, awards_admin):
    programme = make_cycle().programme
    client.force_login(awards_admin)
    response = client.post(reverse("awards:manage_cycle_create"), cycle_post(programme.pk))
    cycle = Cycle.objects.get(year=2028)
    assert response["Location"] == reverse("awards:manage_cycle", args=[cycle.pk])
    # 17:00 in January is 17:00 GMT; 19:00 in June is 18:00 UTC (BST).
    assert cycle.nominations_close == datetime(2028, 1, 31, 17, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert cycle.winners_announced == datetime(2028, 6, 1, 18, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert AuditEvent.objects.filter(action="cycle.created", object_id=str(cycle.pk)).count() == 1


def test_timeline_out_of_order_is_refused(client, awards_admin):
    programme = make_cycle().programme
    client.force_login(awards_admin)
    response = client.post(
        reverse("awards:manage_cycle_create"), cycle_post(programme.pk, nominations_close="2027-10-01T17:00")
    )
    assert "Nominations close must be after nominations open" in response.content.decode()
    assert not Cycle.objects.filter(year=2028).exists()


def test_ambiguous_clock_change_time_is_refused_clearly(client, awards_admin):
    """01:30 on 31 October 2027 happens twice in UK time."""
    programme = make_cycle().programme
    client.force_login(awards_admin)
    response = client.post(
        reverse("awards:manage_cycle_create"), cycle_post(programme.pk, nominations_open="2027-10-31T01:30")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "couldn’t be interpreted in time zone Europe/London" in html
    assert not Cycle.objects.filter(year=2028).exists()


def test_copy_cycle_to_next_year(client, awards_admin):
    cycle = make_cycle(
        opens=datetime(2027, 1, 10, 9, 0, tzinfo=LONDON), closes=datetime(2027, 6, 30, 17, 0, tzinfo=LONDON)
    )
    category = make_category(cycle, eligible_sectors=["community"])
    client.force_login(awards_admin)
    response = client.post(reverse("awards:manage_cycle", args=[cycle.pk]), {"year": cycle.year + 1})
    new = Cycle.objects.get(year=cycle.year + 1)
    assert response["Location"] == reverse("awards:manage_cycle", args=[new.pk])
    # Same UK wall-clock times a year on, across the clock change.
    assert timezone.localtime(new.nominations_close).strftime("%Y-%m-%d %H:%M") == "2028-06-30 17:00"
    copied = new.categories.get()
    assert (copied.name, copied.eligible_sectors) == (category.name, ["community"])
    assert list(copied.questions.values_list("text", "word_limit")) == list(
        category.questions.values_list("text", "word_limit")
    )
    assert copied.criteria.count() == category.criteria.count() == 3
    again = client.post(reverse("awards:manage_cycle", args=[cycle.pk]), {"year": cycle.year + 1})
    assert "already has a" in again.content.decode()


def test_category_with_questions_and_criteria(client, awards_admin):
    cycle = make_cycle()
    client.force_login(awards_admin)
    response = client.post(
        reverse("awards:manage_category_create", args=[cycle.pk]),
        {
            "name": "Excellence in Home Care",
            "description": "Home care that helps people stay independent",
            "eligible_sectors": ["private", "voluntary"],
            "judges_per_nomination": 3,
            "written_weight": 70,
            "visit_weight": 30,
            "order": 1,
        },
    )
    category = Category.objects.get()
    assert response["Location"] == reverse("awards:manage_category", args=[category.pk])
    assert category.eligible_sectors == ["private", "voluntary"]
    added = client.post(
        reverse("awards:manage_question_create", args=[category.pk]),
        {"question-text": "What makes it special?", "question-word_limit": 300, "question-order": 0},
    )
    assert added["Location"] == reverse("awards:manage_category", args=[category.pk])
    refused = client.post(reverse("awards:manage_criterion_create", args=[category.pk]), {"criterion-name": "Typed"})
    assert refused.status_code == 200
    assert refused.context["criterion_form"]["name"].value() == "Typed"  # kept, with the errors
    assert refused.context["criterion_form"].errors
    client.post(
        reverse("awards:manage_criterion_create", args=[category.pk]),
        {
            "criterion-stage": "site_visit",
            "criterion-name": "What people told us",
            "criterion-weight": 2,
            "criterion-max_score": 10,
            "criterion-order": 0,
        },
    )
    assert list(Question.objects.values_list("text", "word_limit")) == [("What makes it special?", 300)]
    assert list(Criterion.objects.values_list("stage", "name", "weight")) == [("site_visit", "What people told us", 2)]


def test_weights_must_add_up_to_100(client, awards_admin):
    cycle = make_cycle()
    client.force_login(awards_admin)
    response = client.post(
        reverse("awards:manage_category_create", args=[cycle.pk]),
        {
            "name": "X",
            "description": "Y",
            "judges_per_nomination": 3,
            "written_weight": 70,
            "visit_weight": 40,
            "order": 0,
        },
    )
    assert "The written and site visit weights must add up to 100" in response.content.decode()
    assert not Category.objects.exists()


def test_question_with_answers_cannot_be_deleted(client, awards_admin, provider):
    category = make_category(make_cycle())
    organisation = provider.memberships.get().organisation
    make_nomination(category, organisation, provider)
    question = category.questions.get()
    client.force_login(awards_admin)
    response = client.post(reverse("awards:manage_question_delete", args=[question.pk]), follow=True)
    assert "This question has answers" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


@pytest.fixture
def submitted(provider):
    category = make_category(make_cycle())
    organisation = provider.memberships.get().organisation
    nomination = make_nomination(category, organisation, provider)
    return domain.submit_nomination(provider, nomination)


def test_eligible_decision_emails_the_provider(client, awards_admin, submitted, run_on_commit):
    client.force_login(awards_admin)
    with run_on_commit():
        response = client.post(reverse("awards:manage_eligibility", args=[submitted.pk]), {"decision": "eligible"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == NominationState.ELIGIBLE
    assert mail.outbox[-1].subject == f"Nomination {submitted.reference} is eligible"


def test_ineligible_needs_a_reason_from_the_list(client, awards_admin, submitted, run_on_commit):
    client.force_login(awards_admin)
    url = reverse("awards:manage_eligibility", args=[submitted.pk])
    no_reason = client.post(url, {"decision": "ineligible"})
    assert "Select the reason the nomination is not eligible" in no_reason.content.decode()
    other = client.post(url, {"decision": "ineligible", "reason": "other"})
    assert "Explain the reason the nomination is not eligible" in other.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == NominationState.SUBMITTED

    with run_on_commit():
        client.post(url, {"decision": "ineligible", "reason": "not_registered", "note": "No CQC registration found"})
    submitted.refresh_from_db()
    assert (submitted.state, submitted.ineligibility_reason) == ("ineligible", IneligibilityReason.NOT_REGISTERED)
    body = mail.outbox[-1].body
    assert "The service is not registered with the regulator" in body
    assert "No CQC registration found" in body
    event = AuditEvent.objects.get(action="nomination.ineligible")
    assert (event.before, event.after["state"], event.reason) == (
        {"state": "submitted"},
        "ineligible",
        "No CQC registration found",
    )


def test_extension_rules(client, awards_admin, provider, run_on_commit):
    cycle = make_cycle()
    nomination = make_nomination(make_category(cycle), provider.memberships.get().organisation, provider)
    client.force_login(awards_admin)
    url = reverse("awards:manage_extension", args=[nomination.pk])
    too_early = timezone.localtime(cycle.nominations_close - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"until": too_early, "reason": "Flood"})
    assert "The extension must end after the cycle&#x27;s closing time" in response.content.decode()
    no_reason = client.post(url, {"until": "2099-01-01T10:00", "reason": ""})
    assert "Enter why the extension is granted" in no_reason.content.decode()
    until = timezone.localtime(cycle.nominations_close + timedelta(days=2))
    with run_on_commit():
        client.post(url, {"until": until.strftime("%Y-%m-%dT%H:%M"), "reason": "Office flooded"})
    nomination.refresh_from_db()
    assert nomination.extended_close == until.replace(second=0, microsecond=0)
    assert (nomination.extension_granted_by, nomination.extension_reason) == (awards_admin, "Office flooded")
    assert "Extension granted" in mail.outbox[-1].subject


def make_entries():
    cycle = make_cycle()
    home = make_category(cycle, "Home Care")
    innovation = make_category(cycle, "Innovation")
    entries = []
    for n, (sector, category) in enumerate(
        [(Sector.PRIVATE, home), (Sector.PRIVATE, home), (Sector.PRIVATE, innovation), (Sector.VOLUNTARY, home)]
    ):
        user, organisation = make_provider(f"Provider {n}", sector=sector)
        entries.append(domain.submit_nomination(user, make_nomination(category, organisation, user)))
    user, organisation = make_provider("Drafty", sector=Sector.PUBLIC)
    make_nomination(home, organisation, user)  # a draft is not an entry
    make_provider("Public provider", sector=Sector.PUBLIC)
    make_provider("Community provider", sector=Sector.COMMUNITY)
    return cycle, home, innovation, entries


def test_staff_list_filters_and_counts(client, awards_admin):
    cycle, home, innovation, entries = make_entries()
    client.force_login(awards_admin)
    response = client.get(reverse("awards:manage_nominations"), {"category": home.pk, "sector": "private"})
    assert [n.pk for n in response.context["page"]] == [entries[0].pk, entries[1].pk]
    counts = {value: count for value, _, count in response.context["counts"]}
    assert counts["submitted"] == 2 and counts["draft"] == 0
    everything = client.get(reverse("awards:manage_nominations"), {"cycle": cycle.pk})
    counts = {value: count for value, _, count in everything.context["counts"]}
    assert (counts["submitted"], counts["draft"]) == (4, 1)
    by_reference = client.get(reverse("awards:manage_nominations"), {"q": entries[3].reference})
    assert [n.pk for n in by_reference.context["page"]] == [entries[3].pk]


def test_exports_match_the_filtered_list(client, awards_admin):
    cycle, home, innovation, entries = make_entries()
    client.force_login(awards_admin)
    response = client.get(reverse("awards:manage_nominations"), {"category": home.pk, "export": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="nominations-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Reference", "Cycle", "Category", "State"]
    assert sorted(r[0] for r in rows[1:]) == sorted(
        ["", entries[0].reference, entries[1].reference, entries[3].reference]
    )

    xlsx = client.get(reverse("awards:manage_nominations"), {"category": innovation.pk, "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    values = list(workbook.active.values)
    assert values[1][0] == entries[2].reference
    assert values[1][2] == "Innovation"
    assert len(values) == 2


def test_export_cells_cannot_become_formulas(provider):
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("Rose House") == "Rose House"


def test_sector_balance_flags_under_represented_sectors(client, awards_admin):
    cycle, home, innovation, entries = make_entries()
    client.force_login(awards_admin)
    response = client.get(reverse("awards:manage_sector_balance", args=[cycle.pk]))
    rows = {row.sector: row for row in response.context["rows"]}
    # Providers: private 3, voluntary 1, public 2, community 1 (7); entries: private 3, voluntary 1.
    assert (rows["private"].providers, rows["private"].entries, rows["private"].per_category) == (3, 3, [2, 1])
    assert rows["private"].provider_share == pytest.approx(300 / 7) and rows["private"].entry_share == 75.0
    assert rows["public"].provider_share == pytest.approx(200 / 7) and rows["public"].entry_share == 0.0
    assert rows["voluntary"].entry_share == 25.0 and not rows["voluntary"].under_represented
    assert [s for s, row in rows.items() if row.under_represented] == ["public", "community"]
    assert response.context["category_totals"] == [3, 1]
    html = response.content.decode()
    assert "The public sector is under-represented: 0% of entries against 29% of providers." in html
    assert "The community or user-led sector is under-represented" in html


def test_nomination_state_cannot_skip_the_workflow(submitted, awards_admin):
    from core.errors import DomainError

    with pytest.raises(DomainError, match="cannot become winner"):
        domain.transition(Nomination.objects.get(pk=submitted.pk), NominationState.WINNER, actor=awards_admin)


def test_staff_list_pages_keep_the_order_across_pages(client, awards_admin):
    cycle = make_cycle()
    categories = [make_category(cycle, "Second", order=2), make_category(cycle, "First", order=1)]
    for n in range(55):
        user, organisation = make_provider(f"Paging {n:02d}")
        nomination = make_nomination(categories[n % 2], organisation, user, complete=False, state="submitted")
        Nomination.objects.filter(pk=nomination.pk).update(reference=f"SCA-{n:05d}")
    client.force_login(awards_admin)
    url = reverse("awards:manage_nominations")
    expected = list(
        Nomination.objects.order_by("-cycle__year", "category__order", "reference", "pk").values_list("pk", flat=True)
    )
    first_page = client.get(url)
    second_page = client.get(url, {"page": 2})
    assert first_page.context["page"].paginator.count == 55
    assert [n.pk for n in first_page.context["page"]] + [n.pk for n in second_page.context["page"]] == expected
    assert "Page 2 of 2" in second_page.content.decode()


def test_filter_menus_keep_the_choice_and_escape_names(client, awards_admin):
    cycle = make_cycle()
    category = make_category(cycle, "Care <b>&</b> Support")
    client.force_login(awards_admin)
    html = client.get(reverse("awards:manage_nominations"), {"category": category.pk, "state": "eligible"}).content
    html = html.decode()
    assert (
        f'<option value="{category.pk}" selected>Care &lt;b&gt;&amp;&lt;/b&gt; Support ({cycle.year})</option>' in html
    )
    assert '<option value="eligible" selected>Eligible</option>' in html
    assert '<select name="state" class="govuk-select" id="id_state">' in html
    # A superscript digit or a number too big for the database is just not a cycle.
    for cycle_id in ["²", "9" * 30]:
        response = client.get(reverse("awards:manage_nominations"), {"cycle": cycle_id})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
