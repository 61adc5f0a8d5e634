"""Decompress each part of a workbook once, without keeping it, and check what calamine would trip on.

Three things are proved here, all before calamine opens the file:

* the part really decompresses to its declared size (a lying header is a zip bomb);
* an XML part has no DTD: entity declarations can only live in a DTD, and a DTD can only
  come before the root element, so parsing the prolog with defusedxml is enough to rule out
  "billion laughs" and external-entity tricks without parsing megabytes of cells;
* a worksheet's cells stay within a rectangle of bounded size, and a shared-strings table
  does not declare billions of entries (calamine reserves memory for the table up front).

A sheet's extent also records the width its `<dimension>` element claims: the streaming
reader pads every row to that width, so the reader must know when the claim is larger than
the cells that are really there.
"""

import copy
import re
import zipfile
import zlib
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, XMLParser, iterparse

from .errors import FileRejected
from .limits import MB, Limits

_CHUNK = 1 * MB
# A chunk is cut after its last ">" so that no tag is split. A cell of Excel's 32,767 characters is at most
# 128 KB of UTF-8, so text or a tag running longer than this is no spreadsheet's.
_MAX_CARRY = 1 * MB
_FAST_MAX_COLUMN = 26  # the fast scan only reports references with two or more column letters
_FAST_MAX_ROW = 99_999  # … or six or more row digits

# Excel and the common libraries write every cell with its position first: <c r="B7">. Calamine then
# ignores row numbers, so far cells are all there is to find. Any other spelling (no position, a
# namespace prefix, another attribute first) sends the part to the exact scan. Each regex starts
# with a literal so that it runs at memchr speed (about 0.1 s for a 56 MB sheet).
_UNUSUAL_TAG = re.compile(rb'<(?:c|row)\b(?! r=")')
_PREFIXED_TAG = re.compile(rb":(?:c|row)[\s/>]")
_FAR_CELL = re.compile(rb'<c r="(?=[A-Za-z]{2}|[A-Za-z]*[0-9]{6})([A-Za-z]+)([0-9]+)"')
_CELL_REFERENCE = re.compile(r"([A-Za-z]+)([0-9]+)")
# <dimension ref="A1:K500"/> (or ref="B2" for one cell) comes before the cells: the last column letters.
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\b[^>]*?\sref="(?:[A-Za-z]+[0-9]+:)?([A-Za-z]+)[0-9]+"')
_XML_SUFFIXES = (".xml", ".rels", ".vml")
SHARED_STRINGS = "xl/sharedstrings.xml"  # where calamine looks for the table, whatever the relationships say


@dataclass(frozen=True)
class Extent:
    """Columns and rows from A1 to a sheet's farthest cell (an upper bound after the fast scan), and the
    number of columns the sheet's `<dimension>` claims (0 when it has none)."""

    columns: int
    rows: int
    declared_columns: int = 0

    @property
    def column_letters(self) -> str:
        letters, number = "", self.columns
        while number:
            number, remainder = divmod(number - 1, 26)
            letters = chr(65 + remainder) + letters
        return letters


