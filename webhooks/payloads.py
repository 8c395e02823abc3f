"""What each event says: only what its audience may see.

- accreditation.status_changed: public facts, as the register shows them
  (number, standing, dates, the course and its provider). No reasons.
- completion.verified: for the provider organisation of the course
  completed (and the academy team): the completion, the course and the
  leader's name, which the provider saw when the completion came to it.
- results.announced: what the public winners page shows, through the
  disclosure policy (judging.views.public.results_for with the public
  audience, which asks awards.disclosure.allows()).

Imports are made inside the functions: the domain modules that emit events
import this app, not the other way round."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .enums import EventType


def _link(name, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def accreditation_status_changed(accreditation, now) -> dict:
    from accreditation.enums import Standing

    standing = accreditation.standing_on(timezone.localdate(now))
    change = accreditation.events.order_by("-at", "-pk").first()
    course = accreditation.course
    return {
        "accreditation": {
            "number": accreditation.number,
            "status": standing,
            "status_label": Standing(standing).label,
            "valid_from": accreditation.valid_from.isoformat(),
            "valid_to": accreditation.valid_to.isoformat(),
        },
        "change": {
            "kind": change.kind,
            "label": change.get_kind_display(),
            "effective_on": change.effective_on.isoformat(),
        }
        if change
        else None,
        "course": {
            "id": course.pk,
            "title": course.title,
            "provider": course.provider.name,
            "url": _link("courses:detail", course.pk),
        },
    }


def completion_verified(completion, now) -> dict:
    course = completion.course
    return {
        "completion": {
            "id": completion.pk,
            "completed_on": completion.completed_on.isoformat(),
            "verified_at": (completion.decided_at or now).isoformat(),
        },
        "course": {"id": course.pk, "title": course.title} if course else {"id": None, "title": completion.title},
        "leader": {"name": completion.leader.get_full_name()},
    }


def results_announced(cycle, now) -> dict:
    from awards.disclosure import Audience
    from judging.views.public import results_for

    by_category = results_for(cycle, Audience.PUBLIC, now)
    return {
        "cycle": {
            "id": cycle.pk,
            "year": cycle.year,
            "programme": cycle.programme.name,
            "announced_at": cycle.winners_announced.isoformat(),
            "url": _link("winners:cycle", cycle.pk),
        },
        "categories": [
            {
                "name": category.name,
                "awards": [
                    {
                        "award": item.award,
                        "award_label": item.award_label,
                        "reference": item.reference,
                        "heading": item.heading,
                        "service": item.service,
                        "organisation": item.organisation,
                        "citation": item.citation,
                    }
                    for item in items
                ],
            }
            for category, items in by_category.items()
        ],
    }


BUILDERS = {
    EventType.ACCREDITATION_STATUS_CHANGED: accreditation_status_changed,
    EventType.COMPLETION_VERIFIED: completion_verified,
    EventType.RESULTS_ANNOUNCED: results_announced,
}


def build(event_type: str, subject, now) -> dict:
    return BUILDERS[EventType(event_type)](subject, now)
