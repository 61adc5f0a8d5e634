"""How a user says a file's headers map to a kind's columns, beyond the aliases the kind knows (imports/columns.py).

A mapping is {header: column key or null}, or {"columns": {header: key or null}, "build": {key: [header, …]}}:
the form `import_file --mapping FILE.json` and the shipped presets (imports/presets/) take. A built column is made
of several of the file's columns, their values joined by ", " (an address from a street, a city and a postcode);
`with_built_columns` adds it to the table as read, under its own header, before the headers are mapped.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from imports.reading.folding import fold


@dataclass(frozen=True)
class UserMapping:
    """A mapping as a user gives it: `headers` maps header text to a column key (None: ignore the column), and
    `built` makes a column of the kind from several of the file's columns, their values joined by ", " (an
    address from a street, a city and a postcode)."""

    headers: dict[str, str | None]
    built: dict[str, tuple[str, ...]]


def user_mapping_of(mapping: Mapping | None) -> UserMapping:
    """Read a mapping: either {header: key or null} or {"columns": {header: key or null}, "build": {key: [header,
    …]}} (the form of `import_file --mapping FILE.json`). A built column is read under its own header
    (`built_header`), and the columns it is built from are not imported on their own unless mapped."""
    mapping = dict(mapping or {})
    structured = mapping and set(mapping) <= {"columns", "build"} and all(isinstance(v, dict) for v in mapping.values())
    headers = dict(mapping.get("columns", {})) if structured else mapping
    built = {}
    for key, sources in (mapping.get("build", {}) if structured else {}).items():
        if not isinstance(sources, list) or not sources or not all(isinstance(source, str) for source in sources):
            raise ValueError(f"build {key!r}: give the list of the headers to build it from")
        built[key] = tuple(sources)
        headers[built_header(key, built[key])] = key
        for source in sources:
            headers.setdefault(source, None)
    for text, key in headers.items():
        if not isinstance(text, str) or not (key is None or isinstance(key, str)):
            raise ValueError(f"{text!r}: map a header to a column key, or to null to ignore it")
    return UserMapping(headers, built)


def built_header(key: str, sources: Sequence[str]) -> str:
    """The header a built column is read under: "address = street + city"."""
    return f"{key} = {' + '.join(sources)}"


class BuiltColumns:
    """A table (imports/reading's Table) with the columns a mapping builds appended to its header and rows: each
    the values of its source columns, in order, joined by ", " (empty when all are). A source the header does not
    have adds nothing."""

    def __init__(self, table, built: Mapping[str, Sequence[str]]) -> None:
        self.table, self.sheet_name, self.header_row = table, table.sheet_name, table.header_row
        width = len(table.header)
        index_of = {fold(text): index for index, text in reversed(list(enumerate(table.header)))}
        self.sources = [[index_of[fold(source)] for source in sources if fold(source) in index_of]
                        for sources in built.values()]
        self.width = width
        self.header = [*table.header, *(built_header(key, sources) for key, sources in built.items())]

    def rows(self):
        width = self.width
        for number, values in self.table.rows():
            built = [", ".join(str(values[index]) for index in indexes if values[index] is not None) or None
                     for indexes in self.sources]
            yield number, [*values[:width], *built, *values[width:]]


def with_built_columns(table, mapping: Mapping | None):
    """The table as a mapping reads it: with the columns it builds, if any."""
    built = user_mapping_of(mapping).built
    return BuiltColumns(table, built) if built else table
