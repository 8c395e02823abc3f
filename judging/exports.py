"""The press pack as a background export kind (core.export_jobs): a worker
builds the ZIP into private storage (judging.press_pack). Found when Django
starts (core.apps), like reminders.py."""

from celery.schedules import crontab

from accounts import audit
from core.export_jobs import ExportKind, expire, export_kind
from notifications.mail import queue_email
from notifications.registry import sweep

from . import press_pack


def _downloaded(user, job) -> None:
    from .domain import record_press_pack_download

    record_press_pack_download(user, press_pack.current_cycle(job.parameters))


PRESS_PACK = export_kind(
    ExportKind(
        code="judging.press_pack",
        label="press pack",
        permission="judging.press_pack",
        filename="press-pack",
        unit="award",
        list_url="judging:press",
        queue_email=queue_email,
        audit=audit.record,
        build=press_pack.build,
        withheld=press_pack.withheld,
        downloaded=_downloaded,
    )
)


@sweep("exports-expire-judging", crontab(hour=3, minute=20))
def expire_press_packs(now=None) -> int:
    """Deletes the files of press packs past their expiry."""
    return expire([PRESS_PACK], now)
