"""What the open data holds: the register's public rows and the accreditations
of listed courses, the same in CSV and JSON, nothing that is not public, and a
data dictionary that describes every column."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.http import QueryDict
from django.urls import reverse

from accreditation.models import Accreditation
from courses import open_data, search
from courses.models import Course

from .open_data_world import SECRETS, TODAY, build_register, csv_rows, json_doc, stored

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def published():
    with time_machine.travel(NOON, tick=False):
        courses, accreditations = build_register()
        manifest = open_data.publish()
    return courses, accreditations, manifest


def as_csv(value):
    """A JSON value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, float):
        return value
    return str(value)


def every_register_row():
    """Every course the public register lists, page after page."""
    params = search.parse(QueryDict())
    page, _ = search.search(params)
    rows = []
    for number in page.paginator.page_range:
        rows += list(page.paginator.page(number).object_list)
    return rows


def test_the_register_file_holds_the_registers_public_rows(published, client):
    courses, _, manifest = published
    rows = json_doc(stored(manifest, "register.json"))["rows"]
    listed = every_register_row()
    assert [r["course_id"] for r in rows] == sorted(c.pk for c in listed)
    html = client.get(reverse("courses:register")).content.decode()
    assert f"{len(rows)} courses" in html
    dementia = next(r for r in rows if r["course_id"] == courses["in_force"].pk)
    assert dementia == {
        "course_id": courses["in_force"].pk,
        "page_url": f"http://testserver/courses/{courses['in_force'].pk}/",
        "title": "Leading dementia care services",
        "provider": "Leadership Learning Partnership",
        "summary": "Leading dementia care services: a programme for leaders in social care.",
        "levels": ["practice-leaders", "service-leaders"],
        "domains": ["leadership", "management"],
        "delivery_mode": "online",
        "duration_hours": 12.5,
        "cost_gbp": 900.5,
        "region": "north_west",
        "open_to": ["public", "private", "voluntary", "community"],
        "designed_for_social_care": True,
        "more_information_url": "https://example.org/dementia",
        "accredited": True,
        "accreditation_status": "accredited",
        "accreditation_number": "NSA-2026-00001",
        "accredited_from": "2025-12-03",
        "accredited_to": "2028-12-02",
    }
    suspended = next(r for r in rows if r["course_id"] == courses["suspended"].pk)
    assert (suspended["open_to"], suspended["accredited"], suspended["designed_for_social_care"]) == (
        ["public", "voluntary"],
        False,
        False,
    )
    assert (suspended["more_information_url"], suspended["accreditation_status"]) == (None, "suspended")
    plain = next(r for r in rows if r["course_id"] == courses["formula"].pk)
    assert (plain["accredited"], plain["accreditation_status"], plain["cost_gbp"]) == (False, "none", 500.0)


def test_each_row_says_what_the_course_page_says(published, client):
    courses, _, manifest = published
    rows = {r["course_id"]: r for r in json_doc(stored(manifest, "register.json"))["rows"]}
    for course in Course.objects.filter(state="listed"):
        page = client.get(reverse("courses:detail", args=[course.pk])).content.decode()
        row = rows[course.pk]
        assert course.provider.name in page and row["provider"] == course.provider.name
        assert course.get_delivery_mode_display() in page
        assert row["accredited"] == course.is_accredited(TODAY)
        assert row["levels"] == [lv.slug for lv in course.levels.all()]
        assert row["domains"] == [d.slug for d in course.domains.all()]


def test_csv_and_json_hold_the_same_rows(published):
    _, _, manifest = published
    for dataset in open_data.datasets():
        table = csv_rows(stored(manifest, f"{dataset.name}.csv"))
        doc = json_doc(stored(manifest, f"{dataset.name}.json"))
        assert list(table[0]) == [c.name for c in dataset.columns] == doc["metadata"]["columns"]
        assert len(table) == len(doc["rows"]) == doc["row_count"] == manifest["files"][f"{dataset.name}.csv"]["rows"]
        for line, row in zip(table, doc["rows"], strict=True):
            for name, value in row.items():
                cell = line[name].removeprefix("'")
                assert (float(cell) if isinstance(value, float) else cell) == as_csv(value), name


def test_a_title_that_looks_like_a_formula_does_not_run_in_a_spreadsheet(published):
    courses, _, manifest = published
    table = {int(r["course_id"]): r for r in csv_rows(stored(manifest, "register.csv"))}
    assert table[courses["formula"].pk]["title"] == '\'=HYPERLINK("http://x") leadership'
    rows = json_doc(stored(manifest, "register.json"))["rows"]
    assert (
        next(r for r in rows if r["course_id"] == courses["formula"].pk)["title"] == '=HYPERLINK("http://x") leadership'
    )


