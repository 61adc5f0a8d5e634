"""Read CSV, TSV and delimited .txt files as a Table, streaming from disk."""

import csv
import os
from collections.abc import Iterator

from .encoding import detect_encoding
from .errors import FileRejected
from .limits import Limits
from .table import Table

DELIMITERS = ",;\t"
_SAMPLE_CHARACTERS = 64 * 1024
# How the csv module refuses a field beyond csv.field_size_limit() (131,072 characters unless a program changes it).
_FIELD_TOO_LARGE = "field larger than field limit"


class _Dialect(csv.excel):
    """Standard double-quote quoting; only the delimiter varies between files."""

    strict = False


def read_delimited(path: str, filename: str, limits: Limits) -> Table:
    encoding = detect_encoding(path, filename)
    delimiter = "\t" if filename.lower().endswith(".tsv") else _detect_delimiter(path, encoding)
    dialect = type("Detected", (_Dialect,), {"delimiter": delimiter})

    def raw_rows() -> Iterator[tuple[int, list[str]]]:
        with open(path, encoding=encoding, newline="") as stream:
            reader = csv.reader(stream, dialect)
            last_line = 0  # of the last record read
            try:
                for number, values in enumerate(reader, 1):
                    last_line = reader.line_num
                    yield number, values
            except csv.Error as error:
                # a field too large on one line is a cell; one spanning lines has swallowed them after a stray quote
                if str(error).startswith(_FIELD_TOO_LARGE) and reader.line_num == last_line + 1:
                    raise FileRejected(
                        "cell_too_long",
                        f"{filename}: line {reader.line_num} has a cell of more than {csv.field_size_limit():,} "
                        f"characters, and a cell holds at most {limits.max_cell_characters:,} (Excel's limit). "
                        "Shorten it, or split it across cells.",
                    ) from error
                raise FileRejected(
                    "malformed_csv",
                    f"{filename}: line {reader.line_num} cannot be read as CSV ({error}). This usually means a "
                    'quote character (") that is never closed.',
                ) from error

    name = os.path.basename(filename)
    return Table(name, raw_rows, limits, place=name)


def _detect_delimiter(path: str, encoding: str) -> str:
    """Ask csv.Sniffer, restricted to comma, semicolon and tab; count on the header line if it cannot tell."""
    with open(path, encoding=encoding, newline="") as stream:
        sample = stream.read(_SAMPLE_CHARACTERS)
    if len(sample) == _SAMPLE_CHARACTERS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first_line = next((line for line in sample.splitlines() if line.strip()), "")
        return max(DELIMITERS, key=first_line.count)
