"""Upper bounds that keep an oversized or hostile upload from exhausting the server."""

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of an upload the reader accepts; every field can be lowered for tests."""

    max_bytes: int = 50 * MB
    max_columns: int = 200
    max_rows: int = 1_000_000
    # Calamine allocates a sheet as a dense rectangle from A1 to its farthest cell, so a tiny
    # file with one value in XFD1048576 would ask for 17 billion cells: bound the rectangle.
    max_cells: int = 30_000_000
    max_zip_entries: int = 5_000
    max_uncompressed_bytes: int = 500 * MB
    max_compression_ratio: int = 200
    # Small parts (styles, empty sheets) legitimately compress far better than 200:1.
    min_ratio_checked_bytes: int = 1 * MB
