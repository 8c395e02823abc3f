"""The Celery app: tasks are discovered in each app's tasks.py, and so is the
beat schedule: an app's tasks module may define beat_schedule(), returning
its periodic jobs in the shape of CELERY_BEAT_SCHEDULE (notifications' adds
every reminder sweep the apps declare). Like the tasks, schedules are found
by module name once Django's apps are ready: config imports no app."""

import os
from importlib import import_module

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict:
    """The project-wide jobs in settings, and those each installed app declares."""
    from django.apps import apps
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.module_loading import module_has_submodule

    schedule = dict(settings.CELERY_BEAT_SCHEDULE)
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "tasks"):
            continue
        declared = getattr(import_module(f"{config.name}.tasks"), "beat_schedule", None)
        for name, entry in (declared() if declared else {}).items():
            if name in schedule:
                raise ImproperlyConfigured(f"Two periodic jobs are named {name!r}")
            schedule[name] = entry
    return schedule


@signals.import_modules.connect(sender=app)
def assemble_beat_schedule(**kwargs):
    """Worker and beat send import_modules as they start, before beat reads its
    schedule; Celery's Django fix-up has set Django up by then (its handler
    was connected first)."""
    app.conf.beat_schedule = beat_schedule()
