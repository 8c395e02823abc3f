"""The open-data page and the files at their stable addresses: content types,
licence and dictionary headers, the generation time, the link from the
register, accessible GOV.UK markup, and the demo's first dump."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse

from courses import open_data
from courses.demo import seed_courses
from courses.models import Course

from ..factories import make_course, make_course_provider
from .open_data_world import csv_rows, folders, json_doc, stored

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
TYPES = {
    "register.csv": "text/csv; charset=utf-8",
    "accreditations.csv": "text/csv; charset=utf-8",
    "register.json": "application/json",
    "accreditations.json": "application/json",
    "dictionary.json": "application/json",
}


@pytest.fixture
def published():
    provider = make_course_provider("Leadership Learning Partnership")[1]
    make_course(provider, "Leading person-centred care")
    make_course(provider, "First steps in leadership")
    with time_machine.travel(NOON, tick=False):
        return open_data.publish()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("name", sorted(TYPES))
def test_each_file_at_its_stable_address(client, published, name):
    response = client.get(f"/open-data/{name}")
    assert reverse("open_data:download", args=[name]) == f"/open-data/{name}"
    assert response.status_code == 200
    assert response["Content-Type"] == TYPES[name]
    assert body(response) == stored(published, name)
    assert response["Link"] == (
        f'<{open_data.LICENCE_URL}>; rel="license", </open-data/dictionary.json>; rel="describedby"'
    )
    assert response["ETag"] == f'"{published["files"][name]["sha256"]}"'
    assert response["Last-Modified"] == "Thu, 03 Dec 2026 12:00:00 GMT"
    assert response["Access-Control-Allow-Origin"] == "*"
    disposition = "attachment" if name.endswith(".csv") else "inline"
    assert response["Content-Disposition"] == f'{disposition}; filename="{name}"'


def test_the_files_parse(client, published):
    rows = csv_rows(body(client.get("/open-data/register.csv")))
    assert sorted(r["title"] for r in rows) == ["First steps in leadership", "Leading person-centred care"]
    doc = json_doc(body(client.get("/open-data/register.json")))
    assert [r["title"] for r in doc["rows"]] == [r["title"] for r in rows]
    assert json_doc(body(client.get("/open-data/accreditations.json")))["rows"] == []
    assert csv_rows(body(client.get("/open-data/accreditations.csv"))) == []
    assert json_doc(body(client.get("/open-data/dictionary.json")))["@context"] == "http://www.w3.org/ns/csvw"


def test_an_unchanged_file_answers_not_modified(client, published):
    etag = f'"{published["files"]["register.csv"]["sha256"]}"'
    response = client.get("/open-data/register.csv", headers={"If-None-Match": etag})
    assert (response.status_code, response["ETag"]) == (304, etag)


def test_the_latest_dump_is_served_after_a_new_one(client, published):
    Course.objects.filter(title="First steps in leadership").update(state="withdrawn")
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        latest = open_data.publish()
    assert latest["folder"] != published["folder"]
    rows = csv_rows(body(client.get("/open-data/register.csv")))
    assert [r["title"] for r in rows] == ["Leading person-centred care"]


def test_unknown_names_and_a_missing_first_dump_answer_not_found(client, published):
    assert client.get("/open-data/manifest.json").status_code == 404
    assert client.get("/open-data/secrets.csv").status_code == 404
    open_data.forget_current()
    for folder in folders():
        open_data._delete_folder(folder)
    open_data.forget_current()
    assert client.get("/open-data/register.csv").status_code == 404
    page = client.get("/open-data/").content.decode()
    assert "The first files have not been made yet" in page
    assert 'href="/open-data/register.csv"' not in page


def test_the_page_shows_the_files_the_licence_the_time_and_the_dictionary(client, published):
    response = client.get(reverse("open_data:index"))
    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
    html = response.content.decode()
    assert "These files were made at midday on 3 December 2026." in html
    for name in TYPES:
        assert f'href="/open-data/{name}"' in html
    assert (
        f'<a class="govuk-link" href="{open_data.LICENCE_URL}" rel="license">Open Government Licence v3.0</a>' in html
    )
    for dataset in open_data.datasets():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
    assert "<code>in_person</code>: In person" in html
    assert "<code>practice-leaders</code>" in html
    assert "<code>in_force</code>: Accredited" in html


def test_the_register_links_to_the_open_data_with_its_time(client, published):
    html = client.get(reverse("courses:register")).content.decode()
    assert f'href="{reverse("open_data:index")}">open data</a>' in html
    assert "(last made at midday on 3 December 2026)" in html


def test_the_page_and_the_files_make_few_queries(client, django_assert_max_num_queries, published):
    with django_assert_max_num_queries(2):
        client.get(reverse("open_data:index"))
    with django_assert_max_num_queries(0):
        client.get("/open-data/register.json")


class Outline(HTMLParser):
    """The parts of the page that decide whether a screen reader can use it."""

    def __init__(self):
        super().__init__()
        self.headings, self.ids, self.links, self.tables, self.lang = [], [], [], [], None
        self._link = None
        self._table = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag in ("h1", "h2", "h3", "h4"):
            self.headings.append(int(tag[1]))
        if tag == "a":
            self._link = ""
        if tag == "table":
            self._table = {"caption": False, "th": []}
        if tag == "caption" and self._table is not None:
            self._table["caption"] = True
        if tag == "th" and self._table is not None:
            self._table["th"].append(attrs.get("scope"))

    def handle_data(self, data):
        if self._link is not None:
            self._link += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append(" ".join(self._link.split()))
            self._link = None
        if tag == "table":
            self.tables.append(self._table)
            self._table = None


@pytest.mark.parametrize("with_dump", [True, False])
def test_the_page_is_accessible_gov_uk_markup(client, published, with_dump):
    if not with_dump:
        for folder in folders():
            open_data._delete_folder(folder)
        open_data.forget_current()
    html = client.get(reverse("open_data:index")).content.decode()
    outline = Outline()
    outline.feed(html)
    assert outline.lang == "en-GB"
    assert outline.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(outline.headings, outline.headings[1:], strict=False))
    assert len(outline.ids) == len(set(outline.ids))
    assert all(outline.links), "a link without text"
    assert len(outline.tables) == 1 + len(open_data.datasets())
    assert all(set(t["th"]) <= {"col", "row"} and t["th"] for t in outline.tables)
    assert outline.tables[0]["caption"]
    assert '<main class="govuk-main-wrapper' in html and "govuk-skip-link" in html
    # Links to files of the same name differ in what a screen reader hears.
    files = [link for link in outline.links if link.startswith(("register.", "accreditations.", "dictionary."))]
    assert len(files) == len(set(files)) == (5 if with_dump else 0)


def test_the_demo_makes_a_first_dump_once(run_on_commit):
    with run_on_commit():
        seed_courses()
    first = open_data.current()
    listed = Course.objects.filter(state="listed").count()
    assert listed > 40
    assert len(json_doc(stored(first, "register.json"))["rows"]) == listed
    with run_on_commit():
        seed_courses()
    assert folders() == [first["folder"]]
