"""Evidence files are stored encrypted and downloaded through an authenticated endpoint, by those who may see the
finding or the corrective action they document, and by nobody else (a foreign or unknown ID is the same 404)."""

import base64
import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import Client
from graphql_relay import to_global_id

from audits.models import EvidenceFile
from audits.services import assignments
from backend.models import ApiToken

MARKER = b"Payslip of a 13-year-old worker"
PDF = b"%PDF-1.4\n" + MARKER + b"\n%%EOF\n"
UPLOAD = """mutation($finding: ID, $action: ID, $name: String!, $content: String!) {
  evidenceFileAdd(findingId: $finding, correctiveActionId: $action, fileName: $name, contentBase64: $content) {
    evidenceFile { id downloadUrl } errors { field code } } }"""
FINDING_FILES = "query($id: ID!) { finding(id: $id) { evidenceFiles { originalName downloadUrl } } }"
NOT_FOUND = {"errors": [{"field": None, "code": "NOT_FOUND"}]}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def evidence(api, full_world, media_root):
    """Audit firm F's PDF on its finding, whose audit is shared with company A."""
    stored = api(full_world.users["f"]).data(UPLOAD, {
        "finding": full_world.ids["finding"], "name": "fiche de paie été.pdf",
        "content": base64.b64encode(PDF).decode(),
    })["evidenceFileAdd"]
    assert stored["errors"] == []
    return stored["evidenceFile"]


def download(user, url: str):
    headers = {}
    if user is not None:
        _, token = ApiToken.issue(user, "test")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().get(url, **headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def errors(response) -> dict:
    return {"errors": [{key: error[key] for key in ("field", "code")} for error in response.json()["errors"]]}


def test_evidence_is_stored_encrypted_and_downloaded_as_an_attachment(full_world, evidence, media_root):
    # given F's PDF; then storage holds only its ciphertext
    stored = [path for path in media_root.rglob("*") if path.is_file()]
    assert len(stored) == 1 and stored[0].name.endswith(".enc")
    assert MARKER not in stored[0].read_bytes()
    # when the audit firm downloads it from the URL the API gives
    assert evidence["downloadUrl"].startswith("http://testserver/audits/evidence/")
    response = download(full_world.users["f"], evidence["downloadUrl"])
    # then it gets the bytes it uploaded, as an attachment under its name, with its type, nosniff and uncached
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''fiche%20de%20paie%20%C3%A9t%C3%A9.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_company_the_finding_is_shared_with_downloads_it_until_the_share_is_revoked(api, full_world, evidence):
    w = full_world
    # given company A, which sees the finding through the shared audit, and its URL from the API
    listed = api(w.users["a"]).data(FINDING_FILES, {"id": w.ids["finding"]})["finding"]["evidenceFiles"]
    assert [file["downloadUrl"] for file in listed] == [evidence["downloadUrl"]]
    # then a viewer of A downloads it
    assert body(download(w.users["a_viewer"], evidence["downloadUrl"])) == PDF
    # when the share is revoked, it is not found any more
    assignments.revoke_share(w.viewer("f"), w.orgs["a"], audit=w.objects["audit"])
    response = download(w.users["a"], evidence["downloadUrl"])
    assert response.status_code == 404 and errors(response) == NOT_FOUND


@pytest.mark.parametrize("outsider", ["b", "c", "g", "w", "w2"])
def test_who_may_not_see_the_finding_gets_the_same_404_as_for_an_unknown_id(full_world, evidence, outsider):
    foreign = download(full_world.users[outsider], evidence["downloadUrl"])
    unknown = download(full_world.users[outsider], f"/audits/evidence/{to_global_id('EvidenceFile', 999999)}/")
    assert (foreign.status_code, unknown.status_code) == (404, 404)
    assert errors(foreign) == errors(unknown) == NOT_FOUND


def test_an_id_of_another_type_or_malformed_is_not_found_and_anonymous_is_unauthenticated(full_world, evidence):
    evidence_id = EvidenceFile.objects.get().pk
    for url in (f"/audits/evidence/{to_global_id('Finding', evidence_id)}/", "/audits/evidence/%25%25%25/",
                f"/audits/evidence/{evidence_id}/"):
        response = download(full_world.users["f"], url)
        assert response.status_code == 404 and errors(response) == NOT_FOUND, url
    anonymous = download(None, evidence["downloadUrl"])
    assert anonymous.status_code == 401


def test_a_logged_in_browser_downloads_it_too(full_world, evidence):
    client = Client()
    client.force_login(full_world.users["a"])
    response = client.get(evidence["downloadUrl"])
    assert response.status_code == 200 and body(response) == PDF


def test_evidence_of_a_corrective_action_follows_the_action(api, full_world, media_root):
    w = full_world
    png = b"\x89PNG\r\n\x1a\n" + MARKER
    stored = api(w.users["a"]).data(UPLOAD, {"action": w.ids["action"], "name": "receipt.png",
                                              "content": base64.b64encode(png).decode()})["evidenceFileAdd"]
    url = stored["evidenceFile"]["downloadUrl"]
    response = download(w.users["a"], url)
    assert (response.status_code, response["Content-Type"], body(response)) == (200, "image/png", png)
    assert download(w.users["b"], url).status_code == 404


def test_a_file_name_with_control_characters_is_refused(api, full_world, media_root):
    refused = api(full_world.users["f"]).data(UPLOAD, {
        "finding": full_world.ids["finding"], "name": "payslips\r\nSet-Cookie: x.pdf",
        "content": base64.b64encode(PDF).decode(),
    })["evidenceFileAdd"]
    assert refused["errors"] == [{"field": "fileName", "code": "INVALID_FILE"}]
    assert not EvidenceFile.objects.exists()


def test_after_a_key_rotation_the_old_key_can_be_dropped(full_world, evidence, media_root, settings):
    # given evidence encrypted with the key in force, and a new key put in front of it
    old_key = settings.GRIEVANCE_ENCRYPTION_KEY
    settings.GRIEVANCE_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{old_key}"
    before = EvidenceFile.objects.get().file.name
    # when the key is rotated, and the old key dropped
    out = io.StringIO()
    call_command("rotate_grievance_key", stdout=out)
    settings.GRIEVANCE_ENCRYPTION_KEY = settings.GRIEVANCE_ENCRYPTION_KEY.split(",")[0]
    # then the file was stored again under a new name, the old copy is gone, and it still downloads
    assert "1 stored file(s) re-encrypted" in out.getvalue()
    after = EvidenceFile.objects.get().file.name
    assert after != before and [path.name for path in media_root.rglob("*.enc")] == [after.rsplit("/", 1)[1]]
    assert body(download(full_world.users["f"], evidence["downloadUrl"])) == PDF
