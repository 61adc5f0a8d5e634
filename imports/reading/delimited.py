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
            try:
                yield from enumerate(reader, 1)
            except csv.Error as error:
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
