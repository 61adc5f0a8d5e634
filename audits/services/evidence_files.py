"""Evidence files: checked by their bytes, their extension and their size, stored encrypted under a random name.

Evidence may show workers, children among them, and what was done to them: it is encrypted at rest
(backend/storage.py) like the other confidential files, and read back only through the authenticated download
(audits/views.py), by those who may see the finding or the corrective action it documents."""

import os
import unicodedata

from django.core.files.base import ContentFile

from audits.models import EvidenceFile
from backend import storage
from backend.errors import field_error
from backend.tenancy import Viewer

MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def sniff(content: bytes) -> str | None:
    """The content type the file's first bytes announce, among the accepted ones."""
    for content_type, signatures in SIGNATURES.items():
        if any(content.startswith(signature) for signature in signatures):
            return content_type
    return None


def check(content: bytes, file_name: str) -> str:
    """The file's content type, when its bytes, its extension and its size are all acceptable."""
    if not content:
        raise field_error("content_base64", "The file is empty.", "invalid_file")
    if len(content) > MAX_BYTES:
        raise field_error("content_base64", f"Files may have at most {MAX_BYTES // (1024 * 1024)} MB.", "invalid_file")
    if any(unicodedata.category(character) == "Cc" for character in file_name or ""):
        raise field_error("file_name", "The file name must not hold control characters (such as line breaks).",
                          "invalid_file")
    extension = os.path.splitext(file_name or "")[1].lower()
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise field_error("file_name", "Accepted files are PDF, PNG and JPEG (.pdf, .png, .jpg, .jpeg).", "invalid_file")
    if sniff(content) != expected:
        raise field_error("content_base64", "The file's content does not match its extension.", "invalid_file")
    return expected


def add_evidence_file(viewer: Viewer, content: bytes, file_name: str, finding=None, action=None) -> EvidenceFile:
    """Attach a file to a finding (by its audit firm) or to a corrective action (by the owning organization)."""
    owner_id = finding.audit_firm_id if finding is not None else action.organization_id
    if owner_id != viewer.organization.pk:
        raise field_error("id", "Only the organization that owns it can add evidence.", "not_editable")
    content_type = check(content, file_name)
    name = os.path.basename(file_name)[:200]
    evidence = EvidenceFile(finding=finding, action=action, original_name=name, content_type=content_type,
                            size=len(content), uploaded_by=viewer.user)
    storage.save(evidence.file, name, ContentFile(content), encrypt=True)
    evidence.save()
    return evidence
