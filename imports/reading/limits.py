"""Upper bounds that keep an oversized or hostile upload from exhausting the server."""

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of an upload the reader accepts; every field can be lowered for tests."""

    max_bytes: int = 50 * MB
    max_columns: int = 200
    max_rows: int = 1_000_000
    # The streaming reader pads each row to the widest row before it, so a sheet costs its rectangle
    # from A1 to its farthest cell in work: a value in XFD1 with a million rows below is 17 billion cells.
    max_cells: int = 30_000_000
    max_zip_entries: int = 5_000
    max_uncompressed_bytes: int = 500 * MB
    max_compression_ratio: int = 200
    # Small parts (styles, empty sheets) legitimately compress far better than 200:1.
    min_ratio_checked_bytes: int = 1 * MB
