"""A large DASS export runs in the background: its page says where it stands,
offers the download when it is ready, and passes axe at each state."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind
from core.models import ExportJob
from leaders import domain as leaders

from ..factories import OrganisationFactory, make_user
from .browser import assert_accessible, press
from .test_browser_judging import sign_in_with_mfa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def dass_world():
    """Academy staff and three DASS appointments at a council."""
    staff = make_user(email="academy@academy.example", roles=["academy_staff"])
    council = OrganisationFactory(name="Northshire County Council", sector="public", region="east_midlands")
    council.kinds = [OrganisationKind.LOCAL_AUTHORITY]
    council.save()
    for n in range(3):
        leaders.record_appointment(
            staff,
            make_user(email=f"director{n}@northshire.example"),
            local_authority=council,
            appointed_on=timezone.localdate() - timedelta(days=100 + n),
            kind="substantive",
        )
    return staff


def test_a_large_export_is_followed_on_its_page_and_downloaded(live_server, page, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    staff = dass_world()
    queued = ExportJob.objects.create(owner=staff, kind="leaders.dass_compliance", format="csv", filename="d.csv")
    sign_in_with_mfa(page, live_server, "academy@academy.example", "exports-01")

    page.goto(live_server.url + reverse("core:export_job", args=[queued.pk]))
    assert page.locator("#export-state").inner_text() == "Waiting to start"
    assert_accessible(page, "exports-02-waiting")
    press(page, page.get_by_role("link", name="check again"))
    assert page.locator("#export-state").inner_text() == "Waiting to start"

    # Celery runs eagerly in tests: the job is built as the request commits.
    page.goto(live_server.url + reverse("leaders:dashboard") + "?export=csv")
    page.wait_for_url(re.compile(r"/exports/\d+/$"))
    assert page.locator("#export-state").inner_text() == "Ready to download"
    assert_accessible(page, "exports-03-ready")
    with page.expect_download() as download:
        press(page, page.get_by_role("link", name=re.compile(r"Download dass-compliance-")), navigates=False)
    assert download.value.suggested_filename == f"dass-compliance-{timezone.localdate():%Y-%m-%d}.csv"
    page.set_viewport_size({"width": 320, "height": 640})
    assert_accessible(page, "exports-04-ready-320px")
