"""Deleting evidence files of old cycles (run daily by Celery beat).

Evidence is kept for EVIDENCE_RETENTION_YEARS after a cycle's winners were
announced, then the files and their records are deleted; each run writes one
audit entry per cycle saying how many files went, so there is a log of what
was removed and when.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import audit

from .models import Cycle, EvidenceFile

logger = logging.getLogger(__name__)


def delete_old_evidence(now=None) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(days=365 * settings.EVIDENCE_RETENTION_YEARS)
    deleted = 0
    for cycle in Cycle.objects.filter(winners_announced__lt=cutoff, nominations__evidence__isnull=False).distinct():
        with transaction.atomic():
            files = list(EvidenceFile.objects.select_for_update().filter(nomination__cycle=cycle))
            names = [f.file.name for f in files]
            EvidenceFile.objects.filter(pk__in=[f.pk for f in files]).delete()
            audit.record(
                actor=None,
                action="evidence.retention_deleted",
                obj=cycle,
                after={"files": len(files), "retention_years": settings.EVIDENCE_RETENTION_YEARS},
            )
            storage = files[0].file.storage if files else None
            transaction.on_commit(lambda names=names, storage=storage: [storage.delete(n) for n in names])
        logger.info("Deleted %s evidence files of %s under the retention policy", len(files), cycle)
        deleted += len(files)
    return deleted
