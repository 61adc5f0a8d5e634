"""An import's plan: what a clean upload would write, row by row and by kind of object, and how it writes it.

Each kind of import builds a `Plan` through its intake (imports/services/kinds.py); the dry run shows its
counts, the commit runs its `write` with the bulk writer (backend/db/writer.py).
"""

from backend.db.writer import Writer

CREATED, UPDATED, UNCHANGED, REVIEW = "created", "updated", "unchanged", "review"
_RANK = {UNCHANGED: 0, UPDATED: 1, CREATED: 2, REVIEW: 3}


def no_outcomes() -> dict[str, int]:
    """Row counts by outcome, all zero."""
    return dict.fromkeys(_RANK, 0)


class Plan:
    """What a clean upload would write: built by a kind's `plan()`, shown by the dry run, run by the commit.

    `rows` maps each row number to what happens to what it describes (created, updated, unchanged, or
    review: waiting for a decision on its site); `entities` counts the same by kind of object;
    `records` is the number of rows `write()` will insert or update, for progress.

    A plan made a part of the upload at a time (findings) finishes comparing in `settle()` (the dry run) or
    in `write()` (the commit), so problems can still be found there; every other plan is complete when built.
    """

    def __init__(self) -> None:
        self.rows: dict[int, str] = {}
        self.entities: dict[str, dict[str, int]] = {}
        self.review: list = []  # (UploadedSite, [Candidate]) pairs

    @property
    def records(self) -> int:
        raise NotImplementedError

    def credit(self, row: int, entity: str, outcome: str) -> None:
        """Row `row` creates, updates or leaves unchanged one `entity`."""
        counts = self.entities.setdefault(entity, {CREATED: 0, UPDATED: 0, UNCHANGED: 0})
        if outcome in counts:
            counts[outcome] += 1
        if _RANK[outcome] > _RANK[self.rows.get(row, UNCHANGED)]:
            self.rows[row] = outcome
        else:
            self.rows.setdefault(row, outcome)

    def settle(self) -> None:
        """Finish the comparison with what is stored, without writing."""

    def outcomes(self, bad_rows: set[int]) -> dict[str, int]:
        """How many rows, among those without errors, create, update, leave unchanged or await review."""
        counts = no_outcomes()
        for row, outcome in self.rows.items():
            if row not in bad_rows:
                counts[outcome] += 1
        return counts

    def write(self, writer: Writer) -> None:
        raise NotImplementedError
