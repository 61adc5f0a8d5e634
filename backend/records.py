"""Remembering what each external reference of an organization (audit_ref, finding_ref, grievance_ref, site_ref)
stands for, and whether the values sent for it changed (ImportedRecord, backend/models/records.py).

The domain batches (audits/services/findings_batch.py, grievances_batch.py) read the records of the references in
a batch before planning it and write them with the objects, through the bulk writer: an object whose row has the
same fingerprint is unchanged and is not written again.
"""

import hashlib
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings

from backend.db.writer import Formatted, Writer
from backend.db.copy_text import Same
from backend.models import ImportedRecord


def fingerprint(values: Iterable) -> str:
    """A keyed hash (BLAKE2b with a key derived from SECRET_KEY) of a record's values (text, numbers, dates,
    booleans, None): equal values, equal fingerprints; nothing can be learnt from it without the key."""
    hasher = _keyed_hasher().copy()  # a copy of the keyed state: keying a new hasher per record costs more
    hasher.update(repr(tuple(values)).encode())
    return hasher.hexdigest()


def _keyed_hasher():
    global _KEYED
    if _KEYED is None:
        key = hashlib.sha256(b"imports-fingerprint:" + settings.SECRET_KEY.encode()).digest()
        _KEYED = hashlib.blake2b(key=key, digest_size=16)
    return _KEYED


_KEYED = None


def external_key(*parts: str) -> str:
    """A record's reference from its parts (e.g. audit and finding references), hashed when too long to store."""
    key = "\x1f".join(parts)
    return key if len(key) <= 255 else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class KnownRecord(NamedTuple):
    """What an ImportedRecord holds of a reference imported before."""

    record_id: int
    object_id: int
    fingerprint: str
    members: dict


class RecordEntry(NamedTuple):
    """What a reference is to be remembered as: its object, fingerprint and members; `stored` is its record, if any."""

    ref: str
    object_id: int
    fingerprint: str
    members: dict
    stored: KnownRecord | None


def known_records(organization, entity: str, refs: Iterable[str]) -> dict[str, KnownRecord]:
    """ref → KnownRecord for the refs already imported by the organization.

    A large upload reads all the organization's records of that entity in one pass (cheaper than thousands
    of parameters); a small one asks for its own refs."""
    refs = set(refs)
    records = ImportedRecord.objects.owned_by(organization).filter(entity=entity)
    columns = ("ref", "id", "object_id", "fingerprint", "members")
    if len(refs) <= 1000:
        rows = records.filter(ref__in=list(refs)).values_list(*columns)
    else:
        rows = records.values_list(*columns).iterator(chunk_size=5_000)  # a server-side cursor: worth it only here
    return {ref: KnownRecord(*rest) for ref, *rest in rows if ref in refs}


def write_records(writer: Writer, organization, entity: str, entries: list[RecordEntry]) -> None:
    """Remember what each external reference became (a new record, or its stored one updated)."""
    writer.send(new_records(writer, organization, entity, entries))
    update_records(writer, entries)


def new_records(writer: Writer, organization, entity: str, entries: list[RecordEntry]) -> Formatted:
    """The ImportedRecord rows of the entries not stored yet, formatted for Writer.send (see write_records)."""
    new = [entry for entry in entries if entry.stored is None]
    return writer.formatted(ImportedRecord, {
        "organization_id": Same(organization.pk), "entity": Same(entity), "ref": [entry.ref for entry in new],
        "object_id": [entry.object_id for entry in new], "fingerprint": [entry.fingerprint for entry in new],
        "members": [entry.members for entry in new],
    })


def update_records(writer: Writer, entries: list[RecordEntry]) -> None:
    """Store the new object, fingerprint and members of the entries whose record exists (see write_records)."""
    changed = {entry.stored.record_id: entry for entry in entries if entry.stored}
    if changed:
        records = list(ImportedRecord.objects.filter(pk__in=list(changed)))
        for record in records:
            entry = changed[record.pk]
            record.object_id, record.fingerprint, record.members = entry.object_id, entry.fingerprint, entry.members
        writer.update(ImportedRecord, records, ["object_id", "fingerprint", "members"])
