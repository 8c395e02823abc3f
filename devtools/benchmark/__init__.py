"""The benchmark behind `manage.py benchmark` (see bench/README.md).

Pages are requested through Django's test client as the people who use them,
after the scale data is loaded; each page's time is also given as a ratio to
a baseline view measured in the same run (one trivial query, a minimal
template), so the figures compare across machines.

- measuring: the pages, the ranking, the reminder sweeps, the data's size
- load: exports as background jobs (progress page, build, memory) and
  throughput under gunicorn
- reporting: the targets, the printed tables, the results file
- running: the whole benchmark in order
"""

from ._common import LAYOUT_ONLY, ROOT, SIGNED_IN_BASELINE
from .load import exports, measure_export_job_memory, throughput
from .measuring import measure, pages, ranking, sizes, sweeps
from .reporting import print_pages, print_table, targets, write
from .running import run

__all__ = [
    "LAYOUT_ONLY",
    "ROOT",
    "SIGNED_IN_BASELINE",
    "exports",
    "measure",
    "measure_export_job_memory",
    "pages",
    "print_pages",
    "print_table",
    "ranking",
    "run",
    "sizes",
    "sweeps",
    "targets",
    "throughput",
    "write",
]
