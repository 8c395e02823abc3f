"""The equity report's counts (awards.equity.build_report): stages, dimensions, baselines."""

import pytest

from awards import equity
from tests.conftest import count_queries

from .equity_world import baseline, build, counts, directory

pytestmark = pytest.mark.django_db


def test_stages_are_cumulative_and_drafts_and_withdrawn_entries_count_nowhere():
    world = build()
    report = equity.build_report(world["cycle"])
    sector = report.dimensions[0]
    assert sector.key == "sector"
    assert sector.totals == {"entries": 4, "eligible": 3, "shortlisted": 2, "finalists": 2, "winners": 1}
    assert report.total_entries == 4
    assert counts(report, "sector", "entries") == {"private": 2, "voluntary": 1, "public": 1}
    assert counts(report, "sector", "eligible") == {"private": 2, "voluntary": 1}
    assert counts(report, "sector", "winners") == {"private": 1}
    assert counts(report, "region", "entries") == {"london": 3, "north_east": 1}


def test_sector_and_region_are_compared_with_care_providers_registered_on_the_platform():
    report = equity.build_report(build()["cycle"])
    assert baseline(report, "sector") == {"private": 2, "voluntary": 1, "public": 1}
    assert baseline(report, "region") == {"london": 3, "north_east": 1}
    sector = report.dimensions[0]
    assert sector.baseline_label == equity.PLATFORM
    private = next(row for row in sector.rows if row.key == "private")
    assert private.baseline_share == 50.0
    assert private.cells["entries"].share == 50.0
    assert private.cells["winners"].share == 100.0


def test_rating_band_is_what_the_recheck_saw_else_the_latest_directory_else_not_matched():
    report = equity.build_report(build()["cycle"])
    # 1-001 Good (directory), " 1-002 " Outstanding (number normalised), 1-003 Inadequate
    # (the re-check's baseline, although the directory now says Good), 9-999 not listed.
    assert counts(report, "rating", "entries") == {
        "good": 1,
        "outstanding": 1,
        "inadequate": 1,
        "not_matched": 1,
    }
    assert counts(report, "rating", "winners") == {"good": 1}


def test_rating_baseline_is_the_registered_locations_of_the_latest_directory():
    report = equity.build_report(build()["cycle"])
    # The deregistered location is left out; no rating published counts as not rated yet.
    assert baseline(report, "rating") == {"good": 3, "requires_improvement": 1, "outstanding": 1, "not_rated": 1}
    rating = report.dimensions[3]
    assert rating.baseline_label == equity.DIRECTORY
    not_matched = next(row for row in rating.rows if row.key == "not_matched")
    assert (not_matched.baseline, not_matched.baseline_share) == (None, None)


def test_size_is_the_registered_locations_the_provider_runs():
    report = equity.build_report(build()["cycle"])
    # Acorn Group runs 3 registered locations; Birch Ltd and Cedar Trust one each.
    assert counts(report, "size", "entries") == {"two_to_nine": 1, "one": 2, "not_matched": 1}
    assert baseline(report, "size") == {"two_to_nine": 1, "one": 2}


def test_a_later_import_is_the_one_looked_up():
    world = build()
    directory([("9-999", "Fir Homes", "requires_improvement", True)])
    report = equity.build_report(world["cycle"])
    # Only the re-checked entry keeps its location; the others are looked up in the new file.
    assert counts(report, "rating", "entries") == {"requires_improvement": 1, "inadequate": 1, "not_matched": 2}
    assert baseline(report, "rating") == {"requires_improvement": 1}


def test_without_a_directory_everything_is_not_matched():
    from regulator.models import DirectoryImport

    world = build()
    DirectoryImport.objects.all().delete()
    report = equity.build_report(world["cycle"])
    assert report.directory_import is None
    assert counts(report, "rating", "entries") == {"not_matched": 4}
    assert baseline(report, "rating") == {}


def test_size_bands():
    assert [equity.size_band(n) for n in (0, 1, 2, 9, 10, 250)] == [
        "not_known",
        "one",
        "two_to_nine",
        "two_to_nine",
        "ten_or_more",
        "ten_or_more",
    ]


def test_the_report_takes_the_same_number_of_queries_for_one_entry_or_many():
    from awards.enums import NominationState

    from .equity_world import entry

    world = build()
    one = count_queries(lambda: equity.build_report(world["cycle"]))
    for number in range(12):
        entry(world["category"], world["winner"].organisation, NominationState.ELIGIBLE, f"1-{number:03d}")
    assert count_queries(lambda: equity.build_report(world["cycle"])) == one == 8


def test_csv_rows_hold_every_group_and_a_total_per_dimension():
    report = equity.build_report(build()["cycle"])
    rows = list(equity.csv_rows(report))
    header = equity.csv_header()
    assert header[:5] == [
        "Dimension",
        "Group",
        "Compared with",
        "Registered providers",
        "Share of registered providers (%)",
    ]
    assert header[5:7] == ["Entries", "Share of entries (%)"]
    assert len(rows) == (4 + 1) + (12 + 1) + (5 + 1) + (6 + 1)
    private = next(row for row in rows if row[:2] == ["Sector", "Private"])
    assert private == ["Sector", "Private", equity.PLATFORM, 2, 50.0, 2, 50.0, 2, 66.7, 2, 100.0, 2, 100.0, 1, 100.0]
    total = next(row for row in rows if row[:2] == ["Sector", "All"])
    assert total == ["Sector", "All", equity.PLATFORM, 4, 100.0, 4, 100.0, 3, 100.0, 2, 100.0, 2, 100.0, 1, 100.0]
    unmatched = next(row for row in rows if row[:2] == ["Regulator rating band", equity.NOT_MATCHED[1]])
    assert unmatched[2:5] == ["", "", ""]
