"""Plain HTTP downloads of exports, for `curl` and for browsers.

    curl -H "Authorization: Bearer $TOKEN" -o network.xlsx http://127.0.0.1:8000/exports/network.xlsx

A bearer token or a logged-in session is required (401 otherwise); the supply network is a company's, so only
company users download it, viewers included (403 for any other organization).
"""

import tempfile

from django.http import FileResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from backend.http import authenticated, error
from backend.permissions import Permission
from backend.xlsx import CONTENT_TYPE
from exports.services import write_network


@require_GET
@authenticated
def network(request, viewer):
    """`GET /exports/network.xlsx`: the company's supply network in the supply-map import layout."""
    if not Permission.READ_NETWORK.allows(viewer):
        return error(403, "PERMISSION_DENIED", "Only companies have a supply network to export.")
    out = tempfile.TemporaryFile()  # on disk, not in memory; FileResponse streams it, then closes it
    exported = write_network(viewer, out)
    out.seek(0)
    filename = f"{slugify(exported.organization) or 'company'}-supply-network-{exported.exported_at:%Y-%m-%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
