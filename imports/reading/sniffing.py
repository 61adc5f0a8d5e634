"""Decide what an upload really is from its bytes, and check that its name agrees.

The extension is what the user sees and the bytes are what we parse, so both must say the
same thing: an .xlsx must be an OOXML zip, a .csv/.tsv/.txt must be text. Anything else
(legacy .xls, encrypted workbooks, images, macro-enabled workbooks) is refused with a
message that tells the user how to save the file instead.
"""

import mmap
import os
from enum import Enum

from .archive import macro_enabled
from .errors import FileRejected
from .limits import MB, Limits

TEXT_EXTENSIONS = {".csv", ".tsv", ".txt"}
WORKBOOK_EXTENSION = ".xlsx"
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlam"}

_OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_KNOWN_BINARIES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
}
# Encrypted OOXML is stored inside an OLE2 container next to these streams (MS-OFFCRYPTO).
_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_HEAD_BYTES = 8192


class Format(Enum):
    WORKBOOK = "xlsx"
    TEXT = "text"


def sniff_format(path: str, filename: str, limits: Limits) -> Format:
    """Return the format of the file at `path`, or raise FileRejected saying why it is unusable.

    A workbook's contents are checked next, by `archive.inspect_workbook_archive`."""
    size = os.path.getsize(path)
    if size == 0:
        raise FileRejected("empty", f"{filename} is empty (0 bytes).")
    if size > limits.max_bytes:
        raise FileRejected(
            "too_large",
            f"{filename} is {size / MB:.1f} MB; files up to {limits.max_bytes / MB:g} MB are accepted. "
            "Split it into several files.",
        )
    extension = os.path.splitext(filename)[1].lower()
    if extension in MACRO_EXTENSIONS:
        raise macro_enabled(filename)
    with open(path, "rb") as stream:
        head = stream.read(_HEAD_BYTES)
    if head.startswith(_OLE2_SIGNATURE):
        raise _compound_file_rejection(path, filename)
    if head.startswith(_ZIP_SIGNATURES):
        if extension != WORKBOOK_EXTENSION:
            raise FileRejected(
                "extension_mismatch",
                f"{filename} is a zip archive, such as an Excel workbook, but its name ends in '{extension}'. "
                "Upload workbooks as .xlsx.",
            )
        return Format.WORKBOOK
    _reject_binary(head, filename)
    if extension not in TEXT_EXTENSIONS:
        raise FileRejected(
            "extension_mismatch",
            f"{filename} contains text (like a CSV file), not an Excel workbook, but its name ends in "
            f"'{extension}'. Upload it as .csv, or open it in Excel and save it as .xlsx.",
        )
    return Format.TEXT


def _compound_file_rejection(path: str, filename: str) -> FileRejected:
    """OLE2 files are either password-protected OOXML or legacy binary Office files."""
    with open(path, "rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as content:
        encrypted = any(content.find(name) != -1 for name in _ENCRYPTION_STREAMS)
    if encrypted:
        return FileRejected(
            "encrypted",
            f"{filename}: the workbook is password-protected/encrypted. "
            "Remove the password (File > Info > Protect Workbook) and upload it again.",
        )
    return FileRejected(
        "legacy_xls",
        f"{filename} is a legacy Excel 97-2003 (.xls) or other old Office file. "
        "Open it in Excel and save it as 'Excel Workbook (.xlsx)'.",
    )


def _reject_binary(head: bytes, filename: str) -> None:
    """Refuse bytes that are not text, naming the format when it is a common one."""
    if head.startswith(_UTF16_BOMS):
        return
    for signature, description in _KNOWN_BINARIES.items():
        if head.startswith(signature):
            raise FileRejected("not_a_spreadsheet", f"{filename} is {description}, not a spreadsheet.")
    if b"\x00" in head:
        if _looks_like_utf16(head):
            raise FileRejected(
                "bad_encoding",
                f"{filename} looks like UTF-16 text without a byte-order mark, which cannot be read reliably. "
                "Save it as 'CSV UTF-8 (Comma delimited)'.",
            )
        raise FileRejected("not_a_spreadsheet", f"{filename} is a binary file, not a spreadsheet or CSV text.")
    controls = sum(head.count(bytes([code])) for code in range(32) if code not in b"\t\n\r\f")
    if controls > len(head) // 20:
        raise FileRejected("not_a_spreadsheet", f"{filename} is a binary file, not a spreadsheet or CSV text.")


def _looks_like_utf16(head: bytes) -> bool:
    """ASCII text in UTF-16 has a zero in every other byte and almost none elsewhere."""
    half = len(head) // 2
    even_zeros, odd_zeros = head[0::2].count(0), head[1::2].count(0)
    return max(even_zeros, odd_zeros) > half * 0.6 and min(even_zeros, odd_zeros) < half * 0.05
