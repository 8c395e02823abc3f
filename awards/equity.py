"""The equity report of a cycle: who entered and how far they went, beside
the mix of registered providers.

Stages (each counts nominations in their current state; a withdrawn entry
counts nowhere):
entries (submitted, not withdrawn) ⊇ eligible (found eligible, whatever
happened next) ⊇ shortlisted ⊇ finalists ⊇ winners.

Dimensions, and the registered providers each is compared with:

- sector and region: of the organisation that entered, against the care
  provider organisations registered on this platform. The regulator's
  directory does not say which sector (public, private, voluntary,
  community) a provider belongs to in these terms, and the platform's
  organisations are the ones that could have entered;
- regulator rating band: of the nominated service, against the registered
  locations of the latest imported regulator directory (ratings belong to
  locations, and only the directory has them all). An entry's rating is the
  one the regulator re-check last saw (regulator's NominationRegulatorMatch);
  an entry it has not seen yet is looked up by its registration number in
  the latest directory; a number the directory does not list is "not
  matched";
- organisation size: the number of registered locations its provider runs
  in that directory (the provider named for the matched location), banded
  one / 2 to 9 / 10 or more, against the directory's providers banded the
  same way. The platform records no size of its own, and locations run is
  how the regulator itself tells small providers from large ones.

The regulator app is optional here: only its models are imported, and
without it every entry is "not matched" and the directory mix is empty.

Published with the results (`public_report`), the report keeps only
aggregate counts and applies small-number suppression (see `suppress`).
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from accounts.enums import Region, Sector
from accounts.models import Organisation

from .disclosure import Audience, Fact, Phase, allows
from .enums import NominationState
from .models import Nomination

try:  # the regulator app may be absent: the report then says "not matched"
    from regulator.enums import ImportState, RegistrationStatus
    from regulator.models import DirectoryImport, Location, NominationRegulatorMatch
except ImportError:  # pragma: no cover - the project installs it
    DirectoryImport = Location = NominationRegulatorMatch = ImportState = RegistrationStatus = None

S = NominationState
STAGES = [
    ("entries", "Entries", set(S.entered())),
    ("eligible", "Eligible", {S.ELIGIBLE, S.SHORTLISTED, S.NOT_SHORTLISTED, S.FINALIST, *S.results()}),
    ("shortlisted", "Shortlisted", {S.SHORTLISTED, S.FINALIST, *S.results()}),
    ("finalists", "Finalists", {S.FINALIST, *S.results()}),
    ("winners", "Winners", {S.WINNER}),
]
STAGE_KEYS = [key for key, _, _ in STAGES]
STAGE_LABELS = {key: label for key, label, _ in STAGES}

NOT_MATCHED = ("not_matched", "Not matched in the regulator's directory")
# The regulator's four ratings (regulator.enums.Rating's values), each its own band.
RATED = [
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("requires_improvement", "Requires improvement"),
    ("inadequate", "Inadequate"),
]
RATING_BANDS = [*RATED, ("not_rated", "Not rated yet"), NOT_MATCHED]
SIZE_BANDS = [
    ("one", "One location"),
    ("two_to_nine", "2 to 9 locations"),
    ("ten_or_more", "10 or more locations"),
    ("not_known", "Provider not named in the directory"),
    NOT_MATCHED,
]

PLATFORM = "Care provider organisations registered on this platform"
DIRECTORY = "Registered locations in the latest regulator directory"
DIRECTORY_PROVIDERS = "Providers in the latest regulator directory, by locations run"

# Small-number suppression: any count below this is published as FEWER.
THRESHOLD = 5
FEWER = "fewer than 5"


def rating_band(rating: str) -> str:
    """A rating as its band: the four ratings, else (not rated, none published) "not rated yet"."""
    return rating if rating in dict(RATED) else "not_rated"


def size_band(locations: int) -> str:
    """Registered locations a provider runs, banded: one, 2 to 9, 10 or more."""
    if locations <= 0:
        return "not_known"
    if locations == 1:
        return "one"
    return "two_to_nine" if locations < 10 else "ten_or_more"


@dataclass
class Cell:
    count: int
    share: float  # percent of the column's total; 0 when the total is 0
    shown: str = ""  # the public text: the count, or FEWER

    @property
    def suppressed(self) -> bool:
        return self.shown == FEWER


@dataclass
class Row:
    key: str
    label: str
    baseline: int | None  # None: this group has no place in the baseline ("not matched")
    baseline_share: float | None
    cells: dict[str, Cell]  # by stage key
    baseline_shown: str = ""  # the public text of `baseline`

    @property
    def baseline_suppressed(self) -> bool:
        return self.baseline_shown == FEWER

    @property
    def stage_cells(self) -> list[Cell]:
        return [self.cells[key] for key in STAGE_KEYS]


@dataclass
class Dimension:
    key: str
    label: str
    baseline_label: str
    rows: list[Row]
    totals: dict[str, int]
    baseline_total: int
    public_totals: dict[str, str] = field(default_factory=dict)

    @property
    def stage_totals(self) -> list[int]:
        return [self.totals[key] for key in STAGE_KEYS]

    @property
    def public_stage_totals(self) -> list[str]:
        return [self.public_totals.get(key, "") for key in STAGE_KEYS]


@dataclass
class Report:
    cycle: object
    dimensions: list[Dimension]
    directory_import: object | None
    stages: list[tuple[str, str]] = field(default_factory=lambda: [(k, label) for k, label, _ in STAGES])

    @property
    def total_entries(self) -> int:
        return self.dimensions[0].totals["entries"] if self.dimensions else 0


def _share(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def _dimension(key, label, baseline_label, bands, entries, baseline, outside=frozenset()) -> Dimension:
    """entries: [(band, state)]; baseline: Counter of band -> providers;
    outside: bands with no place in the baseline (shown without one)."""
    counts = {stage: Counter() for stage in STAGE_KEYS}
    for band, state in entries:
        for stage, _, states in STAGES:
            if state in states:
                counts[stage][band] += 1
    totals = {stage: sum(counts[stage].values()) for stage in STAGE_KEYS}
    baseline_total = sum(baseline.values())
    rows = []
    for band, band_label in bands:
        in_baseline = band not in outside
        providers = baseline.get(band, 0) if in_baseline else None
        rows.append(
            Row(
                key=band,
                label=band_label,
                baseline=providers,
                baseline_share=_share(providers, baseline_total) if in_baseline else None,
                cells={
                    stage: Cell(counts[stage][band], _share(counts[stage][band], totals[stage])) for stage in STAGE_KEYS
                },
            )
        )
    return Dimension(key, label, baseline_label, rows, totals, baseline_total)


def _latest_import():
    if DirectoryImport is None:
        return None
    return DirectoryImport.objects.filter(state=ImportState.DONE).order_by("-finished_at", "-pk").first()


def _normalise(number: str) -> str:
    return "".join((number or "").split()).upper()


def _regulator_facts(entries, directory_import):
    """For each entry's pk: (rating band, size band), in a fixed number of queries."""
    if Location is None:
        return {}
    matches = {
        nomination_id: (location_id, rating)
        for nomination_id, location_id, rating in NominationRegulatorMatch.objects.filter(
            nomination_id__in=[pk for pk, *_ in entries], location__isnull=False
        ).values_list("nomination_id", "location_id", "rating_seen")
    }
    numbers = {_normalise(number) for pk, _, _, _, number in entries if pk not in matches} - {""}
    wanted = Q(pk__in=[location_id for location_id, _ in matches.values()])
    if directory_import is not None and numbers:
        wanted |= Q(directory_import=directory_import, location_id__in=numbers)
    locations = list(
        Location.objects.filter(wanted).values_list(
            "pk", "location_id", "directory_import_id", "provider_name", "overall_rating"
        )
    )
    by_pk = {row[0]: row for row in locations}
    by_number = {row[1]: row for row in locations if directory_import and row[2] == directory_import.pk}
    providers = {(row[2], row[3]) for row in locations if row[3]}
    runs = {}
    if providers:
        runs = {
            (import_id, name): n
            for import_id, name, n in Location.objects.filter(
                directory_import_id__in={i for i, _ in providers},
                provider_name__in={name for _, name in providers},
                registration_status=RegistrationStatus.REGISTERED,
            )
            .values_list("directory_import_id", "provider_name")
            .annotate(n=Count("pk"))
            .order_by()
        }
    facts = {}
    for pk, _, _, _, number in entries:
        if pk in matches:
            location_id, rating = matches[pk]
            location = by_pk.get(location_id)
        else:
            location = by_number.get(_normalise(number))
            rating = location[4] if location else ""
        if location is None:
            facts[pk] = (NOT_MATCHED[0], NOT_MATCHED[0])
            continue
        size = size_band(runs.get((location[2], location[3]), 0)) if location[3] else "not_known"
        facts[pk] = (rating_band(rating), size)
    return facts


