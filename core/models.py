"""core's one model: an export built by a Celery worker (core.export_jobs)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import ExportFormat, ExportState


class ExportJob(models.Model):
    """A staff export too large to build within a request: queued, built by a
    worker into private storage, downloaded by its owner, deleted on expiry."""

    # Templates name states through this: {% if job.state == job.STATES.DONE %}
    STATES = ExportState

    # Null once the account is deleted: the expiry sweep still deletes the file.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # An ExportKind's code (core.export_jobs.KINDS): what is exported, and the
    # permission its owner needs to ask for it and to download it.
    kind = models.CharField(max_length=40)
    # The list's filters, as the kind reads them back.
    parameters = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=4, choices=ExportFormat.choices)
    # The name the download is given, e.g. nominations-2026-12-03.xlsx.
    filename = models.CharField(max_length=100)
    state = models.CharField(max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    row_count = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "expires_at"], name="core_export_state_expiry")]

    def __str__(self):
        return f"Export {self.filename}"

    @property
    def finished(self) -> bool:
        return self.state not in (ExportState.QUEUED, ExportState.RUNNING)
