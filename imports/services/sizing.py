"""How large an upload of each kind may be, so that an import worker stays within WORKER_MB (docs/operations.md);
each kind's importer (imports/services/kinds.py) reads its files within these limits.

Findings are spooled to disk as they are read and planned an audit at a time (imports/services/findings_intake.py):
their memory does not grow with the file, and the reader's own limits apply. Supply maps and grievance logs are
planned whole, since their rules span the upload (shares, links, entity resolution, repeated references), and
their commits peak at about SUPPLY_MAP_KB and GRIEVANCE_KB per row at their fullest (every column filled, the
50 MB byte limit spent on text; measured at 40,000 and 50,000 rows). Their row limits follow:

    max rows = (WORKER_MB − BASE_MB − SHARED_STRINGS_MB) × 1024 / (KB per row), rounded down to 5,000,

where BASE_MB is a worker with Django and the import loaded, and SHARED_STRINGS_MB what a workbook's shared
strings may add at the reader's limits (1,000,000 texts, 64 MB). bench/imports.py --limits measures the largest
file each limit accepts. A limit is checked while the rows are read, before they are all held, and for a
workbook before it is parsed.
"""

from imports.reading import Limits

WORKER_MB = 512
BASE_MB = 125
SHARED_STRINGS_MB = 100
SUPPLY_MAP_KB = 7.2
GRIEVANCE_KB = 4.6


def rows_within_budget(kilobytes_per_row: float) -> int:
    """The most rows a kind held in memory at `kilobytes_per_row` may have."""
    rows = (WORKER_MB - BASE_MB - SHARED_STRINGS_MB) * 1024 / kilobytes_per_row
    return int(rows) // 5_000 * 5_000


SUPPLY_MAP_LIMITS = Limits(max_rows=rows_within_budget(SUPPLY_MAP_KB), uploads="Supply maps")
GRIEVANCE_LIMITS = Limits(max_rows=rows_within_budget(GRIEVANCE_KB), uploads="Grievance logs")
FINDINGS_LIMITS = Limits(uploads="Findings uploads")
