"""Hotline logs name reporters: whatever becomes of their job, no reporter's name or contact is found in plain text
in storage, in the database or in a temporary file left behind (each outcome scans all three), while a dry run
can still be committed later and an invalid file still gets its annotated error report."""

import dataclasses
import io
import tempfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from graphql_relay import to_global_id
from openpyxl import load_workbook

from backend.dispatch import task_named
from backend.models import ApiToken, OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site
from imports.models import ImportJob, Status
from imports.services import jobs, kinds, uploads
from support.import_helpers import commit, csv_text, dry_run, problems, upload

MILL_OS_ID = "IN2019067X1K87E"
NAME, CONTACT, UNNAMED = "Ravi Kumar", "+91 98400 12345", "Anita Desai"
SECRETS = (NAME, CONTACT, UNNAMED)
HEADER = ["Grievance reference", "Open Supply Hub ID", "Category", "Description", "Date of events", "Reporter name",
          "Reporter contact", ""]


def hotline_log(events_date: str = "2026-02-01") -> str:
    """One grievance naming its reporter, and under a column without a header, another person's name."""
    return csv_text(HEADER, [
        ["G-1", MILL_OS_ID, "retention_of_identity_documents", "Passports kept", events_date, NAME, CONTACT, UNNAMED],
    ])


@pytest.fixture
def workers(make_org, make_user, analyst):
    """A workers' organization, and company A's public mill for its grievances to be about."""
    add_site(analyst, "Shared Mill", os_id=MILL_OS_ID)
    return make_user(make_org("Workers Org W", OrganizationKind.WORKERS_ORG), Role.ANALYST)


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    """Every temporary file of this process (the readers' copies, openpyxl's sheets, Django's spooled uploads)."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def files_holding(root: Path, texts=SECRETS) -> list[str]:
    return [str(path) for path in root.rglob("*") if path.is_file()
            if any(text.encode() in path.read_bytes() for text in texts)]


def tables_holding(texts=SECRETS) -> list[str]:
    """Tables any row of which holds one of the texts, in any column (each row cast to text)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for text in texts:
                cursor.execute(f'SELECT count(*) FROM "{table}" AS row WHERE row::text LIKE %s', [f"%{text}%"])
                if cursor.fetchone()[0]:
                    found.append(f"{table}: {text}")
    return found


def assert_nothing_in_plain_text(media_root: Path, temp_dir: Path) -> None:
    assert files_holding(media_root) == []
    assert tables_holding() == []
    assert list(temp_dir.iterdir()) == []


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in (media_root / "imports").glob("*")] if (media_root / "imports").exists() else []


