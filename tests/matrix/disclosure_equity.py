"""The equity report's rows of the disclosure matrix (awards.equity): aggregate
counts only, exact for administrators at every stage, and published with the
results (small numbers hidden) once the public may see the cycle's awards."""

from .disclosure_cast import PEOPLE
from .disclosure_vocabulary import ALL_STAGES, Surface, everyone_at, simple

EQUITY_SURFACES = [
    Surface("equity report", simple("awards:manage_equity", "cycle"), everyone_at(ALL_STAGES, ["admin"])),
    Surface(
        "equity report CSV",
        simple("awards:manage_equity", "cycle", query="?export=csv"),
        everyone_at(ALL_STAGES, ["admin"]),
        kind="csv",
    ),
    # No planted word may show on either: counts only, never a name, a service or a reference.
    Surface("published equity report", simple("awards:equity_public", "cycle"), everyone_at(["announced"], PEOPLE)),
]
