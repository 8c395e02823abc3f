"""The states of core's own workflow, the background export (core.export_jobs)."""

from django.db import models


class ExportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Could not be made"
    EXPIRED = "expired", "Deleted"


# Each state may become those listed (core.states.move / move_all). A job
# that no worker finished (broker down, worker killed) fails at the expiry
# sweep; a file, or a failure, expires after EXPORT_KEEP_DAYS.
EXPORT_TRANSITIONS = {
    ExportState.QUEUED: [ExportState.RUNNING, ExportState.FAILED],
    ExportState.RUNNING: [ExportState.DONE, ExportState.FAILED],
    ExportState.DONE: [ExportState.EXPIRED],
    ExportState.FAILED: [ExportState.EXPIRED],
    ExportState.EXPIRED: [],
}


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
    ZIP = "zip", "ZIP"
