"""Validating an upload before anything is written: its header, then every cell of every row.

`read_rows(table, kind, …)` maps the header to the kind's columns and converts every cell with the
column's converter (imports/services/cells.py). It returns the rows as named tuples (one field per column
of the kind, plus `row`, the spreadsheet row number) and a ProblemLog holding every problem found, each
with its sheet, row, column (as the user wrote it), value, code and message. Rules that involve several
rows or stored data (references between rows, conflicting repeats, totals) belong to each kind's module.

A problem is an error (the row is rejected and the file cannot be committed), an error that holds back only its
row (a value of a `holds_row` column that cannot be read, such as an unknown country: the row is rejected, the
others may be committed), or a warning (reported, but nothing is rejected: a column that matches nothing and is
therefore not imported, for instance).
"""

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from imports.columns import DEFAULT_CHOICES, ColumnType, ImportKind
from imports.headers import HeaderMapping, map_headers
from imports.problems import Problem
from imports.reading import ExcelError, FileRejected, Table
from imports.services.cells import MAX_TEXT, CellError, converter, excel_error, to_text, too_long

MAX_STORED_PROBLEMS = 10_000
MAX_PROBLEM_VALUE = 2000  # characters of a cell's value kept with its problem (and stored: ImportProblem.value)
SHARED_TEXT = 40  # text up to this length is kept once per upload however many cells repeat it
ERROR, WARNING = "error", "warning"


@dataclass
class ProblemLog:
    """Every problem of an upload; the first MAX_STORED_PROBLEMS are kept, all are counted."""

    sheet: str | None = None
    problems: list[tuple[str, Problem]] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    held_rows: set[int] = field(default_factory=set)  # rejected rows that do not block the file (see `hold`)
    errors: int = 0
    dropped: int = 0

    def error(self, row: int | None, column: str | None, value: object, code: str, message: str) -> None:
        self.errors += 1
        if row is not None:
            self.bad_rows.add(row)
        self._keep(ERROR, Problem(sheet=self.sheet, row=row, column=column, value=value, code=code, message=message))

    def hold(self, row: int, column: str | None, value: object, code: str, message: str) -> None:
        """An error that rejects its row only: the row is left out of the plan, the rest of the file may commit."""
        self.bad_rows.add(row)
        self.held_rows.add(row)
        self._keep(ERROR, Problem(sheet=self.sheet, row=row, column=column, value=value,
                                  code=code, message=f"{message} This row is not imported; the others can be."))

    def warning(self, row: int | None, column: str | None, value: object, code: str, message: str) -> None:
        self._keep(WARNING, Problem(sheet=self.sheet, row=row, column=column, value=value, code=code, message=message))

    def rejected(self, error: FileRejected) -> None:
        self.error(None, None, None, error.code, error.message)

    def _keep(self, severity: str, problem: Problem) -> None:
        if len(self.problems) >= MAX_STORED_PROBLEMS:
            self.dropped += 1
            return
        if type(problem.value) is str and len(problem.value) > MAX_PROBLEM_VALUE:
            # one shared string of a workbook can fill every row's cell: 10,000 problems must not hold 10,000 copies
            problem = replace(problem, value=problem.value[:MAX_PROBLEM_VALUE])
        self.problems.append((severity, problem))

    @property
    def blocking(self) -> bool:
        return self.errors > 0


def row_type(kind: ImportKind) -> type:
    """A named tuple with one field per column of the kind (None when absent or invalid), `unknown` for a kind that
    keeps the values of unknown columns (header → text), and `row`."""
    unknown = ["unknown"] if kind.keeps_unknown else []
    return namedtuple(f"{kind.key.title().replace('_', '')}Row", [column.key for column in kind.columns] + unknown + ["row"])


_ROW_TYPES: dict[str, type] = {}


@dataclass
class ReadRows:
    """The converted rows of an upload, with the header as written and how it maps to the kind."""

    kind: ImportKind
    header: list[str]
    mapping: HeaderMapping
    rows: list
    log: ProblemLog
    row_count: int = 0  # len(rows) as read, kept when the rows are let go of after planning

    def label(self, key: str) -> str:
        """The header the user wrote for a column (its template label when the column is absent)."""
        for index, mapped in self.mapping.columns.items():
            if mapped == key:
                return self.header[index]
        return self.kind.column(key).label

    def has(self, key: str) -> bool:
        return key in self.mapping.columns.values()


