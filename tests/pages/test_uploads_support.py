"""What the upload pages' tests share (no tests here): an audit firm assigned to a company's mill, findings files
with and without errors, and a supply map naming a site like one already in the company's network.

Imported by name (`from test_uploads_support import ...`): pytest puts tests/pages on the path of its modules.
"""

import pytest

from audits.services import assignments
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site
from support.import_helpers import csv_text, xlsx_bytes

MILL_OS_ID = "IN2019067X1K87E"
FINDINGS_SHEET = "Findings"
FINDINGS_HEADER = ["Audit reference", "Site reference", "Open Supply Hub ID", "Audit standard", "Audit type",
                   "Audit start date", "Audit end date", "Finding reference", "Category", "Severity", "Description",
                   "Status"]
REVIEW_HEADER = ["Site reference", "Site name", "Address", "Country"]


def findings_rows(second_category: str) -> list[list[str]]:
    return [
        ["AU-1", "M", MILL_OS_ID, "SMETA", "unannounced", "2026-03-02", "2026-03-04", "F-1", "debt_bondage", "major",
         "Recruitment fees of 1200 USD", "open"],
        ["AU-1", "M", "", "", "", "2026-03-02", "", "F-2", second_category, "minor", "72-hour weeks", ""],
    ]


def bad_findings() -> bytes:
    """Two findings of one audit; the second's category (row 3 of sheet Findings) is not one of the taxonomy's."""
    return xlsx_bytes(FINDINGS_HEADER, findings_rows("witchcraft"), title=FINDINGS_SHEET)


def good_findings() -> bytes:
    """The same file corrected."""
    return xlsx_bytes(FINDINGS_HEADER, findings_rows("Excessive overtime"), title=FINDINGS_SHEET)


def similar_site_map() -> str:
    """One uploaded site written like the company's "Sunrise Garments" (see `similar_site`): a review question."""
    return csv_text(REVIEW_HEADER, [["S-1", "Sunrise Garment", "Plot 4 Tirupur", "IN"]])


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads are stored under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def auditor(make_org, make_user):
    """An analyst of an audit firm."""
    return make_user(make_org("Veritas Audits", OrganizationKind.AUDIT_FIRM), Role.ANALYST)


@pytest.fixture
def audited_sites(analyst, auditor):
    """Company A's public mill (with an OS ID), the auditor's firm assigned to it."""
    mill = add_site(analyst, "Shared Mill", os_id=MILL_OS_ID)
    assignments.assign(Viewer.of(analyst), mill, auditor.organization)
    return {"mill": mill}


@pytest.fixture
def similar_site(analyst):
    """A site of company A's network that `similar_site_map()` names differently."""
    return add_site(analyst, "Sunrise Garments", country="IN", address="Plot 4, Tiruppur", internal_ref="OLD")