def _directory_mix(directory_import):
    """Registered locations by rating band; providers by the locations they run."""
    if directory_import is None:
        return Counter(), Counter()
    registered = Location.objects.filter(
        directory_import=directory_import, registration_status=RegistrationStatus.REGISTERED
    )
    ratings = Counter()
    for rating, n in registered.values_list("overall_rating").annotate(n=Count("pk")).order_by():
        ratings[rating_band(rating)] += n
    sizes = Counter(
        size_band(n)
        for n in registered.exclude(provider_name="")
        .values_list("provider_name")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
        .order_by()
    )
    return ratings, sizes


def build_report(cycle) -> Report:
    """The cycle's report, every count exact (for administrators)."""
    entries = list(
        Nomination.objects.filter(cycle=cycle, state__in=S.entered())
        .order_by()
        .values_list("pk", "state", "organisation__sector", "organisation__region", "service_regulator_number")
    )
    directory_import = _latest_import()
    facts = _regulator_facts(entries, directory_import)
    sectors, regions = Counter(), Counter()
    for sector, region, n in (
        Organisation.objects.filter(is_care_provider=True)
        .values_list("sector", "region")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        sectors[sector] += n
        regions[region] += n
    ratings, sizes = _directory_mix(directory_import)
    unmatched = (NOT_MATCHED[0], NOT_MATCHED[0])
    dimensions = [
        _dimension("sector", "Sector", PLATFORM, Sector.choices, [(e[2], e[1]) for e in entries], sectors),
        _dimension("region", "Region", PLATFORM, Region.choices, [(e[3], e[1]) for e in entries], regions),
        _dimension(
            "size",
            "Organisation size",
            DIRECTORY_PROVIDERS,
            SIZE_BANDS,
            [(facts.get(e[0], unmatched)[1], e[1]) for e in entries],
            sizes,
            outside={"not_known", NOT_MATCHED[0]},
        ),
        _dimension(
            "rating",
            "Regulator rating band",
            DIRECTORY,
            RATING_BANDS,
            [(facts.get(e[0], unmatched)[0], e[1]) for e in entries],
            ratings,
            outside={NOT_MATCHED[0]},
        ),
    ]
    return Report(cycle=cycle, dimensions=dimensions, directory_import=directory_import)


# Publication -----------------------------------------------------------------------


def cycle_phase(cycle, now=None) -> str:
    """The phase of the cycle's results as a whole: announced once the
    results are public, under embargo once approved, otherwise still being decided."""
    if cycle.results_approved_at is None:
        return Phase.DECIDED
    return Phase.ANNOUNCED if cycle.results_public(now or timezone.now()) else Phase.EMBARGOED


def may_publish(cycle, now=None) -> bool:
    """The public sees the report when the disclosure policy lets it see the
    cycle's awards: at the announcement instant, not a second before, and
    never while results are withdrawn for correction. Its counts are
    aggregates, suppressed below THRESHOLD, so they disclose no fact of any
    one nomination."""
    return allows(Audience.PUBLIC, Fact.AWARD, cycle_phase(cycle, now))


def suppress(counts: list[int]) -> list[str]:
    """Small-number suppression of one column of counts (one stage, one
    dimension), so no entrant can be identified from what is published:

    1. every count under 5 (0 to 4) is shown as "fewer than 5";
    2. if that leaves exactly one count hidden, the smallest shown count is
       hidden too (the lowest row on a tie), so the hidden one cannot be
       worked out by subtracting the others from the column's total.

    Shares are never published for a hidden count."""
    shown = [FEWER if count < THRESHOLD else str(count) for count in counts]
    hidden = [i for i, text in enumerate(shown) if text == FEWER]
    visible = [i for i, text in enumerate(shown) if text != FEWER]
    if len(hidden) == 1 and visible:
        smallest = min(visible, key=lambda i: (counts[i], i))
        shown[smallest] = FEWER
    return shown


def public_total(count: int) -> str:
    return FEWER if count < THRESHOLD else str(count)


def public_report(cycle) -> Report:
    """The report as published with the results: the same counts, each
    passed through `suppress`, column by column; the shares of hidden counts
    are removed. Call only when `may_publish(cycle)`."""
    report = build_report(cycle)
    for dimension in report.dimensions:
        for stage in STAGE_KEYS:
            cells = [row.cells[stage] for row in dimension.rows]
            for cell, text in zip(cells, suppress([c.count for c in cells]), strict=True):
                cell.shown = text
                if cell.suppressed:
                    cell.count, cell.share = 0, 0.0
            dimension.public_totals[stage] = public_total(dimension.totals[stage])
        for row in dimension.rows:
            if row.baseline is not None:
                # Registered providers are not entrants, but their small counts are hidden alike.
                row.baseline_shown = public_total(row.baseline)
    return report


# The CSV ---------------------------------------------------------------------------


def csv_header() -> list[str]:
    header = ["Dimension", "Group", "Compared with", "Registered providers", "Share of registered providers (%)"]
    for _, label, _ in STAGES:
        header += [label, f"Share of {label.lower()} (%)"]
    return header


def csv_rows(report: Report):
    def percent(value):
        return "" if value is None else round(value, 1)

    for dimension in report.dimensions:
        for row in dimension.rows:
            line = [
                dimension.label,
                row.label,
                dimension.baseline_label if row.baseline is not None else "",
                "" if row.baseline is None else row.baseline,
                percent(row.baseline_share),
            ]
            for cell in row.stage_cells:
                line += [cell.count, percent(cell.share)]
            yield line
        totals = [dimension.label, "All", dimension.baseline_label, dimension.baseline_total, 100.0]
        for total in dimension.stage_totals:
            totals += [total, 100.0 if total else 0.0]
        yield totals


# The chart -------------------------------------------------------------------------

CHART_WIDTH = 720
BAR_X = 1  # each group's label is on its own line above its bars
VALUE_WIDTH = 160
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 14


BASELINE_COLOUR = "#505a5f"
STAGE_COLOUR = "#1d70b8"


@dataclass
class Bar:
    y: int
    length: float  # in the chart's units
    text: str
    colour: str  # BASELINE_COLOUR or STAGE_COLOUR, as in the legend

    @property
    def width(self) -> str:
        return f"{self.length:.1f}"

    @property
    def text_x(self) -> str:
        return f"{BAR_X + self.length + 4:.1f}"


@dataclass
class ChartGroup:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass
class Chart:
    """A horizontal bar chart of one dimension: for each group, its share of
    registered providers beside its share of one stage's entries (SVG drawn
    by templates/awards/equity_chart.html, no script). The table beside it
    carries the same figures for people who cannot see the chart."""

    key: str
    title: str
    stage_label: str
    baseline_label: str
    groups: list[ChartGroup]
    height: int
    scale_max: int
    width: int = CHART_WIDTH
    bar_x: int = BAR_X
    baseline_colour: str = BASELINE_COLOUR
    stage_colour: str = STAGE_COLOUR


def chart(dimension: Dimension, stage: str, *, public: bool = False) -> Chart:
    """The chart of `dimension` comparing providers with `stage`. In public,
    a hidden count draws no bar and reads "fewer than 5"."""
    area = CHART_WIDTH - BAR_X - VALUE_WIDTH
    shares = [row.baseline_share or 0 for row in dimension.rows]
    shares += [row.cells[stage].share for row in dimension.rows]
    scale_max = min(100, max(10, 10 * math.ceil(max(shares, default=0) / 10)))
    groups, y = [], GROUP_GAP
    for row in dimension.rows:
        bars, bar_y = [], y + 18
        if row.baseline is not None:
            hidden = public and row.baseline_suppressed
            share = 0.0 if hidden else row.baseline_share
            text = FEWER if hidden else f"{share:.0f}% of providers"
            bars.append(Bar(bar_y, area * share / scale_max, text, BASELINE_COLOUR))
            bar_y += BAR_HEIGHT + BAR_GAP
        cell = row.cells[stage]
        hidden = public and cell.suppressed
        text = FEWER if hidden else f"{cell.share:.0f}% ({cell.count})"
        bars.append(Bar(bar_y, 0.0 if hidden else area * cell.share / scale_max, text, STAGE_COLOUR))
        bar_y += BAR_HEIGHT + BAR_GAP
        groups.append(ChartGroup(row.label, y + 12, bars))
        y = bar_y + GROUP_GAP
    return Chart(
        key=dimension.key,
        title=f"{dimension.label}: share of {STAGE_LABELS[stage].lower()} and of registered providers",
        stage_label=STAGE_LABELS[stage],
        baseline_label=dimension.baseline_label,
        groups=groups,
        height=y,
        scale_max=scale_max,
    )
