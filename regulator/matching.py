"""Which location a nomination's regulator number names, and what the
category's rating rule says of it. Read-only: nothing here changes a state.

The number is matched against the latest completed directory import; a
nomination without a number, or with one the directory does not list, has
no match. A category without a rule only shows the rating.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from notifications.reminders import months_before

from .enums import ImportState, Outcome, Rating
from .models import CategoryRatingRule, DirectoryImport, Location, Override, RegulatorChange


def normalise(number: str) -> str:
    """A regulator number as the directory writes it: no spaces, upper case."""
    return "".join((number or "").split()).upper()


def latest_import() -> DirectoryImport | None:
    return DirectoryImport.objects.filter(state=ImportState.DONE).order_by("-finished_at", "-pk").first()


def locations_by_number(numbers, directory_import) -> dict[str, Location]:
    wanted = {normalise(n) for n in numbers} - {""}
    if directory_import is None or not wanted:
        return {}
    return {
        location.location_id: location
        for location in Location.objects.filter(directory_import=directory_import, location_id__in=wanted)
    }


def find_location(number: str) -> Location | None:
    """The latest directory's location with this number, if any."""
    return locations_by_number([number], latest_import()).get(normalise(number))


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else "an unknown date"


@dataclass
class Verdict:
    """What an administrator sees of one nomination: the location matched,
    the rule's outcome with its reasons, flags raised and overrides."""

    outcome: str
    reasons: list[str]
    location: Location | None = None
    rule: CategoryRatingRule | None = None
    directory_import: DirectoryImport | None = None
    changes: list = field(default_factory=list)
    overrides: list = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def meets(self) -> bool:
        return self.outcome == Outcome.MEETS

    @property
    def does_not_meet(self) -> bool:
        return self.outcome == Outcome.DOES_NOT_MEET

    @property
    def no_match(self) -> bool:
        return self.outcome == Outcome.NO_MATCH

    @property
    def override(self):
        return self.overrides[0] if self.overrides else None


def evaluate(number: str, location, rule, directory_import, today: date) -> tuple[str, list[str]]:
    """The rule's outcome for a nomination with this number and matched
    location: meets, does not meet (with every reason) or no match."""
    if directory_import is None:
        return Outcome.NO_MATCH, ["No regulator directory has been imported yet"]
    if not normalise(number):
        return Outcome.NO_MATCH, ["The nomination gives no regulator registration number"]
    if location is None:
        return Outcome.NO_MATCH, [
            f"The directory imported on {_day(timezone.localdate(directory_import.finished_at))} lists no location "
            f"{normalise(number)}"
        ]
    if rule is None:
        return Outcome.NO_RULE, ["This category has no rating rule"]
    reasons = []
    minimum = Rating(rule.minimum_rating)
    if not location.is_registered:
        reasons.append("The location is no longer registered with the regulator")
    if location.rating_rank == 0:
        reasons.append(f"The location has no overall rating; the category needs at least {minimum.label}")
    elif location.rating_rank < Rating.rank(minimum):
        rating = Rating(location.overall_rating).label
        reasons.append(f"Rated {rating}; the category needs at least {minimum.label}")
    if rule.max_age_months and location.rating_rank:
        oldest = months_before(today, rule.max_age_months)
        if location.rating_published is None or location.rating_published < oldest:
            reasons.append(
                f"The rating was published on {_day(location.rating_published)}, "
                f"more than {rule.max_age_months} months ago"
            )
    if reasons:
        return Outcome.DOES_NOT_MEET, reasons
    rating = Rating(location.overall_rating).label
    published = _day(location.rating_published)
    age = f", within {rule.max_age_months} months" if rule.max_age_months else ""
    return Outcome.MEETS, [f"Rated {rating} (at least {minimum.label}), published on {published}{age}"]


def verdicts(nominations, *, today=None) -> dict[int, Verdict]:
    """Each nomination's verdict in a fixed number of queries (the list page):
    nominations come with category__rating_rule selected."""
    nominations = list(nominations)
    today = today or timezone.localdate()
    directory_import = latest_import()
    locations = locations_by_number([n.service_regulator_number for n in nominations], directory_import)
    ids = [n.pk for n in nominations]
    changes, overrides = {}, {}
    for change in RegulatorChange.objects.filter(nomination__in=ids):
        changes.setdefault(change.nomination_id, []).append(change)
    for item in Override.objects.filter(nomination__in=ids).select_related("created_by"):
        overrides.setdefault(item.nomination_id, []).append(item)
    found = {}
    for nomination in nominations:
        location = locations.get(normalise(nomination.service_regulator_number))
        rule = getattr(nomination.category, "rating_rule", None)
        outcome, reasons = evaluate(nomination.service_regulator_number, location, rule, directory_import, today)
        found[nomination.pk] = Verdict(
            outcome,
            reasons,
            location=location,
            rule=rule,
            directory_import=directory_import,
            changes=changes.get(nomination.pk, []),
            overrides=overrides.get(nomination.pk, []),
        )
    return found
