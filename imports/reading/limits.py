"""Upper bounds that keep an oversized or hostile upload from exhausting the server."""

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of an upload the reader accepts; every field can be lowered for tests.

    `uploads` names what the limits are for in the messages that refuse a file ("Supply maps are limited to
    …"): a kind of import may accept fewer rows than the reader can read (imports/services/sizing.py).
    """

    max_bytes: int = 50 * MB
    max_columns: int = 200
    max_rows: int = 1_000_000
    uploads: str = "Uploads"
    # The streaming reader pads each row to the widest row before it, so a sheet costs its rectangle
    # from A1 to its farthest cell in work: a value in XFD1 with a million rows below is 17 billion cells.
    max_cells: int = 30_000_000
    # Excel's own limit; a cell far beyond it is found before any parser holds it (see xml_parts, delimited).
    max_cell_characters: int = 32_767
    # calamine holds a workbook's shared-strings table whole, about 55 bytes per entry plus its text.
    max_shared_strings: int = 1_000_000
    max_shared_strings_bytes: int = 64 * MB
    max_zip_entries: int = 5_000
    max_uncompressed_bytes: int = 500 * MB
    max_compression_ratio: int = 200
    # Small parts (styles, empty sheets) legitimately compress far better than 200:1.
    min_ratio_checked_bytes: int = 1 * MB

    def rows_refused(self, place: str, count: str) -> str:
        """The message refusing a file with too many data rows; `count` says how many it has ("more", "1,048,575")."""
        return (f"{self.uploads} are limited to {self.max_rows:,} data rows; {place} has {count}. "
                "Split it into several files.")
