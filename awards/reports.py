"""Staff reports: the filtered nomination list, its exports, sector balance."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from accounts.enums import Sector
from accounts.models import Organisation

from .enums import NominationState
from .models import Nomination

EXPORT_COLUMNS = [
    ("Reference", lambda n: n.reference),
    ("Cycle", lambda n: str(n.cycle)),
    ("Category", lambda n: n.category.name),
    ("State", lambda n: n.get_state_display()),
    ("Organisation", lambda n: n.organisation.name),
    ("Sector", lambda n: n.organisation.get_sector_display()),
    ("Region", lambda n: n.organisation.get_region_display()),
    ("Service", lambda n: n.service_name),
    ("Service regulator number", lambda n: n.service_regulator_number),
    ("Submitted at (UK time)", lambda n: _local(n.submitted_at)),
    ("Extended close (UK time)", lambda n: _local(n.extended_close)),
    ("Consent to publish", lambda n: {True: "Yes", False: "No", None: ""}[n.consent_to_publish]),
]


# What the staff list shows of each nomination.
LIST_FIELDS = [
    "reference",
    "service_name",
    "state",
    "cycle__year",
    "category__name",
    "organisation__name",
    "organisation__sector",
    "organisation__region",
]


def _local(instant):
    return timezone.localtime(instant).strftime("%Y-%m-%d %H:%M") if instant else ""


def filtered_nominations(data: dict):
    """Nominations matching the staff list's filters (already validated)."""
    nominations = Nomination.objects.select_related("cycle__programme", "category", "organisation")
    if data.get("cycle"):
        nominations = nominations.filter(cycle=data["cycle"])
    if data.get("category"):
        nominations = nominations.filter(category=data["category"])
    if data.get("sector"):
        nominations = nominations.filter(organisation__sector=data["sector"])
    if data.get("region"):
        nominations = nominations.filter(organisation__region=data["region"])
    if data.get("state"):
        nominations = nominations.filter(state=data["state"])
    if data.get("q"):
        term = data["q"].strip()
        nominations = nominations.filter(
            Q(reference__iexact=term) | Q(service_name__icontains=term) | Q(organisation__name__icontains=term)
        )
    return nominations.order_by("-cycle__year", "category__order", "reference", "pk")


def state_counts(nominations) -> list[tuple[str, str, int]]:
    counts = dict(nominations.order_by().values_list("state").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in NominationState.choices]


def export_rows(nominations):
    """The export's rows (awards.exports), read a chunk at a time."""
    return ([get(n) for _, get in EXPORT_COLUMNS] for n in nominations.iterator(chunk_size=2000))


@dataclass
class SectorRow:
    sector: str
    label: str
    providers: int
    provider_share: float
    entries: int
    entry_share: float
    per_category: list[int]
    under_represented: bool

    @property
    def gap(self) -> float:
        return self.entry_share - self.provider_share


def sector_balance(cycle):
    """Entries (submitted and not withdrawn) by sector and category, beside
    the sector mix of registered care provider organisations."""
    categories = list(cycle.categories.all())
    providers = dict(
        Organisation.objects.filter(is_care_provider=True).values_list("sector").annotate(n=Count("pk")).order_by()
    )
    entries = (
        Nomination.objects.filter(cycle=cycle, state__in=NominationState.entered())
        .values_list("organisation__sector", "category_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    grid = {(sector, category_id): n for sector, category_id, n in entries}
    total_providers = sum(providers.values())
    total_entries = sum(grid.values())
    rows = []
    for sector, label in Sector.choices:
        entry_count = sum(grid.get((sector, c.pk), 0) for c in categories)
        provider_share = 100 * providers.get(sector, 0) / total_providers if total_providers else 0.0
        entry_share = 100 * entry_count / total_entries if total_entries else 0.0
        rows.append(
            SectorRow(
                sector=sector,
                label=label,
                providers=providers.get(sector, 0),
                provider_share=provider_share,
                entries=entry_count,
                entry_share=entry_share,
                per_category=[grid.get((sector, c.pk), 0) for c in categories],
                under_represented=total_entries > 0 and entry_share < provider_share - cycle.sector_balance_margin,
            )
        )
    category_totals = [sum(grid.get((s, c.pk), 0) for s in Sector.values) for c in categories]
    return {
        "categories": categories,
        "rows": rows,
        "category_totals": category_totals,
        "total_entries": total_entries,
        "total_providers": total_providers,
    }
