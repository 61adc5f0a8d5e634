"""Plain HTTP endpoints of audits: the download of an evidence file.

    curl -H "Authorization: Bearer $TOKEN" -OJ http://127.0.0.1:8000/audits/evidence/<evidence file ID>/

A bearer token or a logged-in session is needed. The file is reached through the tenancy chokepoint: one the
viewer may not see (its finding or corrective action is not visible to them) is "not found", exactly like one
that does not exist. It is decrypted as it is sent, never stored in plain text.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.views.decorators.http import require_GET

from audits.models import EvidenceFile
from backend import storage
from backend.graphql.ids import decode_id
from backend.http import authenticated, error
from backend.tenancy import visible


@require_GET
@authenticated
def evidence_download(request, viewer, evidence_id: str):
    """`GET /audits/evidence/<ID>/`: the file as an attachment under its original name, with the content type found
    in its bytes at upload; nosniff, so that no browser takes it for anything else, and never cached."""
    try:
        pk = decode_id(evidence_id, "EvidenceFile", "id")
    except ValidationError:
        pk = None
    evidence = visible(EvidenceFile, viewer).filter(pk=pk).first() if pk else None
    if evidence is None:
        return error(404, "NOT_FOUND", f"No EvidenceFile with ID '{evidence_id}' exists or it is not visible to you.")
    response = FileResponse(storage.open_plaintext(evidence.file), as_attachment=True,
                            filename=evidence.original_name, content_type=evidence.content_type)
    response["Content-Length"] = evidence.size
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
