"""Plain HTTP downloads of exports, for `curl` and for browsers.

    curl -H "Authorization: Bearer $TOKEN" -o network.xlsx http://127.0.0.1:8000/exports/network.xlsx
    curl -H "Authorization: Bearer $TOKEN" -o facilities.csv http://127.0.0.1:8000/exports/oshub.csv

A bearer token or a logged-in session is required (401 otherwise); the supply network is a company's, so only
company users download it, viewers included (403 for any other organization).
"""

import io
import tempfile

from django.http import FileResponse, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from backend.http import authenticated, error
from backend.permissions import Permission
from backend.xlsx import CONTENT_TYPE
from exports.oshub import write_oshub_list
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


@require_GET
@authenticated
def oshub(request, viewer):
    """`GET /exports/oshub.csv`: the company's facilities as an Open Supply Hub list upload."""
    if not Permission.READ_NETWORK.allows(viewer):
        return error(403, "PERMISSION_DENIED", "Only companies have facilities to publish to Open Supply Hub.")
    out = io.StringIO()
    write_oshub_list(viewer, out)
    filename = f"{slugify(viewer.organization.name) or 'company'}-open-supply-hub-list.csv"
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
