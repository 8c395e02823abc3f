"""Reporting: the targets met or missed, the printed tables and the results file."""

import json
from pathlib import Path

from ._common import LAYOUT_ONLY


def targets(results) -> list[dict]:
    """Each target of the benchmark with the measured figure and whether it is met."""
    pages_measured = {
        name: row for name, row in results["pages"].items() if not name.startswith("baseline") and name != LAYOUT_ONLY
    }
    served = {name: row for name, row in pages_measured.items() if not name.endswith("(uncached)")}
    worst_queries = max(served.items(), key=lambda item: item[1]["queries"])
    worst_ratio = max(served.items(), key=lambda item: item[1]["p95_ratio"])
    slowest_sweep = max(
        ((name, run, row[run]["seconds"]) for name, row in results["sweeps"].items() for run in ("first", "second")),
        key=lambda item: item[2],
    )
    exports_measured = {name: row for name, row in results["exports"].items() if isinstance(row, dict)}
    worst_memory = max(
        exports_measured.items(),
        key=lambda item: max(item[1]["peak_python_mb"], item[1]["peak_rss_growth_mb"] or 0),
    )
    memory = max(worst_memory[1]["peak_python_mb"], worst_memory[1]["peak_rss_growth_mb"] or 0)
    ranking_seconds = max(results["ranking"]["database_all_categories_s"], results["ranking"]["pure_20000x3x6_s"])
    rows = [
        (
            "queries per page ≤ 15",
            f"{worst_queries[0]}: {worst_queries[1]['queries']}",
            worst_queries[1]["queries"] <= 15,
        ),
        (
            "p95 ≤ 3× baseline",
            f"{worst_ratio[0]}: {worst_ratio[1]['p95_ratio']}× "
            f"(layout alone: {results['pages'][LAYOUT_ONLY]['p95_ratio']}×)",
            worst_ratio[1]["p95_ratio"] <= 3,
        ),
        ("ranking ≤ 2 s", f"{ranking_seconds} s", ranking_seconds <= 2),
        ("each sweep ≤ 5 s", f"{slowest_sweep[0]} ({slowest_sweep[1]}): {slowest_sweep[2]} s", slowest_sweep[2] <= 5),
        ("exports stream, < 50 MB extra", f"{worst_memory[0]}: {memory} MB", memory < 50),
    ]
    if "sizes_smaller" in results:
        grown = [name for name, row in served.items() if row.get("queries_smaller", row["queries"]) != row["queries"]]
        factor = results["sizes"]["nominations"] / max(1, results["sizes_smaller"]["nominations"])
        rows.insert(
            1,
            (
                f"same queries on {factor:.0f}× less data",
                ", ".join(grown) or "every page the same",
                not grown,
            ),
        )
    return [{"target": target, "measured": measured, "met": met} for target, measured, met in rows]


def print_pages(results, stream):
    stream.write(f"\n{results['sizes']}\n")
    smaller = "sizes_smaller" in results
    stream.write(
        f"{'page':<40}{'status':>7}{'queries':>9}{'median ms':>11}{'p95 ms':>9}{'p95 ×base':>11}{'×anon base':>12}"
        + (f"{'queries, less data':>20}{'p95, less data':>16}" if smaller else "")
        + "\n"
    )
    for name, row in results["pages"].items():
        stream.write(
            f"{name:<40}{row['status']:>7}{row['queries']:>9}{row['median_ms']:>11}{row['p95_ms']:>9}"
            f"{row['p95_ratio']:>11}{row['p95_ratio_to_anonymous_baseline']:>12}"
            + (f"{row.get('queries_smaller', ''):>20}{row.get('p95_ms_smaller', ''):>16}" if smaller else "")
            + "\n"
        )


def print_table(results, stream):
    print_pages(results, stream)
    stream.write(f"\nranking: {results['ranking']}\n")
    for name, row in results["sweeps"].items():
        stream.write(f"sweep {name:<22} at {row['at']}  first {row['first']}  second {row['second']}\n")
    for name, row in results["exports"].items():
        stream.write(f"export {name}: {row}\n")
    for name, row in results.get("throughput", {}).items():
        stream.write(f"throughput {name}: {row}\n")
    stream.write("\n")
    for row in results["targets"]:
        stream.write(f"{'met ' if row['met'] else 'MISSED'}  {row['target']:<32} {row['measured']}\n")


def write(results, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2))
