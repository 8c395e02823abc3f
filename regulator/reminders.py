"""The daily re-check of eligible entries against the latest directory
(notifications.registry runs it on Celery beat), and the email it sends each
awards administrator about each change, once (notifications' ledger)."""

from celery.schedules import crontab

from notifications.reminders import reminder_kind, sweep

REGULATOR_CHANGE = reminder_kind("regulator_change", "Regulator change to an entry")


@sweep("regulator-recheck-entries", crontab(hour=6, minute=20))
def sweep_regulator_recheck(now=None) -> int:
    from .domain import recheck_entries

    return recheck_entries(now=now)
