"""Stored files, through Django's storage API only, so that the web tier and the workers may run on different
machines: settings.STORAGES["default"] is the local MEDIA_ROOT by default (the demo) and an S3-compatible bucket
in production (S3_BUCKET). Nothing here, nor anywhere else, asks a storage for a local path.

Confidential files (uploads naming grievance reporters, evidence) are encrypted before they reach storage, and a
chunk at a time, so that neither encrypting a 50 MB upload nor decrypting it holds more than a chunk in memory.
The stored name of an encrypted file ends in ENCRYPTED_SUFFIX; its bytes are MAGIC, then for each chunk the
4-byte big-endian length of a Fernet token (audits/crypto.py's keys: the first encrypts, all decrypt) of

    file ID (16 random bytes) ‖ chunk index (8 bytes, big-endian) ‖ last-chunk flag (1 byte) ‖ up to CHUNK bytes.

The index and the flag are inside the authenticated token, so chunks cannot be reordered, dropped, cut off after
a whole chunk or spliced in from another file without decryption failing: the STREAM construction of Hoang,
Reyhanitabar, Rogaway and Vizár (2015), with Fernet as its authenticated encryption.
"""

import io
import itertools
import os
import shutil
import struct
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, NamedTuple

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.files import File
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile

from audits.crypto import cipher

ENCRYPTED_SUFFIX = ".enc"
MAGIC = b"TRIBUTARY-ENCRYPTED-1\n"
CHUNK = 1024 * 1024
LENGTH = struct.Struct(">I")
# A token of CHUNK bytes and the header: base64 of version, time, IV, the padded ciphertext and the HMAC.
MAX_TOKEN = 4 * (1 + 8 + 16 + (CHUNK + 25) // 16 * 16 + 16 + 32) // 3 + 4
COPY_BUFFER = 256 * 1024


class CannotDecrypt(Exception):
    """A stored file that is not what this module wrote, was altered, or was encrypted with a key no longer
    configured. The message never holds any of its content."""


class ChunkHeader(NamedTuple):
    """What each encrypted chunk says of its place in the file."""

    file_id: bytes
    index: int
    last: bool


HEADER = struct.Struct(">16sQ?")


def is_encrypted(name: str) -> bool:
    """Whether the file stored under `name` was encrypted by `save(…, encrypt=True)`."""
    return name.endswith(ENCRYPTED_SUFFIX)


def save(field_file: FieldFile, name: str, content, *, encrypt: bool) -> None:
    """Store `content` (a readable binary file: an upload, a ContentFile) in the field's storage, under the name
    its `upload_to` makes of `name`; encrypted on the way when `encrypt` is set. The model is not saved."""
    if encrypt:
        if content.seekable():
            content.seek(0)
        content = File(ChunksReader(encrypted_chunks(content)))
        name += ENCRYPTED_SUFFIX
    field_file.save(name, content, save=False)


def encrypted_chunks(plaintext: BinaryIO) -> Iterator[bytes]:
    """The stored form of `plaintext` (see the module's docstring), a chunk at a time."""
    keys, file_id = cipher(), os.urandom(16)
    yield MAGIC
    chunk = plaintext.read(CHUNK)
    for index in itertools.count():
        following = plaintext.read(CHUNK)
        header = ChunkHeader(file_id, index, last=not following)
        token = keys.encrypt(HEADER.pack(*header) + chunk)
        yield LENGTH.pack(len(token)) + token
        if header.last:
            return
        chunk = following


def decrypted_chunks(stored: BinaryIO) -> Iterator[bytes]:
    """The plaintext of a file written by `encrypted_chunks`, a chunk at a time; CannotDecrypt if it is not
    whole and unaltered, or no configured key opens it."""
    if read_exactly(stored, len(MAGIC)) != MAGIC:
        raise CannotDecrypt("The stored file is not an encrypted file of Tributary.")
    keys, file_id = cipher(), None
    for index in itertools.count():
        (length,) = LENGTH.unpack(read_exactly(stored, LENGTH.size))
        if length > MAX_TOKEN:
            raise CannotDecrypt("The stored file is damaged: a chunk is longer than any this format writes.")
        try:
            plaintext = keys.decrypt(read_exactly(stored, length))
        except InvalidToken:
            raise CannotDecrypt("No configured key decrypts the stored file, or it was altered.") from None
        header = ChunkHeader(*HEADER.unpack_from(plaintext))
        file_id = file_id or header.file_id
        if header.index != index or header.file_id != file_id:
            raise CannotDecrypt("The stored file was altered: its chunks are out of order or from another file.")
        yield plaintext[HEADER.size:]
        if header.last:
            if stored.read(1):
                raise CannotDecrypt("The stored file was altered: it goes on after its last chunk.")
            return


def read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise CannotDecrypt("The stored file is cut short.")
    return data


class ChunksReader(io.RawIOBase):
    """A read-only, forward-only binary stream over an iterable of byte strings (what storages and
    FileResponse read from); closing it closes `source`, the stream the chunks come from, if any."""

    def __init__(self, chunks: Iterable[bytes], source: BinaryIO | None = None) -> None:
        super().__init__()
        self._chunks = iter(chunks)
        self._pending = memoryview(b"")
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        if self._source is not None:
            self._source.close()
        super().close()


def open_plaintext(field_file: FieldFile) -> BinaryIO:
    """The stored file's bytes as a readable stream, decrypted on the way when it is encrypted; the caller closes
    it. The first chunk is decrypted at once, so that a file no configured key opens fails here, not half-way."""
    stored = field_file.storage.open(field_file.name, "rb")
    if not is_encrypted(field_file.name):
        return stored
    try:
        chunks = decrypted_chunks(stored)
        first = next(chunks)
    except CannotDecrypt:
        stored.close()
        raise
    return ChunksReader(itertools.chain([first], chunks), source=stored)


@contextmanager
def local_copy(field_file: FieldFile) -> Iterator[str]:
    """The path of a temporary local file holding the stored file's plaintext, for readers that need a path
    (zipfile, calamine). This is the only plaintext copy that reaches a disk, and it has no name there: an unnamed
    temporary file (O_TMPFILE, or created and unlinked at once), read through /proc/self/fd, so that no plaintext
    outlives the process, even one killed in the middle of a read."""
    with tempfile.TemporaryFile(prefix="tributary-", dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        with open_plaintext(field_file) as source:
            shutil.copyfileobj(source, copy, COPY_BUFFER)
        copy.flush()
        yield f"/proc/self/fd/{copy.fileno()}"


def reencrypt(queryset: QuerySet, field: str = "file") -> int:
    """Store every encrypted file of the queryset's rows again under the newest key (after a key was added in
    front, before the old one is dropped); return how many. Each is written under a new name, the row is pointed
    at it (unless the row moved on meanwhile: then the new copy goes), and the old copy is deleted."""
    count = 0
    for row in queryset.filter(**{f"{field}__endswith": ENCRYPTED_SUFFIX}).iterator():
        field_file, old_name = getattr(row, field), getattr(row, field).name
        with open_plaintext(field_file) as plaintext:
            save(field_file, "rotated", plaintext, encrypt=True)
        moved = not type(row).objects.filter(pk=row.pk, **{field: old_name}).update(**{field: field_file.name})
        field_file.storage.delete(field_file.name if moved else old_name)
        count += not moved
    return count
