"""The DASS compliance dashboard's export as a background export kind
(core.export_jobs): above settings.EXPORT_BACKGROUND_ROWS rows a worker
builds it. Found when Django starts (core.apps), like reminders.py."""

from datetime import date

from celery.schedules import crontab

from accounts import audit
from core.export_jobs import ExportKind, expire, export_kind
from notifications.mail import queue_email
from notifications.registry import sweep

from . import compliance
from .enums import ComplianceStatus
from .models import DassAppointment

HEADER = ("Leader", "Email", "Local authority", "Region", "Appointed on", "Type", "Deadline", "Status")


def apply_filters(queryset, chosen: dict, today: date):
    """The dashboard's filters (status, region, authority: already validated)."""
    if chosen.get("status"):
        queryset = queryset.filter(compliance.status_filter(chosen["status"], today))
    if chosen.get("region"):
        queryset = queryset.filter(local_authority__region=chosen["region"])
    if chosen.get("authority"):
        queryset = queryset.filter(local_authority_id=int(chosen["authority"]))
    return queryset


def _appointments(params: dict):
    """The current appointments the filters choose, on the day the export was asked for."""
    today = date.fromisoformat(params["today"])
    return apply_filters(DassAppointment.objects.filter(compliance.current_filter(today)), params, today), today


def _count(params: dict) -> int:
    appointments, _ = _appointments(params)
    return appointments.count()


def _rows(params: dict):
    appointments, today = _appointments(params)
    labels = dict(ComplianceStatus.choices)
    return (
        [
            a.leader.full_name,
            a.leader.email,
            a.local_authority.name,
            a.local_authority.get_region_display(),
            a.appointed_on,
            a.get_kind_display(),
            a.deadline,
            labels[a.status],
        ]
        for a in appointments.annotate(status=compliance.status_expression(today))
        .select_related("leader", "local_authority")
        .order_by("deadline", "pk")
        .iterator(chunk_size=2000)
    )


DASS_COMPLIANCE = export_kind(
    ExportKind(
        code="leaders.dass_compliance",
        label="DASS compliance",
        permission="leaders.manage",
        filename="dass-compliance",
        header=HEADER,
        count=_count,
        rows=_rows,
        list_url="leaders:dashboard",
        queue_email=queue_email,
        audit=audit.record,
    )
)


@sweep("exports-expire-leaders", crontab(hour=3, minute=15))
def expire_dass_exports(now=None) -> int:
    """Deletes the files of DASS compliance exports past their expiry."""
    return expire([DASS_COMPLIANCE], now)
