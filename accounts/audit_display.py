"""The audit log in words: who (by name), what changed ("State: draft →
active"), with ids resolved to the names of the records they point to.

An audit record's `before` and `after` are whatever the domain function wrote
(accounts.audit.record): ids, email addresses, ISO times, nested scores. These
functions turn a page of records into lines a person can read, with one query
per kind of record referred to on the page (never one per row)."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.formats import uk_datetime

from .models import User

# Keys whose value is the id of a record, and the model it is an id of (by
# label, so that accounts imports no app above it).
REFERENCES = {
    "cycle": "awards.cycle",
    "from_cycle": "awards.cycle",
    "nomination": "awards.nomination",
    "condition": "accreditation.condition",
    "user_id": "accounts.user",
}
# Keys whose value is a mapping keyed by ids: {"23": 8} is criterion 23 scored 8.
KEYED_BY_ID = {"scores": "awards.criterion"}
# Keys whose value is one email address, or a list of them, of people.
PEOPLE = {"judge", "judges", "chair", "user", "email", "to"}

LABELS = {
    "acting_for_conflicted_chair": "Acting for a conflicted chair",
    "extended_close": "Extended closing time",
    "from_cycle": "Copied from",
    "public_from": "Public from",
    "starts_at": "Starts",
    "submitted_at": "Submitted",
    "user_id": "Account",
    "was_announced": "Already announced",
    "entrants_told": "Entrants told",
    "no_award": "No award",
    "retention_years": "Years kept",
}
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass
class Change:
    label: str
    before: str = ""
    after: str = ""


@dataclass
class Entry:
    """One audit record as the log shows it."""

    event: object
    who: str
    what: str
    record: str
    record_kind: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def label_for(key: str) -> str:
    return LABELS.get(key) or key.replace("_", " ").capitalize()


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def person_name(user) -> str:
    if user is None:
        return "System"
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


class Names:
    """The names of the records and people a page of audit records refers to,
    fetched together: one query per kind of record."""

    def __init__(self, events):
        wanted = defaultdict(set)
        emails = set()
        for event in events:
            for data in (event.before, event.after):
                if not isinstance(data, dict):
                    continue
                for key, value in data.items():
                    if key in REFERENCES and isinstance(value, (int, str)) and str(value).isdigit():
                        wanted[REFERENCES[key]].add(int(value))
                    elif key in KEYED_BY_ID and isinstance(value, dict):
                        wanted[KEYED_BY_ID[key]].update(int(k) for k in value if str(k).isdigit())
                    elif key in PEOPLE:
                        emails.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
        self.records = {}
        for label, ids in wanted.items():
            model = apps.get_model(label)
            self.records[label] = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=ids)}
        self.people = {}
        if emails:
            self.people = {
                email.lower(): name
                for email, name in User.objects.filter(email__in=[e.lower() for e in emails]).values_list(
                    "email", "full_name"
                )
                if name
            }

    def record(self, label: str, pk) -> str:
        name = self.records.get(label, {}).get(int(pk))
        return name if name else f"a deleted record ({pk})"

    def person(self, email: str) -> str:
        name = self.people.get(email.lower())
        return f"{name} ({email})" if name else email


def words(key: str, value, names: Names) -> str:
    """One value of an audit record in words."""
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in REFERENCES and str(value).isdigit():
        return names.record(REFERENCES[key], value)
    if key in KEYED_BY_ID and isinstance(value, dict):
        return "; ".join(
            f"{names.record(KEYED_BY_ID[key], k) if str(k).isdigit() else k}: {words('', v, names)}"
            for k, v in value.items()
            if not is_empty(v)
        )
    if key in PEOPLE and isinstance(value, str) and is_email(value):
        return names.person(value)
    if isinstance(value, list):
        return ", ".join(w for w in (words(key, v, names) for v in value) if w)
    if isinstance(value, dict):
        return "; ".join(f"{label_for(str(k))}: {words(str(k), v, names)}" for k, v in value.items() if not is_empty(v))
    if isinstance(value, str) and ISO_TIME.match(value):
        try:
            return uk_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and key in ("state", "role", "stage", "award", "kind", "change"):
        return value.replace("_", " ")
    return str(value)


def is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def changes(before, after, names: Names) -> list[Change]:
    """Each key of `before` and `after` as "Label: before → after", leaving out
    empty parts and keys empty on both sides."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    lines = []
    for key in [*before, *(k for k in after if k not in before)]:
        line = Change(label_for(key), words(key, before.get(key), names), words(key, after.get(key), names))
        if line.before or line.after:
            lines.append(line)
    return lines


def what(event) -> str:
    """'Role granted' for role.granted; the record's own words where it has them."""
    if event.action in event.DESCRIPTIONS:
        return event.DESCRIPTIONS[event.action]
    return event.action.replace(".", " ").replace("_", " ").capitalize()


def record_kind(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type.rsplit(".", 1)[-1]


def entries(events) -> list[Entry]:
    """A page of audit records (with `actor` selected) in words."""
    events = list(events)
    names = Names(events)
    return [
        Entry(
            event=event,
            who=person_name(event.actor),
            what=what(event),
            record=event.object_repr,
            record_kind=record_kind(event.object_type),
            changes=changes(event.before, event.after, names),
            reason=event.reason,
        )
        for event in events
    ]
