"""What audit-firm and workers' organization imports share: finding each row's site.

Audit firms and workers' organizations have no network of their own, so a row names its site by:
- `os_id`: its Open Supply Hub ID; or
- `site_ref`: the site's Tributary ID (as the API shows it, e.g. U2l0ZTo0Mg==), or a reference of the
  organization's own that an earlier row or upload paired with an OS ID or a Tributary ID. A row giving both
  `site_ref` and `os_id` teaches the pairing, which is kept (ImportedRecord, entity "site").
Either way the site must be visible to the organization (whether an audit firm is assigned to it is a rule of
findings, which audits/services/findings_batch.py checks).

The pairings are ImportedRecords of entity "site" (backend/records.py keeps every entity's records).
"""

from backend.global_ids import decode_global_id
from backend.models import ImportedRecord
from backend.records import known_records
from backend.tenancy import visible
from graph.models import Site
from imports.services.validation import ReadRows

SITE = "site"


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
