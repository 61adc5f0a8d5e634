"""The encrypted file format of backend/storage.py: what it writes reads back, under any of the configured keys,
and a file that was altered in any way (a byte, a chunk dropped, moved, cut off, added, or taken from another
file) does not decrypt."""

import io

import pytest
from cryptography.fernet import Fernet
from hypothesis import given, settings as hypothesis_settings, strategies as st

from backend import storage
from backend.storage import LENGTH, MAGIC, CannotDecrypt, decrypted_chunks, encrypted_chunks

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch, settings):
    """Chunks of 16 bytes, so that a few dozen bytes make a file of several chunks."""
    monkeypatch.setattr(storage, "CHUNK", 16)
    settings.GRIEVANCE_ENCRYPTION_KEY = OLD_KEY


def encrypt(plaintext: bytes) -> bytes:
    return b"".join(encrypted_chunks(io.BytesIO(plaintext)))


def decrypt(stored: bytes) -> bytes:
    return b"".join(decrypted_chunks(io.BytesIO(stored)))


def tokens(stored: bytes) -> list[bytes]:
    """The length-prefixed tokens of an encrypted file, each with its prefix."""
    position, found = len(MAGIC), []
    while position < len(stored):
        (length,) = LENGTH.unpack_from(stored, position)
        found.append(stored[position:position + LENGTH.size + length])
        position += LENGTH.size + length
    return found


@hypothesis_settings(max_examples=50, deadline=None)
@given(plaintext=st.binary(max_size=100))
def test_what_is_encrypted_decrypts_to_the_same_bytes(plaintext):
    stored = encrypt(plaintext)
    assert decrypt(stored) == plaintext
    assert len(tokens(stored)) == max(1, -(-len(plaintext) // 16))
    if len(plaintext) >= 8:
        assert plaintext not in stored[len(MAGIC):]


def test_an_old_key_still_listed_decrypts_and_a_dropped_one_does_not(settings):
    stored = encrypt(b"reporter: Ravi Kumar, +91 98400 12345")
    settings.GRIEVANCE_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    assert decrypt(stored) == b"reporter: Ravi Kumar, +91 98400 12345"
    settings.GRIEVANCE_ENCRYPTION_KEY = NEW_KEY
    with pytest.raises(CannotDecrypt, match="No configured key"):
        decrypt(stored)


PLAINTEXT = bytes(range(64))  # four chunks


def flip_a_byte(stored: bytes) -> bytes:
    middle = len(stored) // 2
    return stored[:middle] + bytes([stored[middle] ^ 1]) + stored[middle + 1:]


def chunks(stored: bytes, *indexes: int) -> bytes:
    return MAGIC + b"".join(tokens(stored)[index] for index in indexes)


ALTERATIONS = {  # (the file, another file of the same content and key) → the altered file
    "a byte flipped": lambda stored, other: flip_a_byte(stored),
    "a chunk dropped": lambda stored, other: chunks(stored, 0, 2, 3),
    "two chunks swapped": lambda stored, other: chunks(stored, 0, 2, 1, 3),
    "cut after a whole chunk": lambda stored, other: chunks(stored, 0, 1, 2),
    "cut inside a chunk": lambda stored, other: stored[:-5],
    "data after the last chunk": lambda stored, other: stored + b"\x00",
    "a chunk of another file": lambda stored, other: chunks(stored, 0) + tokens(other)[1] + tokens(stored)[2]
    + tokens(stored)[3],
    "a forged length": lambda stored, other: MAGIC + LENGTH.pack(2**31) + tokens(stored)[0][LENGTH.size:],
    "not an encrypted file": lambda stored, other: PLAINTEXT,
}


@pytest.mark.parametrize("alteration", list(ALTERATIONS))
def test_an_altered_file_does_not_decrypt(alteration):
    stored, other = encrypt(PLAINTEXT), encrypt(PLAINTEXT)
    assert len(tokens(stored)) == 4
    with pytest.raises(CannotDecrypt):
        decrypt(ALTERATIONS[alteration](stored, other))


def test_the_plaintext_copy_for_the_readers_has_no_name_on_disk(settings, tmp_path):
    """A worker killed in the middle of a read must leave no plaintext behind: the copy is an unnamed file."""
    from django.core.files.base import ContentFile
    from django.db.models.fields.files import FieldFile

    from imports.models import ImportJob

    settings.MEDIA_ROOT, settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "media"), str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    stored = FieldFile(ImportJob(), ImportJob._meta.get_field("file"), None)
    storage.save(stored, "hotline.csv", ContentFile(b"Reporter,Ravi Kumar\n"), encrypt=True)
    with storage.local_copy(stored) as path:
        with open(path, "rb") as copy:
            assert copy.read() == b"Reporter,Ravi Kumar\n"
        assert list((tmp_path / "tmp").iterdir()) == []
