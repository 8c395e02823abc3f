"""The reminder kinds and sweeps each app declares, in its own reminders.py:

    NOMINATION_CLOSE = reminder_kind("nomination_close", "Nomination closing")

    @sweep("reminders-nomination-close", crontab(minute=5))
    def sweep_nomination_close(now=None) -> int:
        ...
        return send_once(NOMINATION_CLOSE, due)

notifications imports every installed app's reminders module when Django
starts (NotificationsConfig.ready, as the admin finds admin.py), so in any
process the ledger labels each kind, notifications.tasks.run_sweep runs a
sweep by its name, and notifications.tasks.beat_schedule puts every sweep on
Celery beat. Sweeps mostly run hourly, each at its own minute: each sends only
what is due and not yet in the ledger, so running often costs nothing extra
and a missed run catches up at the next one.

Adding a kind touches one app: its reminders.py and its email
templates (templates/email/reminder_<code>_{subject.txt,body.txt,body.html}).

A kind's code is what the ledger stores: never change or reuse one. The
ledger keeps no list of codes (no choices, no migration per kind); a code no
longer declared still shows, as itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

# Reminder.kind's max_length.
CODE_LENGTH = 30


@dataclass(frozen=True)
class ReminderKind:
    code: str  # stored in the ledger
    label: str  # shown on the ledger and to the recipient
    template: str  # the email: templates/email/<template>_subject.txt, _body.txt, _body.html


@dataclass(frozen=True)
class Sweep:
    name: str  # the beat entry's name, and run_sweep's argument
    run: Callable[[], int]
    schedule: object  # a celery.schedules.crontab (or schedule)


KINDS: dict[str, ReminderKind] = {}
SWEEPS: dict[str, Sweep] = {}


def reminder_kind(code: str, label: str, *, template: str = "") -> ReminderKind:
    """Declares a kind; its email templates are reminder_<code>_* unless named."""
    if not code or len(code) > CODE_LENGTH:
        raise ImproperlyConfigured(f"A reminder kind's code has 1 to {CODE_LENGTH} characters: {code!r}")
    return _register(KINDS, code, ReminderKind(code, label, template or f"reminder_{code}"))


def sweep(name: str, schedule):
    """Declares the decorated function a sweep, run by Celery beat on `schedule`."""

    def register(function):
        _register(SWEEPS, name, Sweep(name, function, schedule))
        return function

    return register


def _register(registry: dict, key: str, value):
    if registry.get(key, value) != value:
        raise ImproperlyConfigured(f"{key!r} is declared twice: {registry[key]} and {value}")
    registry[key] = value
    return value


def discover() -> None:
    """Imports each installed app's reminders module: its declarations register."""
    autodiscover_modules("reminders")


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return kind.label if kind else code


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.label) for kind in KINDS.values()]
