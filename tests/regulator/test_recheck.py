"""The daily re-check flags a deregistration or downgrade once and only once."""

import datetime

import pytest
import time_machine

from accounts.enums import SiteRole
from notifications.models import OutboundEmail
from notifications.registry import SWEEPS
from regulator.enums import ChangeKind
from regulator.models import NominationRegulatorMatch, RegulatorChange
from regulator.reminders import sweep_regulator_recheck
from tests.factories import make_user

from .helpers import import_locations, make_entry, row

pytestmark = pytest.mark.django_db

DAY_ONE = datetime.datetime(2026, 2, 2, 7, tzinfo=datetime.UTC)


@pytest.fixture
def admins(awards_admin):
    return [awards_admin, make_user(email="second-admin@example.org", roles=[SiteRole.AWARDS_ADMIN])]


def _emails():
    return sorted(OutboundEmail.objects.filter(template="reminder_regulator_change").values_list("to", "subject"))


def test_a_downgrade_is_flagged_and_emailed_once_and_only_once(admins):
    with time_machine.travel(DAY_ONE, tick=False):
        nomination = make_entry(number="1-100000001", closes=DAY_ONE + datetime.timedelta(days=20))
        import_locations(row(rating="Good"))
        assert sweep_regulator_recheck() == 0  # the first check sets the baseline
    match = NominationRegulatorMatch.objects.get(nomination=nomination)
    assert (match.rating_seen, match.registered_seen) == ("good", True)
    assert _emails() == []

    with time_machine.travel(DAY_ONE + datetime.timedelta(days=1), tick=False):
        import_locations(row(rating="Requires improvement", published="20/01/2026"))
        assert sweep_regulator_recheck() == 1
        assert sweep_regulator_recheck() == 0
    with time_machine.travel(DAY_ONE + datetime.timedelta(days=2), tick=False):
        assert sweep_regulator_recheck() == 0

    change = RegulatorChange.objects.get()
    assert (change.nomination, change.kind, change.rating_before, change.rating_after) == (
        nomination,
        ChangeKind.DOWNGRADED,
        "good",
        "requires_improvement",
    )
    subject = f"Regulator change to entry {nomination.reference}: rating downgraded"
    assert _emails() == [("awards-admin@example.org", subject), ("second-admin@example.org", subject)]
    assert nomination.__class__.objects.get(pk=nomination.pk).state == "eligible"


def test_a_further_downgrade_is_a_new_change(admins):
    with time_machine.travel(DAY_ONE, tick=False):
        make_entry(closes=DAY_ONE + datetime.timedelta(days=20))
        import_locations(row(rating="Outstanding"))
        sweep_regulator_recheck()
        import_locations(row(rating="Good", published="20/01/2026"))
        sweep_regulator_recheck()
        import_locations(row(rating="Inadequate", published="30/01/2026"))
        sweep_regulator_recheck()
        sweep_regulator_recheck()
    assert list(RegulatorChange.objects.order_by("pk").values_list("rating_before", "rating_after")) == [
        ("outstanding", "good"),
        ("good", "inadequate"),
    ]
    assert len(_emails()) == 4


def test_a_deregistration_is_flagged_once_whether_listed_as_deactivated_or_dropped(awards_admin):
    with time_machine.travel(DAY_ONE, tick=False):
        listed = make_entry(number="1-1", closes=DAY_ONE + datetime.timedelta(days=20))
        dropped = make_entry(number="1-2", category=listed.category, name="Hilltop Care")
        others = [row(location_id=f"1-{n}") for n in range(3, 11)]
        import_locations(row(location_id="1-1"), row(location_id="1-2"), *others)
        sweep_regulator_recheck()
        import_locations(row(location_id="1-1", status="Deactivated"), *others)
        assert sweep_regulator_recheck() == 2
        assert sweep_regulator_recheck() == 0
    assert sorted(RegulatorChange.objects.values_list("nomination", "kind")) == sorted(
        [(listed.pk, "deregistered"), (dropped.pk, "deregistered")]
    )
    assert len(_emails()) == 2


def test_a_much_smaller_file_does_not_deregister_what_it_leaves_out(awards_admin):
    with time_machine.travel(DAY_ONE, tick=False):
        nomination = make_entry(number="1-1", closes=DAY_ONE + datetime.timedelta(days=20))
        import_locations(*[row(location_id=f"1-{n}") for n in range(1, 11)])
        sweep_regulator_recheck()
        import_locations(row(location_id="1-5"))  # one location: a part of the directory
        assert sweep_regulator_recheck() == 0
        import_locations(*[row(location_id=f"1-{n}") for n in range(2, 12)])  # the whole directory again
        assert sweep_regulator_recheck() == 1
    assert list(RegulatorChange.objects.values_list("nomination", "kind")) == [(nomination.pk, "deregistered")]


def test_an_upgrade_is_not_a_change_and_sets_the_new_baseline(awards_admin):
    with time_machine.travel(DAY_ONE, tick=False):
        nomination = make_entry(closes=DAY_ONE + datetime.timedelta(days=20))
        import_locations(row(rating="Requires improvement"))
        sweep_regulator_recheck()
        import_locations(row(rating="Good", published="20/01/2026"))
        assert sweep_regulator_recheck() == 0
    assert NominationRegulatorMatch.objects.get(nomination=nomination).rating_seen == "good"
    assert _emails() == []


def test_entries_not_found_eligible_and_cycles_announced_are_not_rechecked(awards_admin):
    with time_machine.travel(DAY_ONE, tick=False):
        submitted = make_entry(state="submitted", closes=DAY_ONE + datetime.timedelta(days=20))
        import_locations(row())
        sweep_regulator_recheck()
    assert not NominationRegulatorMatch.objects.filter(nomination=submitted).exists()
    # Long after the cycle's announcement, the eligible entry is left alone.
    with time_machine.travel(DAY_ONE - datetime.timedelta(days=400), tick=False):
        old = make_entry(name="Old Care", year=2025)
    with time_machine.travel(DAY_ONE, tick=False):
        sweep_regulator_recheck()
    assert not NominationRegulatorMatch.objects.filter(nomination=old).exists()


def test_the_flag_shows_on_the_staff_page(client, awards_admin):
    from django.urls import reverse

    with time_machine.travel(DAY_ONE, tick=False):
        nomination = make_entry(closes=DAY_ONE + datetime.timedelta(days=20))
        import_locations(row(rating="Good"))
        sweep_regulator_recheck()
        import_locations(row(rating="Inadequate", published="20/01/2026"))
        sweep_regulator_recheck()
        client.force_login(awards_admin)
        page = client.get(reverse("awards:manage_nomination", args=[nomination.pk])).content.decode()
    assert "Rating went from Good to Inadequate (location 1-100000001) (found 7am on 2 February 2026)" in page


def test_the_recheck_is_a_daily_sweep_on_celery_beat():
    from celery.schedules import crontab

    from config.celery import beat_schedule

    assert SWEEPS["regulator-recheck-entries"].schedule == crontab(hour=6, minute=20)
    assert SWEEPS["regulator-recheck-entries"].run is sweep_regulator_recheck
    assert "regulator-recheck-entries" in beat_schedule()
