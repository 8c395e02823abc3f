"""Matching a nomination's number to a location, and the rating rule's outcome."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from regulator.enums import Outcome
from regulator.matching import verdicts

from .helpers import add_rule, import_locations, make_entry, row

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)


def _verdict(nomination):
    verdict = verdicts([nomination], today=TODAY.date())[nomination.pk]
    return verdict.outcome, verdict.reasons


def test_no_directory_imported_means_no_match():
    nomination = make_entry()
    assert _verdict(nomination) == (Outcome.NO_MATCH, ["No regulator directory has been imported yet"])


def test_a_nomination_without_a_number_has_no_match():
    import_locations(row())
    nomination = make_entry(number="")
    assert _verdict(nomination) == (Outcome.NO_MATCH, ["The nomination gives no regulator registration number"])


def test_a_number_the_directory_does_not_list_has_no_match():
    with time_machine.travel(TODAY, tick=False):
        import_locations(row())
    nomination = make_entry(number="1-999")
    assert _verdict(nomination) == (
        Outcome.NO_MATCH,
        ["The directory imported on 1 June 2026 lists no location 1-999"],
    )


def test_the_number_matches_whatever_its_spacing_and_case():
    import_locations(row(location_id="1-100000001"))
    nomination = make_entry(number=" 1-1000 00001 ")
    verdict = verdicts([nomination])[nomination.pk]
    assert verdict.location.name == "Bramble House"
    assert verdict.outcome == Outcome.NO_RULE


def test_a_good_recent_rating_meets_the_rule():
    import_locations(row(rating="Good", published="14/03/2025"))
    nomination = make_entry()
    add_rule(nomination.category, "good", 24)
    assert _verdict(nomination) == (
        Outcome.MEETS,
        ["Rated Good (at least Good), published on 14 March 2025, within 24 months"],
    )


def test_a_rating_below_the_minimum_does_not_meet_the_rule():
    import_locations(row(rating="Requires improvement"))
    nomination = make_entry()
    add_rule(nomination.category, "good")
    assert _verdict(nomination) == (
        Outcome.DOES_NOT_MEET,
        ["Rated Requires improvement; the category needs at least Good"],
    )


def test_a_rating_older_than_the_rule_allows_does_not_meet_it():
    import_locations(row(rating="Outstanding", published="01/06/2024"))
    nomination = make_entry()
    rule = add_rule(nomination.category, "good", 24)
    assert _verdict(nomination)[0] == Outcome.MEETS  # 24 months to the day
    rule.max_age_months = 12
    rule.save()
    nomination.category.rating_rule = rule
    assert _verdict(nomination) == (
        Outcome.DOES_NOT_MEET,
        ["The rating was published on 1 June 2024, more than 12 months ago"],
    )


def test_a_deregistered_or_unrated_location_does_not_meet_the_rule():
    import_locations(
        row(location_id="1-1", status="Deactivated"),
        row(location_id="1-2", rating="Not rated", published=""),
    )
    gone = make_entry(number="1-1")
    add_rule(gone.category, "requires_improvement")
    unrated = make_entry(number="1-2", category=gone.category, name="Hilltop Care")
    assert _verdict(gone) == (Outcome.DOES_NOT_MEET, ["The location is no longer registered with the regulator"])
    assert _verdict(unrated) == (
        Outcome.DOES_NOT_MEET,
        ["The location has no overall rating; the category needs at least Requires improvement"],
    )


def test_the_staff_page_shows_the_rating_its_date_and_the_outcome(client, awards_admin):
    import_locations(row(rating="Inadequate", published="02/01/2026"))
    nomination = make_entry(state="submitted")
    add_rule(nomination.category, "good")
    client.force_login(awards_admin)
    page = client.get(reverse("awards:manage_nomination", args=[nomination.pk])).content.decode()
    assert 'id="regulator-rating">Inadequate, published 2 January 2026</dd>' in page
    assert "Does not meet the rating rule" in page
    assert "<li>Rated Inadequate; the category needs at least Good</li>" in page
    # Reported, not acted on: the entry's state is the administrator's decision.
    nomination.refresh_from_db()
    assert nomination.state == "submitted"


def test_the_rating_rule_is_set_on_its_page_and_audited(client, awards_admin):
    from accounts.models import AuditEvent
    from regulator.models import CategoryRatingRule

    nomination = make_entry()
    client.force_login(awards_admin)
    url = reverse("regulator:category_rule", args=[nomination.category_id])
    response = client.post(url, {"minimum_rating": "outstanding", "max_age_months": "18"})
    assert response.status_code == 302
    rule = CategoryRatingRule.objects.get(category=nomination.category)
    assert (rule.minimum_rating, rule.max_age_months, rule.updated_by) == ("outstanding", 18, awards_admin)
    event = AuditEvent.objects.get(action="regulator.rating_rule_saved")
    assert event.after == {"minimum_rating": "outstanding", "max_age_months": 18}
    refused = client.post(url, {"minimum_rating": "brilliant", "max_age_months": "0"})
    assert refused.status_code == 200
    assert CategoryRatingRule.objects.get(category=nomination.category).minimum_rating == "outstanding"
    client.post(url, {"remove": "1"})
    assert not CategoryRatingRule.objects.filter(category=nomination.category).exists()
