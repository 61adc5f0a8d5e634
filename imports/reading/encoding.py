"""Choose one text encoding for a whole CSV file, or say exactly where it goes wrong.

Spreadsheet programs save CSV as UTF-8 (often with a byte-order mark), as UTF-16 with a mark
("Unicode text"), or in the Windows code page (cp1252 in Western Europe and the Americas).
The decision is made once per file by a streaming pass, so that a file which is UTF-8 except
for one pasted line is reported at that line instead of being silently mis-decoded.
"""

import codecs
import re

from .errors import FileRejected

_CHUNK = 1 << 20
_INVALID_BYTE = re.compile("[\udc80-\udcff]")  # how surrogateescape spells an undecodable byte
_MULTIBYTE_CHARACTER = re.compile("[^\x00-\x7f\udc80-\udcff]")


def detect_encoding(path: str, filename: str) -> str:
    """Return the codec name to open `path` with, or raise FileRejected(bad_encoding)."""
    with open(path, "rb") as stream:
        start = stream.read(4)
    if start.startswith(codecs.BOM_UTF8):
        _require_decodable(path, filename, "utf-8-sig", "UTF-8")
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _require_decodable(path, filename, "utf-16", "UTF-16")
        return "utf-16"
    problem = _first_undecodable(path, "utf-8")
    if problem is None:
        return "utf-8"
    valid_multibyte, invalid_bytes = _utf8_evidence(path)
    if valid_multibyte >= invalid_bytes:
        raise FileRejected(
            "bad_encoding",
            f"{filename} mixes text encodings: line {problem} has characters that are not UTF-8 while the rest of the "
            "file is UTF-8. Retype that line, or save the whole file again as 'CSV UTF-8 (Comma delimited)'.",
        )
    _require_decodable(path, filename, "cp1252", "UTF-8 or Windows-1252")
    return "cp1252"


def _require_decodable(path: str, filename: str, codec: str, described: str) -> None:
    line = _first_undecodable(path, codec)
    if line is not None:
        raise FileRejected(
            "bad_encoding",
            f"{filename}: line {line} contains bytes that are not valid {described} text. "
            "Save the file as 'CSV UTF-8 (Comma delimited)' and upload it again.",
        )


def _first_undecodable(path: str, codec: str) -> int | None:
    """The 1-based line of the first byte that `codec` cannot decode, or None if all of it decodes."""
    decoder = codecs.getincrementaldecoder(codec)()
    lines_before = 0
    with open(path, "rb") as stream:
        while True:
            chunk = stream.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                # error.start counts from this chunk plus the few bytes of a character split
                # across chunks, never across a line break, so the line number is exact.
                return lines_before + chunk.count(b"\n", 0, max(error.start, 0)) + 1
            if not chunk:
                return None
            lines_before += chunk.count(b"\n")


def _utf8_evidence(path: str) -> tuple[int, int]:
    """Count characters that decode as multi-byte UTF-8 and bytes that do not."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    valid = invalid = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            text = decoder.decode(chunk)
            valid += len(_MULTIBYTE_CHARACTER.findall(text))
            invalid += len(_INVALID_BYTE.findall(text))
    return valid, invalid
