"""The public endpoints say what the public pages say: an accreditation's
standing and history, a cycle's announced winners (nothing before the
announcement instant), a credential's status."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accreditation.models import Accreditation
from awards.disclosure import Audience
from awards.models import Cycle
from judging.views.public import results_for
from leaders import credentials
from leaders.models import IssuedCredential

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "100000/min", "token": "100000/min"},
    }
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_accreditations_winners_and_credentials_as_their_pages_show_them(demo, client):
    api = APIClient()
    # Accreditations: every demo accreditation, as its "check" page shows it.
    for accreditation in Accreditation.objects.select_related("course__provider"):
        data = api.get(reverse("api:accreditation", args=[accreditation.number.lower()])).json()
        page = client.get(reverse("accreditation:verify_number", args=[accreditation.number])).context
        assert data["number"] == accreditation.number
        assert (data["status"], data["status_label"]) == (page["standing"].value, page["standing"].label)
        assert (data["valid_from"], data["valid_to"]) == (str(accreditation.valid_from), str(accreditation.valid_to))
        assert data["provider"] == accreditation.course.provider.name
        assert data["course"] == {"id": accreditation.course_id, "title": accreditation.course.title}
        assert [e["kind"] for e in data["history"]] == [e.kind for e in accreditation.events.all()]
        assert [(p["status"], p["starts_on"]) for p in data["periods"]] == [
            (p.status, str(p.starts_on)) for p in accreditation.periods.all()
        ]
        assert data["renewed_by"] == (
            None
            if page["renewal"] is None
            else {
                "number": page["renewal"].number,
                "valid_from": str(page["renewal"].valid_from),
                "valid_to": str(page["renewal"].valid_to),
            }
        )
    assert api.get(reverse("api:accreditation", args=["NSA-0000-99999"])).status_code == 404

    # Winners: announced cycles only, each award as the public winners page tells it.
    now = timezone.now()
    announced = [c for c in Cycle.objects.all() if c.results_public(now)]
    unannounced = [c for c in Cycle.objects.all() if not c.results_public(now)]
    assert announced and unannounced
    index = api.get(reverse("api:winners_index")).json()
    assert [c["id"] for c in index] == [c.pk for c in sorted(announced, key=lambda c: -c.year)]
    for cycle in announced:
        data = api.get(reverse("api:winners", args=[cycle.pk])).json()
        expected = results_for(cycle, Audience.PUBLIC)
        assert [c["category"] for c in data["categories"]] == [category.name for category in expected]
        assert [[r["heading"] for r in c["results"]] for c in data["categories"]] == [
            [r.heading for r in results] for results in expected.values()
        ]
        assert [[r["citation"] for r in c["results"]] for c in data["categories"]] == [
            [r.citation for r in results] for results in expected.values()
        ]
        assert "no-cache" in api.get(reverse("api:winners", args=[cycle.pk]))["Cache-Control"]
    for cycle in unannounced:
        assert api.get(reverse("api:winners", args=[cycle.pk])).status_code == 404

    # Credentials: the status their public page gives.
    for issued in IssuedCredential.objects.select_related("completion__course__provider"):
        data = api.get(reverse("api:credential", args=[issued.uuid])).json()
        assert (data["status"], data["explanation"]) == credentials.status(issued)
        assert data["achievement"] == issued.completion.course.title
        assert data["page"] == f"http://testserver{reverse('credentials:verify', args=[issued.uuid])}"


def test_a_revoked_credential_shows_at_once(settings):
    from leaders.credentials import revoke

    from ..matrix.matrix_world import build_world

    world = build_world()  # the demo, with a credential issued to the leader
    issued = IssuedCredential.objects.get(uuid=world.objects["credential_uuid"])
    api = APIClient()
    url = reverse("api:credential", args=[issued.uuid])
    assert api.get(url).json()["status"] == "valid"
    revoke(world.people["assessor"], issued, reason="Issued twice")
    data = api.get(url).json()
    assert data["status"] == "revoked"
    assert data["explanation"].endswith(": Issued twice")
    assert data["revoked_at"] is not None
