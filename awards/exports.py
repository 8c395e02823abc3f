"""The staff nomination list's export as a background export kind
(core.export_jobs): above settings.EXPORT_BACKGROUND_ROWS rows a worker
builds it. Found when Django starts (core.apps), like reminders.py."""

from celery.schedules import crontab

from accounts import audit
from core.export_jobs import ExportKind, expire, export_kind
from notifications.mail import queue_email
from notifications.registry import sweep

from . import reports


def parameters(data: dict) -> dict:
    """The list's filters (NominationFilterForm's cleaned data), as the job stores them."""
    return {key: getattr(value, "pk", value) for key, value in data.items() if value not in (None, "")}


NOMINATIONS = export_kind(
    ExportKind(
        code="awards.nominations",
        label="nominations",
        permission="awards.manage",
        filename="nominations",
        header=tuple(title for title, _ in reports.EXPORT_COLUMNS),
        count=lambda params: reports.filtered_nominations(params).count(),
        rows=lambda params: reports.export_rows(reports.filtered_nominations(params)),
        list_url="awards:manage_nominations",
        queue_email=queue_email,
        audit=audit.record,
    )
)


@sweep("exports-expire-awards", crontab(hour=3, minute=10))
def expire_nomination_exports(now=None) -> int:
    """Deletes the files of nomination exports past their expiry."""
    return expire([NOMINATIONS], now)