def test_accreditations_of_listed_courses_with_their_standing_on_the_day(published):
    courses, a, manifest = published
    rows = {r["accreditation_number"]: r for r in json_doc(stored(manifest, "accreditations.json"))["rows"]}
    assert {number: row["standing"] for number, row in rows.items()} == {
        "NSA-2022-00007": "expired",
        "NSA-2023-00005": "renewed",
        "NSA-2025-00006": "in_force",
        "NSA-2026-00001": "in_force",
        "NSA-2026-00002": "conditions",
        "NSA-2026-00003": "suspended",
        "NSA-2026-00004": "withdrawn",
        "NSA-2027-00008": "not_yet",
    }
    assert rows["NSA-2026-00002"] == {
        "accreditation_number": "NSA-2026-00002",
        "check_url": "http://testserver/accreditation/verify/NSA-2026-00002/",
        "course_id": courses["conditions"].pk,
        "course_title": "Commissioning for wellbeing",
        "provider": "University of the Pennines",
        "standing": "conditions",
        "valid_from": "2025-12-03",
        "valid_to": "2027-12-03",
        "renews": None,
        "renewed_by": None,
        "conditions": 2,
        "conditions_met": 1,
    }
    assert (rows["NSA-2023-00005"]["renewed_by"], rows["NSA-2025-00006"]["renews"]) == (
        "NSA-2025-00006",
        "NSA-2023-00005",
    )


def test_the_standing_in_the_file_is_the_one_every_page_shows(published):
    _, _, manifest = published
    rows = {r["accreditation_number"]: r for r in json_doc(stored(manifest, "accreditations.json"))["rows"]}
    listed = Accreditation.objects.filter(course__state="listed")
    assert sorted(rows) == sorted(listed.values_list("number", flat=True))
    for accreditation in listed:
        assert rows[accreditation.number]["standing"] == accreditation.standing_on(TODAY)


def test_nothing_that_is_not_public_is_in_any_file(published):
    courses, _, manifest = published
    everything = b"".join(stored(manifest, name) for name in open_data.files()).decode()
    for secret in SECRETS:
        assert secret not in everything
    assert "NSA-2026-00090" not in everything and "NSA-2026-00091" not in everything
    for dataset in open_data.datasets():
        names = {c.name for c in dataset.columns}
        assert names.isdisjoint({"state", "external_id", "listed_at", "created_at", "import_job", "status_reason"})
    register_ids = {r["course_id"] for r in json_doc(stored(manifest, "register.json"))["rows"]}
    assert courses["draft"].pk not in register_ids and courses["off"].pk not in register_ids


def test_the_dictionary_describes_every_column_and_the_licence(published):
    _, _, manifest = published
    described = json_doc(stored(manifest, "dictionary.json"))
    assert described["@context"] == "http://www.w3.org/ns/csvw"
    assert described["dc:license"] == {"@id": open_data.LICENCE_URL, "dc:title": "Open Government Licence v3.0"}
    tables = {t["url"]: t for t in described["tables"]}
    for dataset in open_data.datasets():
        table = tables[f"http://testserver/open-data/{dataset.name}.csv"]
        header = list(csv_rows(stored(manifest, f"{dataset.name}.csv"))[0])
        columns = table["tableSchema"]["columns"]
        assert [c["name"] for c in columns] == header
        assert all(c["dc:description"] and c["titles"] and c["datatype"] for c in columns)
    register = {c["name"]: c for c in tables["http://testserver/open-data/register.csv"]["tableSchema"]["columns"]}
    assert register["levels"]["separator"] == "; "
    assert [v["schema:value"] for v in register["delivery_mode"]["schema:valueReference"]] == [
        "in_person",
        "online",
        "blended",
    ]
    level_codes = {v["schema:value"] for v in register["levels"]["schema:valueReference"]}
    rows = json_doc(stored(manifest, "register.json"))["rows"]
    assert {slug for r in rows for slug in r["levels"]} <= level_codes
    standing = {
        c["name"]: c for c in tables["http://testserver/open-data/accreditations.csv"]["tableSchema"]["columns"]
    }
    assert {v["schema:value"] for v in standing["standing"]["schema:valueReference"]} >= {"in_force", "withdrawn"}


def test_each_json_file_states_its_licence_and_when_it_was_made(published):
    _, _, manifest = published
    for dataset in open_data.datasets():
        metadata = json_doc(stored(manifest, f"{dataset.name}.json"))["metadata"]
        assert metadata["licence"] == {"name": "Open Government Licence v3.0", "url": open_data.LICENCE_URL}
        assert metadata["generated_at"] == "2026-12-03T12:00:00+00:00"
        assert metadata["dictionary"] == "http://testserver/open-data/dictionary.json"
    assert manifest["licence"]["name"] == "Open Government Licence v3.0"
    assert manifest["generated_at"] == "2026-12-03T12:00:00+00:00"
