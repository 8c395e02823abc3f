"""The one way to build a cycle, for demo data (awards.demo), scale data
(devtools.scale) and tests (tests.factories.make_cycle): its dates follow from
when nominations close. Administrators' own changes go through
awards.domain.save_cycle and copy_cycle."""

from datetime import timedelta

from .models import Cycle

# How long after nominations close each later step of the cycle comes.
STANDARD_TIMELINE = {
    "scoring_deadline": timedelta(days=30),
    "shortlist_published": timedelta(days=40),
    "site_visits_start": timedelta(days=50),
    "site_visits_end": timedelta(days=60),
    "final_panel": timedelta(days=70),
    "winners_announced": timedelta(days=80),
}


def build_cycle(programme, *, opens, closes, year=None, after_close=None, **fields) -> Cycle:
    """A cycle of `programme` open for nominations from `opens` to `closes`,
    each later date `after_close` (STANDARD_TIMELINE by default) after
    `closes`; `fields` set anything else, a date included."""
    timeline = {**STANDARD_TIMELINE, **(after_close or {})}
    dates = {name: closes + delay for name, delay in timeline.items()}
    return Cycle.objects.create(
        programme=programme,
        year=year or closes.year,
        nominations_open=opens,
        nominations_close=closes,
        **{**dates, **fields},
    )