def read_rows(
    table: Table,
    kind: ImportKind,
    *,
    user_mapping: Mapping[str, str | None] | None = None,
    choices: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    on_rows: Callable[[int], None] = lambda count: None,
    sink: Callable[[ReadRows], Callable[[tuple], None]] | None = None,
) -> ReadRows:
    """Map the header and convert every row of `table`; rows with bad cells are kept (bad cells as None)
    and their numbers recorded in the log, so that rules between rows still see every reference.

    The rows go to `rows`, or, when `sink` is given, to the function `sink(result)` returns, one by one, so
    that a kind can keep them out of memory (`rows` then stays empty; `row_count` still counts them)."""
    choices = {**DEFAULT_CHOICES, **(choices or {})}
    log = ProblemLog(sheet=table.sheet_name)
    header = table.header
    mapping = map_headers(header, kind, user_mapping)
    result = ReadRows(kind, header, mapping, [], log)
    if not _header_is_usable(kind, header, mapping, log):
        log.bad_rows.update(number for number, _values in table.rows())
        return result
    Row = _ROW_TYPES.setdefault(kind.key, row_type(kind))
    positions = {column.key: position for position, column in enumerate(kind.columns)}
    fields = [
        (index, positions[key], header[index], converter(kind.column(key), choices),
         kind.column(key).type is ColumnType.TEXT, log.hold if kind.column(key).holds_row else log.error)
        for index, key in mapping.columns.items()
    ]
    required = [
        (positions[c.key], c) for c in kind.columns if c.required and c.key in mapping.columns.values()
    ]
    one_of = [tuple(positions[key] for key in group) for group in kind.one_of_required]
    blank = [None] * len(kind.columns)
    unnamed = [index for index, text in enumerate(header) if not text]
    stray_seen: set[int] = set()
    shared: dict[str, str] = {}
    keep = sink(result) if sink else result.rows.append
    count = 0
    for count, (number, values) in enumerate(table.rows(), 1):
        record = blank.copy()
        bad_cells = []
        for index, position, label, convert, text, refuse in fields:
            value = values[index]
            if value is None:
                continue
            if text and type(value) is str and len(value) <= MAX_TEXT:
                # the common case, without a call; short text (references, codes) repeats from row to row,
                # and one shared copy keeps a large upload's memory down
                record[position] = shared.setdefault(value, value) if len(value) <= SHARED_TEXT else value
                continue
            try:
                if type(value) is ExcelError:
                    raise excel_error(value)
                if type(value) is str and len(value) > MAX_TEXT:
                    raise too_long(value)  # before a converter that would quote it in its message
                record[position] = convert(value)
            except CellError as error:
                refuse(number, label, value, error.code, error.message)
                bad_cells.append(position)
        for position, column in required:
            if record[position] is None and position not in bad_cells:
                log.error(number, result.label(column.key), None, "required", f"{result.label(column.key)} is required.")
        for group in one_of:
            if _all_empty(record, group) and not any(p in bad_cells for p in group):
                labels = " or ".join(result.label(kind.columns[position].key) for position in group)
                log.error(number, None, None, "required", f"Give at least one of {labels}.")
        if len(values) > len(header) or unnamed:
            _note_stray_values(number, values, len(header), unnamed, stray_seen, log)
        if kind.keeps_unknown:
            record.append({text: to_text(values[index]) for index, text in mapping.unknown
                           if values[index] is not None and type(values[index]) is not ExcelError})
        record.append(number)
        keep(Row._make(record))
        if count % 1000 == 0:
            on_rows(count)
    on_rows(count)
    result.row_count = count
    return result


def _all_empty(record: list, positions: tuple[int, ...]) -> bool:
    for position in positions:
        if record[position] is not None:
            return False
    return True


def _header_is_usable(kind: ImportKind, header: list[str], mapping: HeaderMapping, log: ProblemLog) -> bool:
    """Report the header's problems; False when a required column is missing (every row would fail)."""
    for index, text in mapping.unknown:
        kept = " its values are kept as each site's extra data" if kind.keeps_unknown else " it is not imported"
        log.warning(
            None, text, None, "unknown_column",
            f'Column "{text}" matches no column of the {kind.label} import:{kept}. Rename it to one '
            "of the template's headers, or map it (or map it to nothing to silence this).",
        )
    for key, indexes in mapping.duplicates.items():
        names = ", ".join(f'"{header[i]}"' for i in indexes)
        log.warning(
            None, header[indexes[1]], None, "duplicate_column",
            f"Columns {names} all mean {kind.column(key).label}; only the first one, {names.split(', ')[0]}, is read.",
        )
    usable = True
    for key in mapping.missing_required:
        usable = False
        log.error(None, kind.column(key).label, None, "missing_column",
                  f'The required column "{kind.column(key).label}" is missing from the header row.')
    for group in mapping.missing_one_of:
        usable = False
        labels = " or ".join(f'"{kind.column(key).label}"' for key in group)
        log.error(None, None, None, "missing_column", f"The header needs at least one of the columns {labels}.")
    return usable


def _note_stray_values(number, values, width: int, unnamed: list[int], seen: set[int], log: ProblemLog) -> None:
    """A value under a column without a header would be lost: say so once per column."""
    for index in [*unnamed, *range(width, len(values))]:
        if values[index] is None or index in seen:
            continue
        seen.add(index)
        log.warning(
            number, None, values[index], "value_without_header",
            f"Column {_letter(index)} has values (from row {number}) but no header, so it is not imported.",
        )


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
