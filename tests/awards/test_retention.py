"""Evidence of old cycles is deleted by the scheduled task, with a log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from awards.models import EvidenceFile
from awards.retention import delete_old_evidence

from ..factories import make_category, make_cycle, make_nomination, make_provider

pytestmark = pytest.mark.django_db


def test_evidence_older_than_the_retention_period_is_deleted(settings, run_on_commit):
    settings.EVIDENCE_RETENTION_YEARS = 3
    now = timezone.now()
    old = make_cycle(opens=now - timedelta(days=5 * 365), closes=now - timedelta(days=5 * 365 - 30), year=now.year - 5)
    recent = make_cycle(opens=now - timedelta(days=400), closes=now - timedelta(days=370), year=now.year - 1)
    user, organisation = make_provider("Riverside Care")
    old_nomination = make_nomination(make_category(old), organisation, user)
    make_nomination(make_category(recent), organisation, user)
    stored = EvidenceFile.objects.get(nomination=old_nomination).file
    storage, name = stored.storage, stored.name
    with run_on_commit():
        assert delete_old_evidence(now) == 1
    assert list(EvidenceFile.objects.values_list("nomination__cycle", flat=True)) == [recent.pk]
    assert not storage.exists(name)
    event = AuditEvent.objects.get(action="evidence.retention_deleted")
    assert (event.object_id, event.after) == (str(old.pk), {"files": 1, "retention_years": 3})
    assert delete_old_evidence(now) == 0
