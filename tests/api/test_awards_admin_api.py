"""Awards administrators through the API: the staff nomination list (same
filters and rows as the page), its export (small: the file or JSON; large:
the background export job), and a cycle's results once its panels signed off."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import SiteRole
from awards import reports
from core import export_jobs
from core.models import ExportJob
from judging.models import FinalResult

from ..factories import make_category, make_eligible, make_judging_world, make_user
from .conftest import bearer, create_token

pytestmark = pytest.mark.django_db
LIST = reverse("api:manage_nominations")
EXPORT = reverse("api:nominations_export")


@pytest.fixture
def awards():
    world = make_judging_world()
    world["second"] = make_category(world["cycle"], "Home Care Service of the Year")
    world["entries"] = make_eligible(world["category"], 3) + make_eligible(world["second"], 2, prefix="Home")
    world["admin"].__dict__.pop("access", None)
    make_user(email="admin-mfa@example.org")  # unrelated account
    _, world["secret"] = create_token(world["admin"], scopes=["awards:read"])
    return world


def test_the_list_has_the_staff_page_s_rows_order_and_filters(awards):
    client = bearer(awards["secret"])
    data = client.get(LIST).json()
    expected = list(reports.filtered_nominations({}).values_list("reference", flat=True))
    assert data["count"] == 5
    assert [row["reference"] for row in data["results"]] == expected
    row = data["results"][0]
    nomination = awards["entries"][0]
    assert row == {
        "id": nomination.pk,
        "reference": nomination.reference,
        "cycle": {"id": awards["cycle"].pk, "year": awards["cycle"].year},
        "category": {"id": awards["category"].pk, "name": "Care Home Service of the Year"},
        "state": "eligible",
        "state_label": "Eligible",
        "organisation": {
            "id": nomination.organisation_id,
            "name": nomination.organisation.name,
            "sector": "private",
            "region": "london",
        },
        "service_name": f"{nomination.organisation.name} House",
    }
    filtered = client.get(LIST, {"category": awards["second"].pk, "q": "Home"}).json()
    assert [r["reference"] for r in filtered["results"]] == [n.reference for n in awards["entries"][3:]]
    # The staff page shows the same count for the same filters.
    page = Client()
    page.force_login(awards["admin"])
    html = page.get(reverse("awards:manage_nominations"), {"category": awards["second"].pk, "q": "Home"})
    assert [n.reference for n in html.context["page"]] == [r["reference"] for r in filtered["results"]]


def test_an_invalid_filter_is_refused_with_its_reason(awards):
    response = bearer(awards["secret"]).get(LIST, {"state": "won", "cycle": "x"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Check the request: some values are not valid",
        "errors": {
            "cycle": ["Select a valid choice. That choice is not one of the available choices."],
            "state": ["Select a valid choice. won is not one of the available choices."],
        },
    }


def test_only_awards_administrators_reach_the_list():
    for role in (SiteRole.JUDGE, SiteRole.ACADEMY_STAFF, SiteRole.MEDIA_PARTNER):
        user = make_user(email=f"{role}@example.org", roles=[role], mfa=True)
        _, secret = create_token(user, scopes=["awards:read"])
        response = bearer(secret).get(LIST)
        assert (response.status_code, response.json()["detail"]) == (
            403,
            "Your account does not hold the role this needs",
        )


def test_a_token_without_the_awards_scope_is_refused(awards):
    _, secret = create_token(awards["admin"], scopes=["courses:write", "academy:write"])
    response = bearer(secret).get(LIST)
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "This token's scopes do not include awards:read"},
    )


def test_the_list_costs_the_same_queries_for_one_or_many(awards):
    client = bearer(awards["secret"])
    client.get(LIST)  # the token's first use also records its last-used time
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(LIST, {"page_size": 1}).json()["results"]) == 1
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST, {"page_size": 5}).json()["results"]) == 5
    assert len(many) == len(one)


def test_a_small_export_is_the_page_s_file_or_its_rows_as_json(awards):
    client = bearer(awards["secret"])
    response = client.get(EXPORT, {"file_format": "csv", "category": awards["second"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [title for title, _ in reports.EXPORT_COLUMNS]
    assert [r[0] for r in rows[1:]] == [n.reference for n in awards["entries"][3:]]
    data = client.get(EXPORT, {"category": awards["second"].pk}).json()
    assert data["count"] == 2
    assert data["columns"][:3] == ["reference", "cycle", "category"]
    assert "submitted_at_uk_time" in data["columns"]
    assert [r["reference"] for r in data["results"]] == [n.reference for n in awards["entries"][3:]]
    assert data["results"][0]["category"] == "Home Care Service of the Year"
    bad = client.get(EXPORT, {"file_format": "pdf"})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"__all__": ["Choose the file format: csv, xlsx or json"]}


def test_a_large_export_is_built_in_the_background_and_fetched_with_the_token(awards, settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    client = bearer(awards["secret"])
    too_many = client.get(EXPORT, {"file_format": "json"})
    assert too_many.status_code == 400
    assert too_many.json()["errors"] == {"file_format": ["At most 2 rows as JSON"]}
    response = client.get(EXPORT, {"file_format": "csv"})
    assert response.status_code == 202
    job = ExportJob.objects.get()
    status_url = f"http://testserver{reverse('api:export_job', args=[job.pk])}"
    assert response.json() == {"job": job.pk, "state": "queued", "status": status_url}
    assert response["Location"] == status_url
    assert (job.owner, job.kind, job.format) == (awards["admin"], "awards.nominations", "csv")
    assert client.get(status_url).json()["download"] is None
    assert export_jobs.run(job.pk)
    status = client.get(status_url).json()
    assert (status["state"], status["rows"], status["withheld"]) == ("done", 5, "")
    download = client.get(status["download"])
    assert download.status_code == 200
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert content.count("\n") == 6
    # Someone else's job answers as missing, even to another administrator.
    other = make_user(email="other-admin@example.org", roles=[SiteRole.AWARDS_ADMIN])
    _, other_secret = create_token(other, scopes=["awards:read"])
    assert bearer(other_secret).get(status_url).status_code == 404
    assert bearer(other_secret).get(status["download"]).status_code == 404


def test_results_show_a_category_s_awards_once_its_panel_signed_off(awards):
    first, second, third = awards["entries"][:3]
    FinalResult.objects.create(nomination=first, award="winner", final_score=Decimal("88.50"), citation="Outstanding")
    FinalResult.objects.create(nomination=second, award="commended", final_score=Decimal("70"), citation="Strong")
    FinalResult.objects.create(nomination=third, award="none", final_score=Decimal("50"))
    url = reverse("api:cycle_results", args=[awards["cycle"].pk])
    client = bearer(awards["secret"])
    before = client.get(url).json()
    assert [(c["category"]["name"], c["signed_off"], c["results"]) for c in before["categories"]] == [
        ("Care Home Service of the Year", False, []),
        ("Home Care Service of the Year", False, []),
    ]
    panel = awards["panel"]
    panel.signed_off_at = timezone.now()
    panel.save()
    after = client.get(url).json()
    assert after["approved"] is False
    signed = after["categories"][0]
    assert signed["signed_off"] is True
    assert [(r["reference"], r["award"], r["final_score"], r["organisation"]) for r in signed["results"]] == [
        (first.reference, "winner", "88.50", first.organisation.name),
        (second.reference, "commended", "70.00", second.organisation.name),
    ]
    assert after["categories"][1]["results"] == []
    missing = client.get(reverse("api:cycle_results", args=[987654]))
    assert missing.status_code == 404
