"""Check an OOXML zip before any parser sees it: bombs, macros, and what it really contains."""

import posixpath
import zipfile
import zlib

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from .errors import FileRejected
from .limits import MB, Limits
from .xml_parts import Extent, verify_part

_CONTENT_TYPES = "[Content_Types].xml"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CORRUPT_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


def inspect_workbook_archive(path: str, filename: str, limits: Limits) -> dict[str, Extent]:
    """Raise FileRejected unless `path` is a plain .xlsx that calamine can open safely; else return
    the extent of each worksheet that has cells, by sheet name.

    Order matters: the central directory's declared sizes are checked before anything is
    decompressed; then every part is decompressed once, without keeping it, to prove the
    declared sizes true and to scan XML prologs for DTDs and sheets for far-away cells.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_declared_sizes(infos, filename, limits)
            names = {info.filename for info in infos}
            _check_is_workbook(names, filename)
            if any(_is_macro_part(name) for name in names):
                raise macro_enabled(filename)
            sheet_names = _sheet_names_by_part(archive)
            extents = {
                info.filename: verify_part(archive, info, filename, limits, is_sheet=info.filename in sheet_names)
                for info in infos
            }
            _check_content_types(archive, filename)
    except FileRejected:
        raise
    except _CORRUPT_ERRORS as error:
        raise FileRejected(
            "corrupt", f"{filename} is damaged or truncated and cannot be opened as a workbook ({error})."
        ) from error
    for part, extent in extents.items():
        if extent is not None:
            where = f'sheet "{sheet_names[part]}"' if part in sheet_names else part
            _check_extent(extent, where, filename, limits)
    return {sheet_names[part]: extent for part, extent in extents.items() if extent and part in sheet_names}


def _check_declared_sizes(infos: list[zipfile.ZipInfo], filename: str, limits: Limits) -> None:
    if len(infos) > limits.max_zip_entries:
        raise FileRejected(
            "zip_bomb",
            f"{filename} holds {len(infos)} files inside; a workbook never needs more than {limits.max_zip_entries}.",
        )
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.max_uncompressed_bytes:
            raise FileRejected(
                "zip_bomb",
                f"{filename} would expand to more than {limits.max_uncompressed_bytes // MB} MB when opened; "
                "it is either far too big or a 'zip bomb'.",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.min_ratio_checked_bytes and ratio > limits.max_compression_ratio:
            raise FileRejected(
                "zip_bomb",
                f"{filename}: the part {info.filename} is compressed {ratio:.0f} to 1, far beyond any real "
                "spreadsheet; the file looks like a 'zip bomb'.",
            )


def _check_is_workbook(names: set[str], filename: str) -> None:
    if _CONTENT_TYPES in names and _WORKBOOK in names:
        return
    if "xl/workbook.bin" in names:
        raise FileRejected(
            "not_a_spreadsheet",
            f"{filename} is an Excel binary workbook (.xlsb). Save it as 'Excel Workbook (.xlsx)'.",
        )
    raise FileRejected("not_a_spreadsheet", f"{filename} is a zip archive but not an Excel workbook (.xlsx).")


def _is_macro_part(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith("vbaproject.bin") or lowered.startswith("xl/macrosheets/")


def macro_enabled(filename: str) -> FileRejected:
    return FileRejected(
        "macro_enabled",
        f"{filename} contains macros (it is really a macro-enabled .xlsm workbook). Macros are never "
        "accepted: save it as 'Excel Workbook (.xlsx)' and upload that.",
    )


def _check_content_types(archive: zipfile.ZipFile, filename: str) -> None:
    types = _parse(archive, _CONTENT_TYPES, filename)
    if any("macroenabled" in element.get("ContentType", "").lower() for element in types.iter()):
        raise macro_enabled(filename)


def _sheet_names_by_part(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map worksheet part names to sheet names, so that messages name what the user sees.

    Only the declared sizes are trusted at this point, which is enough: both parts are small,
    zipfile stops at the declared size, and defusedxml refuses entities.
    """
    try:
        workbook = fromstring(archive.read(_WORKBOOK))
        relations = fromstring(archive.read(_WORKBOOK_RELS))
    except (KeyError, ParseError, DefusedXmlException, LookupError):
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in relations.iter(f"{_PACKAGE_REL_NS}Relationship")
    }
    names = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        names[part] = sheet.get("name", "")
    return names


def _parse(archive: zipfile.ZipFile, part: str, filename: str):
    try:
        return fromstring(archive.read(part))
    except (ParseError, DefusedXmlException, LookupError) as error:  # LookupError: an unknown declared encoding
        raise FileRejected("corrupt", f"{filename}: the part {part} is not valid XML ({error}).") from error


def _check_extent(extent: Extent, where: str, filename: str, limits: Limits) -> None:
    """Refuse sheets whose A1-to-farthest-cell rectangle is too big to read."""
    if extent.columns * extent.rows <= limits.max_cells:
        return
    if extent.columns > limits.max_columns:
        raise FileRejected(
            "too_many_columns",
            f"{filename}: {where} has values as far right as column {extent.column_letters} "
            f"(column {extent.columns:,}); at most {limits.max_columns} columns are accepted. "
            "Delete the unused columns, including stray values far to the right.",
        )
    if extent.rows > limits.max_rows + 1:
        raise FileRejected(
            "too_many_rows",
            limits.rows_refused(f"{where} of {filename}", f"values as far down as row {extent.rows:,}")
            + " Delete any stray values far below the data.",
        )
    raise FileRejected(
        "too_many_cells",
        f"{filename}: {where} spans {extent.rows:,} rows by {extent.columns:,} columns, more than the "
        f"{limits.max_cells:,} cells that can be read at once. Split the file into smaller ones.",
    )
