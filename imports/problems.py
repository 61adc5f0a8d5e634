"""A problem found in an uploaded file, shared by the validator and the error report."""

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong with an upload.

    `row` is the 1-based spreadsheet row and `column` the header text as the user wrote it;
    both are None for problems of the whole file (row) or of a whole row (column).
    """

    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    code: str
    message: str
