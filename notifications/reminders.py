"""Sending each reminder exactly once.

Each app declares its reminder kinds and sweeps in its own reminders.py with
`reminder_kind` and `sweep` (see notifications.registry); Celery beat runs
each sweep on the schedule it declares. A sweep works out which reminders are
due and calls `send_once` for each. `send_once` inserts the ledger row and the
outbox email in one transaction; the ledger's unique constraint on (kind,
object, recipient, milestone) makes a second insert fail, so the same
reminder is never queued twice, whoever runs the sweep and however often.
Sending then goes through the outbox, which claims each email atomically and
retries one left by a dead worker.

Milestones and catch-up: a milestone "N days (or months) before" is due from
that calendar date (Europe/London) until the next milestone's date or the
deadline, but at most CATCH_UP days late. A sweep that missed a day or two
still sends it; one that was off for longer skips to the next milestone
rather than sending a stale reminder.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db import connection, transaction

from .mail import outbox_email, queue_outbox, queue_rendered_email, render_email
from .models import Reminder
from .registry import ReminderKind, reminder_kind, sweep

__all__ = [
    "CATCH_UP_DAYS",
    "CATCH_UP_DAYS_MONTHLY",
    "Due",
    "Milestone",
    "ReminderKind",
    "already_sent",
    "day_milestones",
    "due_milestone",
    "month_milestones",
    "months_before",
    "reminder_kind",
    "send_digest_once",
    "send_once",
    "sweep",
]

CATCH_UP_DAYS = 3
CATCH_UP_DAYS_MONTHLY = 14


@dataclass(frozen=True)
class Milestone:
    label: str
    on: date


def months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def due_milestone(deadline: date, milestones: list[Milestone], today: date, catch_up: int) -> Milestone | None:
    """The milestone to send today, if any: the latest one reached, while it
    is still within its catch-up window and before the deadline."""
    reached = [m for m in sorted(milestones, key=lambda m: m.on) if m.on <= today]
    if not reached or today > deadline:
        return None
    latest = reached[-1]
    return latest if (today - latest.on).days <= catch_up else None


def day_milestones(deadline: date, days: list[int]) -> list[Milestone]:
    return [Milestone(f"{n}d", deadline - timedelta(days=n)) for n in days]


def month_milestones(deadline: date, months: list[int]) -> list[Milestone]:
    return [Milestone(f"{n}m", months_before(deadline, n)) for n in months]


def already_sent(kind: ReminderKind, object_ids, milestones=None) -> set[tuple[int, str, str]]:
    """(object, recipient email, milestone) already in the ledger: one query."""
    rows = Reminder.objects.filter(kind=kind.code, object_id__in=list(object_ids))
    if milestones is not None:
        rows = rows.filter(milestone__in=list(milestones))
    return set(rows.values_list("object_id", "recipient_email", "milestone"))


@dataclass(frozen=True)
class Due:
    """A reminder a sweep found due: who gets it, about what, at which milestone."""

    object_id: int
    recipient_email: str
    milestone: str
    context: dict
    recipient: object = None
    attachments: list | None = None


# Reminders queued per transaction: bounds the transaction and the emails held in memory.
SEND_BATCH = 500


def send_once(kind: ReminderKind, due: list[Due]) -> int:
    """Queue each due reminder unless the ledger already has it; returns how
    many were queued now.

    For each batch, in one transaction: claim the ledger rows (_claim), render
    the emails of the rows claimed (only theirs), write them to the outbox
    and link each row to its email (_link: one UPDATE, not Django's
    bulk_update, whose CASE of 500 branches cost more than rendering). A few
    queries a batch instead of five a reminder: the first scoring-deadline
    sweep at scale queues 4,270 of them.
    """
    unique = list({(d.object_id, d.recipient_email, d.milestone): d for d in due}.values())
    sent = 0
    for start in range(0, len(unique), SEND_BATCH):
        sent += _send_batch(kind, unique[start : start + SEND_BATCH])
    return sent


def _send_batch(kind: ReminderKind, batch: list[Due]) -> int:
    by_key = {(d.object_id, d.recipient_email, d.milestone): d for d in batch}
    with transaction.atomic():
        fresh = _claim(kind.code, [(d.object_id, d.recipient_email, d.recipient, d.milestone) for d in batch])
        emails = []
        for row in fresh:
            due = by_key[(row.object_id, row.recipient_email, row.milestone)]
            subject, text, html = render_email(
                kind.template, {"person": due.recipient, "milestone": due.milestone, **due.context}
            )
            emails.append(
                outbox_email(
                    to=row.recipient_email,
                    recipient=due.recipient,
                    template=kind.template,
                    subject=subject,
                    text_body=text,
                    html_body=html,
                    attachments=due.attachments,
                )
            )
        queue_outbox(emails)
        _link(fresh, emails)
    return len(fresh)


def send_digest_once(*, kind: ReminderKind, recipient, items: list[tuple[int, str]], context) -> int:
    """One email listing the items not reported to this recipient before;
    each item gets its own ledger row (claimed as in _claim). Returns how many
    items the email carries (0: nothing new, no email)."""
    with transaction.atomic():
        fresh = _claim(
            kind.code, [(object_id, recipient.email, recipient, milestone) for object_id, milestone in items]
        )
        if not fresh:
            return 0
        new_ids = {row.object_id for row in fresh}
        subject, text, html = render_email(kind.template, {"person": recipient, "new_ids": new_ids, **context})
        email = queue_rendered_email(
            to=recipient.email,
            recipient=recipient,
            template=kind.template,
            subject=subject,
            text_body=text,
            html_body=html,
        )
        _link(fresh, [email] * len(fresh))
    return len(fresh)


class Claimed(NamedTuple):
    """A ledger row _claim returned: its key, not yet linked to an email."""

    pk: int
    object_id: int
    recipient_email: str
    milestone: str


def _claim(kind: str, rows: list[tuple]) -> list[Claimed]:
    """Inserts ledger rows (object id, recipient email, recipient, milestone),
    skipping keys already present, and returns those that have no email yet:
    the ones this transaction inserted. A sweep running at the same moment
    waits on the unique index until this one commits, then finds the rows
    already linked to this sweep's emails, so it sends nothing. Runs inside
    the caller's transaction, which links each row returned to its email
    (_link)."""
    Reminder.objects.bulk_create(
        [
            Reminder(kind=kind, object_id=object_id, recipient_email=email, recipient=recipient, milestone=milestone)
            for object_id, email, recipient, milestone in rows
        ],
        ignore_conflicts=True,
    )
    keys = {(object_id, email, milestone) for object_id, email, _, milestone in rows}
    # Plain tuples rather than model instances: a batch claims hundreds.
    unlinked = (
        Reminder.objects.select_for_update()
        .filter(kind=kind, email__isnull=True, object_id__in={object_id for object_id, *_ in rows})
        .values_list("pk", "object_id", "recipient_email", "milestone")
    )
    return [Claimed(*row) for row in unlinked if (row[1], row[2], row[3]) in keys]


def _link(claimed: list[Claimed], emails: list) -> None:
    """Links each claimed ledger row to its email (the same position in
    `emails`) in one UPDATE, inside the transaction that claimed them."""
    if not claimed:
        return
    if connection.vendor != "postgresql":
        Reminder.objects.bulk_update(
            [Reminder(pk=row.pk, email=email) for row, email in zip(claimed, emails, strict=True)], ["email"]
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE notifications_reminder AS ledger SET email_id = linked.email_id"
            " FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::bigint[]) AS email_id) AS linked"
            " WHERE ledger.id = linked.id",
            [[row.pk for row in claimed], [email.pk for email in emails]],
        )