def verify_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str, limits: Limits, is_sheet: bool = False
) -> Extent | None:
    """Check one part; return the extent of its cells if it has any, else None.

    A part is treated as XML when it is a sheet, is named like XML, or starts like XML, so that
    a sheet hidden behind an odd name or leading junk (which calamine skips) is still scanned.
    """
    if info.is_dir():
        return None
    crc = 0
    with archive.open(_unchecked_and_one_byte_longer(info)) as stream:
        head = stream.read(64)
        is_xml = (
            is_sheet
            or info.filename.lower().endswith(_XML_SUFFIXES)
            or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
        )
        if is_xml and b"\x00" in head:
            raise FileRejected("corrupt", f"{filename}: the part {info.filename} is not UTF-8 XML.")
        scan = _FastCellScan() if is_xml else None
        pieces = _tag_aligned_pieces(stream, head, filename, info, limits) if is_xml else _chunks(stream, head)
        shared_strings = info.filename.lower() == SHARED_STRINGS and is_xml
        entry_marks = 0
        size = 0
        for piece in pieces:
            size += len(piece)
            if size > info.file_size:
                raise FileRejected(
                    "zip_bomb",
                    f"{filename}: the part {info.filename} decompresses to more than its declared size; "
                    "the file looks like a crafted 'zip bomb'.",
                )
            crc = zlib.crc32(piece, crc)
            if scan:
                scan.feed(piece)
            if shared_strings:
                entry_marks += piece.count(b"si>") + 2 * piece.count(b"si/>")
    if crc != info.CRC:
        raise FileRejected("corrupt", f"{filename}: the part {info.filename} is damaged (its checksum does not match).")
    if not is_xml:
        return None
    if shared_strings:
        _check_shared_strings(entry_marks // 2, info.file_size, filename, limits)
    _check_prolog(archive, info, filename, limits)
    if scan.unusual:
        return _exact_extent(archive, info, filename)
    return scan.extent()


def _unchecked_and_one_byte_longer(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A copy of `info` that lets a stream longer than declared show itself.

    zipfile stops reading at the declared size and checks the CRC there, which reports a lying
    size as mere corruption; claiming one byte more and no CRC lets us count the real length.
    The CRC is then checked by verify_part itself.
    """
    larger = copy.copy(info)
    larger.file_size += 1
    del larger.CRC
    return larger


def _chunks(stream, head: bytes):
    yield head
    while chunk := stream.read(_CHUNK):
        yield chunk


def _tag_aligned_pieces(stream, head: bytes, filename: str, info: zipfile.ZipInfo, limits: Limits):
    """Yield `head` and the rest of `stream` in pieces cut after a ">", so that no tag is split."""
    carry = head
    while chunk := stream.read(_CHUNK):
        opening = chunk.find(b"<")
        if len(carry) + (len(chunk) if opening < 0 else opening) > _MAX_CARRY and b"<" not in carry:
            raise _overlong_run(carry, filename, info, limits)  # the text after the last tag runs on too long
        carry += chunk
        cut = carry.rfind(b">") + 1
        if cut:
            yield carry[:cut]
            carry = carry[cut:]
        elif len(carry) > _MAX_CARRY:
            raise _overlong_run(carry, filename, info, limits)
    yield carry


def _overlong_run(carry: bytes, filename: str, info: zipfile.ZipInfo, limits: Limits) -> FileRejected:
    """What a megabyte without a ">" is: a cell's text when no tag starts in it (it follows a tag's end), else junk."""
    if b"<" not in carry:
        return FileRejected(
            "cell_too_long",
            f"{filename}: a cell holds more than {_MAX_CARRY // MB} MB of text, and a cell holds at most "
            f"{limits.max_cell_characters:,} characters (Excel's limit). Shorten it, or split it across cells.",
        )
    return FileRejected("corrupt", f"{filename}: the part {info.filename} is not a well-formed workbook part.")


def _check_shared_strings(entries: int, size: int, filename: str, limits: Limits) -> None:
    """calamine holds the table whole before the first row is read: its entries and its size are bounded."""
    if entries > limits.max_shared_strings:
        raise FileRejected(
            "too_many_texts",
            f"{filename} holds {entries:,} different texts; at most {limits.max_shared_strings:,} can be read in "
            "one workbook. Split it into several files, or save it as CSV.",
        )
    if size > limits.max_shared_strings_bytes:
        raise FileRejected(
            "too_many_texts",
            f"{filename}: its different texts take {size / MB:.0f} MB; at most "
            f"{limits.max_shared_strings_bytes // MB} MB can be read in one workbook. Split it into several files, "
            "or save it as CSV.",
        )


class _FastCellScan:
    """Finds references beyond column Z or row 99,999 with regexes that rarely match in normal sheets."""

    def __init__(self) -> None:
        self.unusual = False
        self.max_column = _FAST_MAX_COLUMN
        self.max_row = _FAST_MAX_ROW
        self.has_cells = False
        self.declared_columns = 0
        self.before_cells = True

    def feed(self, piece: bytes) -> None:
        if self.before_cells:
            # the dimension normally sits in the first piece; a sheet that pads its start is looked at until its cells
            self.declared_columns = _declared_columns(piece)
            self.before_cells = not self.declared_columns and b"<sheetData" not in piece
        if self.unusual:
            return
        if _UNUSUAL_TAG.search(piece) or _PREFIXED_TAG.search(piece):
            self.unusual = True
            return
        self.has_cells = self.has_cells or b"<c " in piece
        for letters, digits in _FAR_CELL.findall(piece):
            self.max_column = max(self.max_column, _column_number(letters.decode()))
            self.max_row = max(self.max_row, int(digits))

    def extent(self) -> Extent | None:
        return Extent(self.max_column, self.max_row, self.declared_columns) if self.has_cells else None


def _declared_columns(piece: bytes) -> int:
    """The columns claimed by a `<dimension>` element in `piece`, or 0."""
    match = _DIMENSION.search(piece)
    return _column_number(match[1].decode()) if match else 0


def _column_number(letters: str) -> int:
    """Spreadsheet column letters to a 1-based number: A → 1, Z → 26, AA → 27."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str, limits: Limits) -> None:
    """Parse up to the root element with DTDs forbidden; check the shared-strings count on the way."""
    with archive.open(info) as stream:
        try:
            _, root = next(iterparse(stream, events=("start",), forbid_dtd=True))
        except DefusedXmlException as error:
            raise FileRejected(
                "xml_entities",
                f"{filename}: the part {info.filename} declares a DTD or XML entities, which spreadsheets never "
                "need and which can be used to attack the server (an 'XML bomb').",
            ) from error
        except (ParseError, StopIteration, LookupError) as error:  # LookupError: an encoding Python does not know
            raise FileRejected("corrupt", f"{filename}: the part {info.filename} is not valid XML.") from error
    if root.tag.rpartition("}")[2] == "sst":
        declared = max(_as_count(root.get("count")), _as_count(root.get("uniqueCount")))
        if declared > limits.max_cells:
            raise FileRejected(
                "corrupt",
                f"{filename}: the shared strings table claims {declared:,} entries, far more than the file holds; "
                "the file is damaged or crafted.",
            )


def _as_count(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _exact_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str) -> Extent | None:
    """Walk every row and cell the way calamine positions them (slow, for unusually written sheets)."""
    tracker = _CellPositions()
    parser = XMLParser(target=tracker, forbid_dtd=True)
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                parser.feed(chunk)
        parser.close()
    except (ParseError, DefusedXmlException, LookupError) as error:
        raise FileRejected("corrupt", f"{filename}: the part {info.filename} is not valid XML.") from error
    return tracker.extent()


class _CellPositions:
    """ElementTree parser target that mirrors calamine's rule: a cell without `r` follows the previous one."""

    def __init__(self) -> None:
        self.row = self.column = 0
        self.max_row = self.max_column = -1
        self.declared_columns = 0

    def start(self, tag: str, attributes: dict) -> None:
        name = tag.rpartition("}")[2]
        reference = attributes.get("r", "")
        if name == "dimension":
            last_cell = _CELL_REFERENCE.fullmatch(attributes.get("ref", "").rpartition(":")[2])
            self.declared_columns = _column_number(last_cell[1]) if last_cell else 0
        elif name == "row" and reference.isdigit():
            self.row = int(reference) - 1
        elif name == "c":
            match = _CELL_REFERENCE.fullmatch(reference)
            row = self.row
            if match:
                self.column = _column_number(match[1]) - 1
                row = int(match[2]) - 1
            self.max_row = max(self.max_row, row)
            self.max_column = max(self.max_column, self.column)

    def end(self, tag: str) -> None:
        name = tag.rpartition("}")[2]
        if name == "c":
            self.column += 1
        elif name == "row":
            self.row += 1
            self.column = 0

    def close(self) -> None:
        """Required by the parser target protocol; nothing to finish."""

    def extent(self) -> Extent | None:
        if self.max_row < 0:
            return None
        return Extent(self.max_column + 1, self.max_row + 1, self.declared_columns)
