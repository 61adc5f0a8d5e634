"""What audit-firm and workers' organization imports share: finding each row's site, and remembering what
each external reference (audit_ref, finding_ref, grievance_ref, site_ref) was imported as.

Sites. Audit firms and workers' organizations have no network of their own, so a row names its site by:
- `os_id`: its Open Supply Hub ID; or
- `site_ref`: the site's Tributary ID (as the API shows it, e.g. U2l0ZTo0Mg==), or a reference of the
  organization's own that an earlier row or upload paired with an OS ID or a Tributary ID. A row giving both
  `site_ref` and `os_id` teaches the pairing, which is kept (ImportedRecord, entity "site").
Either way the site must be visible to the organization (whether an audit firm is assigned to it is a rule of
findings, which audits/services/findings_batch.py checks).

Records. ImportedRecord maps (organization, entity, external reference) to the object's ID and a fingerprint
of the values last imported for it (an HMAC, so it reveals nothing of, say, a reporter's name): an object
whose row has the same fingerprint is unchanged and not written again.
"""

import hashlib
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings

from backend.db.copy_text import Same
from backend.db.writer import Formatted, Writer
from backend.global_ids import decode_global_id
from backend.tenancy import visible
from graph.models import Site
from imports.models import ImportedRecord
from imports.services.validation import ReadRows

SITE = "site"


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


def site_id_of_global(ref: str) -> int | None:
    """The site a Tributary ID names, or None when `ref` is no site's Tributary ID."""
    global_id = decode_global_id(ref)
    return global_id.pk if global_id is not None and global_id.type_name == "Site" else None


class SiteRefs:
    """Finds the site of every row; `aliases` are the new site_ref → site pairings to remember on commit.

    Rows are resolved in the order given, by `resolve` (the constructor resolves `rows`, by default all the
    upload's rows): a reference that a row pairs with an OS ID serves the rows after it. A large upload is
    resolved a chunk at a time; each OS ID and reference is looked up once.
    """

    def __init__(self, read: ReadRows, viewer, rows=None) -> None:
        self.read, self.viewer = read, viewer
        self.aliases: dict[str, int] = {}
        self.site_of_row: dict[int, int] = {}
        self.by_os_id: dict[str, int] = {}
        self.stored_aliases: dict[str, int] = {}
        self.by_id: dict[str, int | None] = {}
        self.visible_ids: set[int] = set()
        self._asked_os_ids: set[str] = set()
        self._asked_refs: set[str] = set()
        self.resolve(read.rows if rows is None else rows)

    def resolve(self, rows) -> None:
        """Find the site of each of `rows` (into `site_of_row`), or log why it has none."""
        rows = [row for row in rows if row.site_ref or row.os_id]
        self._look_up({row.os_id.strip().upper() for row in rows if row.os_id}, {row.site_ref for row in rows if row.site_ref})
        for row in rows:
            self._resolve(row)

    def _look_up(self, os_ids: set[str], refs: set[str]) -> None:
        os_ids, refs = os_ids - self._asked_os_ids, refs - self._asked_refs
        self._asked_os_ids |= os_ids
        self._asked_refs |= refs
        viewer = self.viewer
        if os_ids:
            self.by_os_id.update(visible(Site, viewer).filter(os_id__in=os_ids).values_list("os_id", "id"))
        if not refs:
            return
        known = {ref: record.object_id for ref, record in known_records(viewer.organization, SITE, refs).items()}
        by_id = {ref: site_id_of_global(ref) for ref in refs if ref not in known}
        self.stored_aliases.update(known)
        self.by_id.update(by_id)
        candidates = [pk for pk in [*by_id.values(), *known.values()] if pk]
        if candidates:
            self.visible_ids |= set(visible(Site, viewer).filter(pk__in=candidates).values_list("id", flat=True))

    def _resolve(self, row) -> None:
        read, number = self.read, row.row
        by_os_id, known, by_id, visible_ids = self.by_os_id, self.stored_aliases, self.by_id, self.visible_ids
        site_id = None
        if row.os_id:
            site_id = by_os_id.get(row.os_id.strip().upper())
            if site_id is None:
                read.log.error(number, read.label("os_id"), row.os_id, "unknown_site",
                               "No site visible to you has this Open Supply Hub ID.")
                return
        if row.site_ref:
            named = known.get(row.site_ref) or self.aliases.get(row.site_ref) or by_id.get(row.site_ref)
            if named is not None and named not in visible_ids and named not in self.aliases.values():
                named = None
            if site_id is None and named is None:
                read.log.error(number, read.label("site_ref"), row.site_ref, "unknown_reference",
                               "This site reference is not known yet: give the site's Open Supply Hub ID (or its "
                               "Tributary ID) on this row once, and the reference is remembered.")
                return
            if site_id is not None and named is not None and named != site_id:
                read.log.error(number, read.label("site_ref"), row.site_ref, "conflict",
                               "This site reference already names another site than this Open Supply Hub ID.")
                return
            if site_id is not None and named is None and by_id.get(row.site_ref) is None:
                self.aliases[row.site_ref] = site_id
            site_id = site_id or named
        self.site_of_row[number] = site_id

    def alias_records(self, organization) -> list[ImportedRecord]:
        """New site_ref pairings (only those not stored yet)."""
        return [
            ImportedRecord(organization=organization, entity=SITE, ref=ref, object_id=site_id, fingerprint="")
            for ref, site_id in self.aliases.items() if ref not in self.stored_aliases
        ]
