"""The DASS compliance export in the background (core.export_jobs,
leaders.exports): the worker's file is the one the dashboard would have
sent for the same filters on the same day."""

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.enums import OrganisationKind, SiteRole
from core import export_jobs
from core.enums import ExportState
from core.models import ExportJob
from leaders import domain as leaders
from notifications.models import OutboundEmail
from notifications.registry import SWEEPS

from ..factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def appointments(academy_staff):
    councils = []
    for name, region in [("Northshire County Council", "east_midlands"), ("Westshire Council", "london")]:
        council = OrganisationFactory(name=name, sector="public", region=region)
        council.kinds = [OrganisationKind.LOCAL_AUTHORITY]
        council.save()
        councils.append(council)
    with time_machine.travel(date(2026, 1, 5)):
        for n in range(4):
            leaders.record_appointment(
                academy_staff,
                make_user(email=f"dass{n}@example.org", full_name=f"=cmd Leader {n}"),
                local_authority=councils[n % 2],
                appointed_on=date(2025, 1, 1 + n),
                kind="substantive",
            )
    return councils


def test_the_dass_export_in_the_background_equals_the_immediate_one(
    client, academy_staff, appointments, run_on_commit, settings
):
    client.force_login(academy_staff)
    url = reverse("leaders:dashboard")
    with time_machine.travel(NOW, tick=False):
        immediate = client.get(url, {"export": "csv", "region": "london"})
        immediate_bytes = b"".join(immediate.streaming_content)
        assert immediate["Content-Disposition"] == 'attachment; filename="dass-compliance-2026-12-03.csv"'
        assert ExportJob.objects.count() == 0
        settings.EXPORT_BACKGROUND_ROWS = 1
        with run_on_commit():
            response = client.get(url, {"export": "csv", "region": "london", "status": "nonsense"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("core:export_job", args=[job.pk])
    assert job.parameters == {"status": "", "region": "london", "authority": "", "today": "2026-12-03"}
    assert (job.kind, job.state, job.row_count) == ("leaders.dass_compliance", ExportState.DONE, 2)
    with job.file.open("rb") as handle:
        stored = handle.read()
    assert stored == immediate_bytes
    lines = stored.decode("utf-8-sig").splitlines()
    assert lines[0] == "Leader,Email,Local authority,Region,Appointed on,Type,Deadline,Status"
    assert [line.split(",")[:3] for line in lines[1:]] == [
        ["'=cmd Leader 1", "dass1@example.org", "Westshire Council"],
        ["'=cmd Leader 3", "dass3@example.org", "Westshire Council"],
    ]
    assert OutboundEmail.objects.filter(template="export_ready").values_list("to", "subject").get() == (
        "academy@example.org",
        "Your DASS compliance export is ready to download",
    )


def test_the_dass_export_is_refused_to_an_awards_administrator(client, appointments, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client.force_login(make_user(email="awards@example.org", roles=[SiteRole.AWARDS_ADMIN]))
    assert client.get(reverse("leaders:dashboard"), {"export": "xlsx"}).status_code == 403
    assert ExportJob.objects.count() == 0


def test_each_app_sweeps_its_own_kinds(academy_staff, awards_admin):
    dass = ExportJob.objects.create(
        owner=academy_staff, kind="leaders.dass_compliance", format="csv", filename="d.csv", created_at=NOW
    )
    awards = ExportJob.objects.create(
        owner=awards_admin, kind="awards.nominations", format="csv", filename="n.csv", created_at=NOW
    )
    assert set(export_jobs.KINDS) >= {"leaders.dass_compliance", "awards.nominations"}
    with time_machine.travel(datetime(2026, 12, 4, tzinfo=ZoneInfo("Europe/London")), tick=False):
        SWEEPS["exports-expire-leaders"].run()
    dass.refresh_from_db()
    awards.refresh_from_db()
    assert (dass.state, awards.state) == (ExportState.FAILED, ExportState.QUEUED)


def test_a_kind_declared_twice_or_with_too_long_a_code_is_refused(monkeypatch):
    monkeypatch.setattr(export_jobs, "KINDS", dict(export_jobs.KINDS))
    nominations = export_jobs.KINDS["awards.nominations"]
    assert export_jobs.export_kind(nominations) is nominations  # importing a module again is harmless
    with pytest.raises(ImproperlyConfigured):
        export_jobs.export_kind(replace(nominations, label="another app's nominations"))
    with pytest.raises(ImproperlyConfigured):
        export_jobs.export_kind(replace(nominations, code="x" * 41))