def error_report(user, job) -> list[str]:
    """The cells of the job's error report, as text, sheet by sheet."""
    _, token = ApiToken.issue(user, "test")
    response = Client().get(f"/imports/jobs/{to_global_id('ImportJob', job.pk)}/error-report.xlsx",
                            HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {sheet.title: [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
            for sheet in workbook.worksheets}


def later(days_after_retention: float = 1):
    return timezone.now() + settings.CONFIDENTIAL_UPLOAD_RETENTION + timezone.timedelta(days=days_after_retention)


def test_a_dry_run_is_stored_encrypted_and_can_be_committed_later(postgres, workers, media_root, temp_dir,
                                                                   django_capture_on_commit_callbacks):
    # given a hotline log validated (a dry run)
    job = dry_run(workers, "grievances", hotline_log())
    # then it is ready, and only its ciphertext is stored, under a name that says so
    assert job.status == Status.READY, problems(job)
    assert job.file.name.endswith(".enc") and len(stored_files(media_root)) == 1
    assert_nothing_in_plain_text(media_root, temp_dir)
    # when it is committed later (by a worker that reads the encrypted upload)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.request_commit(job)
        job = jobs.commit(ImportJob.objects.get(pk=job.pk))
    # then it is written, and its upload is deleted
    assert job.status == Status.COMMITTED
    assert not ImportJob.objects.get(pk=job.pk).file and stored_files(media_root) == []
    assert_nothing_in_plain_text(media_root, temp_dir)


def test_a_value_without_header_is_not_kept_in_a_problem_of_a_confidential_kind(postgres, workers, media_root,
                                                                                 temp_dir):
    # given a hotline log with a person's name in a column without a header
    job = dry_run(workers, "grievances", hotline_log())
    # then the problem says where it is, but not what it is
    problem = job.problems.get(code="value_without_header")
    assert (problem.row, problem.column, problem.value) == (2, "", "")
    assert problem.message.startswith("Column H has values")
    assert_nothing_in_plain_text(media_root, temp_dir)


def test_a_problem_about_a_reporter_keeps_no_value(postgres, workers, media_root, temp_dir):
    # given a reporter's name longer than a reporter's name may be, under a header of the user's own
    header = [*HEADER[:5], "Complainant", *HEADER[6:7]]
    log = csv_text(header, [["G-1", MILL_OS_ID, "isolation", "Locked in", "2026-02-01", NAME * 30, CONTACT]])
    job = dry_run(workers, "grievances", log)
    # then the problem names the column but keeps no value
    problem = job.problems.get(code="too_long")
    assert (problem.column, problem.value) == ("Complainant", "")
    assert_nothing_in_plain_text(media_root, temp_dir)


def test_an_invalid_file_keeps_its_annotated_report_until_it_expires(postgres, workers, media_root, temp_dir):
    # given a hotline log with a problem (events in the future)
    job = dry_run(workers, "grievances", hotline_log(events_date="2999-01-01"))
    assert job.status == Status.INVALID
    assert_nothing_in_plain_text(media_root, temp_dir)
    # then its error report marks the upload up: the copy is decrypted for the report, which leaves no file behind
    report = error_report(workers, job)
    assert NAME in report["upload.csv"] and "out_of_range" in report["Problems"]
    assert_nothing_in_plain_text(media_root, temp_dir)
    # when nobody touches it for the retention period
    assert uploads.expire_abandoned(now=later(-1)) == 0
    assert uploads.expire_abandoned(now=later()) == 1
    # then its upload is deleted; it stays invalid and its report lists the problems only
    job.refresh_from_db()
    assert job.status == Status.INVALID and not job.file and stored_files(media_root) == []
    assert list(error_report(workers, job)) == ["Problems"]


def test_a_rejected_file_is_deleted_at_once(postgres, workers, media_root, temp_dir,
                                            django_capture_on_commit_callbacks):
    # given a hotline log cut off inside a quoted field, which cannot be read
    broken = hotline_log().replace(NAME, f'"{NAME}\n\x00')
    with django_capture_on_commit_callbacks(execute=True):
        job = dry_run(workers, "grievances", broken)
    # then the job is rejected and its upload deleted
    assert job.status == Status.REJECTED, problems(job)
    assert not ImportJob.objects.get(pk=job.pk).file and stored_files(media_root) == []
    assert_nothing_in_plain_text(media_root, temp_dir)


def test_a_failed_job_keeps_its_upload_to_be_retried_then_expires(postgres, workers, media_root, temp_dir, monkeypatch):
    # given a grievance commit that fails unexpectedly (its planner breaks)
    def broken_planner(*args):
        raise RuntimeError("planner broke")

    grievances = dataclasses.replace(kinds.IMPORT_KINDS["grievances"], start=kinds.planned_whole(broken_planner))
    monkeypatch.setitem(kinds.IMPORT_KINDS, "grievances", grievances)
    job = commit(workers, "grievances", hotline_log())
    assert job.status == Status.FAILED
    # then its upload is kept, encrypted, to be retried
    assert ImportJob.objects.get(pk=job.pk).file and len(stored_files(media_root)) == 1
    assert_nothing_in_plain_text(media_root, temp_dir)
    # when it is abandoned for the retention period
    assert uploads.expire_abandoned(now=later()) == 1
    # then the upload is deleted, and the job says why it cannot be committed any more
    job.refresh_from_db()
    assert job.status == Status.REJECTED and not job.file and stored_files(media_root) == []
    assert problems(job) == [(None, "", "upload_deleted")]
    with pytest.raises(Exception) as refused:
        jobs.request_commit(job)
    assert refused.value.error_dict["id"][0].code == "has_problems"


def test_a_commit_after_the_upload_was_deleted_is_refused_saying_why(postgres, workers, media_root, temp_dir):
    # given a validated hotline log whose upload the expiry deletes between the commit's request and its run
    job = dry_run(workers, "grievances", hotline_log())
    uploads.forget(job)
    job = jobs.commit(ImportJob.objects.get(pk=job.pk))
    # then the commit is refused with a message saying why, and nothing is written
    assert job.status == Status.REJECTED
    assert "no longer kept" in job.problems.get().message
    assert_nothing_in_plain_text(media_root, temp_dir)


def test_an_ended_job_whose_upload_was_left_behind_is_cleaned_up(postgres, workers, media_root, temp_dir):
    # given a committed job whose process died before deleting its upload (on-commit callbacks never ran here)
    job = commit(workers, "grievances", hotline_log())
    assert job.status == Status.COMMITTED and len(stored_files(media_root)) == 1
    # when the hourly expiry runs, however recent the job
    assert uploads.expire_abandoned() == 1
    # then the upload is gone
    assert stored_files(media_root) == [] and not ImportJob.objects.get(pk=job.pk).file


def test_other_kinds_are_stored_as_uploaded(analyst, media_root):
    job = jobs.create_job(Viewer.of(analyst), "supply_map", upload(b"Site reference,Site name,Country\nS-1,Mill,IN\n"),
                          queue=False)
    assert not job.file.name.endswith(".enc")
    assert job.file.read() == b"Site reference,Site name,Country\nS-1,Mill,IN\n"


def test_a_pending_upload_is_re_encrypted_by_a_key_rotation(postgres, workers, media_root, temp_dir, settings):
    # given a dry run stored under the key in force, then a new key put in front and the key rotated
    job = dry_run(workers, "grievances", hotline_log())
    old_key = settings.GRIEVANCE_ENCRYPTION_KEY
    settings.GRIEVANCE_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{old_key}"
    call_command("rotate_grievance_key", stdout=io.StringIO())
    # when the old key is dropped
    settings.GRIEVANCE_ENCRYPTION_KEY = settings.GRIEVANCE_ENCRYPTION_KEY.split(",")[0]
    # then the job still commits, reading its upload under the new key
    job = jobs.commit(ImportJob.objects.get(pk=job.pk))
    assert job.status == Status.COMMITTED, job.error
    assert_nothing_in_plain_text(media_root, temp_dir)


def test_the_hourly_task_in_the_beat_schedule_expires_abandoned_uploads(postgres, workers, media_root, temp_dir):
    # given a dry run nobody came back to, past the retention period
    job = dry_run(workers, "grievances", hotline_log())
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - settings.CONFIDENTIAL_UPLOAD_RETENTION * 2)
    # when beat's scheduled task runs
    schedule = settings.CELERY_BEAT_SCHEDULE["imports-expire-confidential-uploads"]
    assert schedule["schedule"] <= 3600
    assert task_named(schedule["task"]).apply().get() == 1
    # then its upload is gone
    assert stored_files(media_root) == [] and ImportJob.objects.get(pk=job.pk).status == Status.REJECTED
