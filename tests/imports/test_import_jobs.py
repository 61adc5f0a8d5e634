"""Import jobs end to end in this process: the hostile corpus through a job, the import_file command, and a
failed job that can be retried."""

import gc
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from backend.tenancy import Viewer
from graph.models import NetworkSite, Site
from imports.models import ImportJob, ImportProblem, Status
from imports.services import jobs
from support.import_helpers import SUPPLY_MAP_HEADER, csv_text, dry_run, upload

BAD = Path(__file__).parents[1] / "fixtures" / "bad"
MANIFEST = json.loads((BAD / "MANIFEST.json").read_text())
MAP = csv_text(SUPPLY_MAP_HEADER, [
    ["S-1", "Usine Nord", "facility", "", "FR", "cotton", "", "", "", "cotton", "0.5"],
    ["S-2", "Ferme Sud", "farm", "", "FR", "cotton", "", "", "S-1", "cotton", "1"],
])


@pytest.mark.parametrize("name", sorted(name for name, code in MANIFEST.items() if code != "ok"))
def test_every_hostile_file_is_rejected_with_its_own_code_and_writes_nothing(analyst, name):
    # given a hostile or broken file from the corpus, uploaded for a commit
    job = dry_run(analyst, "supply_map", (BAD / name).read_bytes(), name=name)
    # then the job is rejected with the file's specific code and a message naming the file; nothing is written
    assert job.status == Status.REJECTED
    problem = ImportProblem.objects.get(job=job)
    assert (problem.code, problem.row, problem.severity) == (MANIFEST[name], None, "error")
    assert name in problem.message
    assert not Site.objects.exists()


def test_formula_text_is_stored_as_text_never_evaluated(analyst):
    header = ["Site reference", "Site name", "Country"]
    job = jobs.commit(jobs.create_job(
        __import__("backend.tenancy", fromlist=["Viewer"]).Viewer.of(analyst), "supply_map",
        upload(csv_text(header, [["S-1", "=HYPERLINK(\"http://x\")", "FR"], ["S-2", "+cmd|' /C calc'!A0", "FR"]])),
        commit=True, queue=False))
    assert job.status == Status.COMMITTED
    assert sorted(Site.objects.values_list("name", flat=True)) == ["+cmd|' /C calc'!A0", '=HYPERLINK("http://x")']


def test_import_file_command_dry_run_then_commit_with_a_progress_bar(analyst, company, tmp_path):
    # given a supply map on disk
    path = tmp_path / "map.csv"
    path.write_text(MAP)
    out, err = StringIO(), StringIO()
    # when it is dry-run from the shell
    call_command("import_file", "supply_map", str(path), "--org", company.name, "--dry-run", stdout=out, stderr=err)
    # then the report says what would happen and nothing is written
    assert "ready" in out.getvalue() and "2 created" in out.getvalue()
    assert "validating" in err.getvalue() and "[" in err.getvalue()
    assert not Site.objects.exists()
    # and when it is committed, the network is written and the bar shows the writing phase
    out, err = StringIO(), StringIO()
    call_command("import_file", "supply_map", str(path), "--org", company.name, stdout=out, stderr=err)
    assert "committed" in out.getvalue()
    assert "writing" in err.getvalue()
    assert NetworkSite.objects.filter(company=company).count() == 2


def test_import_file_command_exits_non_zero_on_problems(analyst, company, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(["Site reference", "Site name", "Country"], [["S-1", "Mill", "Atlantis"]]))
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import_file", "supply_map", str(path), "--org", company.name, stdout=out, stderr=StringIO())
    assert exited.value.code == 1
    assert "row 2, Country: 'Atlantis' is not a country" in out.getvalue()


def test_a_failed_job_keeps_nothing_and_commits_on_retry(analyst, company, media_root):
    # given a job whose stored file went missing while queued (the commit fails unexpectedly)
    job = dry_run(analyst, "supply_map", MAP)
    stored = Path(job.file.path)
    content = stored.read_bytes()
    stored.unlink()
    job = jobs.commit(job)
    assert job.status == Status.FAILED and "FileNotFoundError" in job.error
    assert not Site.objects.exists()
    # when the file is back and the commit is asked again
    stored.write_bytes(content)
    job = jobs.commit(ImportJob.objects.get(pk=job.pk))
    # then it commits
    assert job.status == Status.COMMITTED and job.attempts == 2
    assert NetworkSite.objects.filter(company=company).count() == 2


@pytest.mark.parametrize("content", [MAP, b"\x00\x01 binary junk"], ids=["clean", "rejected"])
def test_the_garbage_collector_is_paused_while_a_job_runs_and_back_on_after(analyst, content):
    seen = []
    job = jobs.create_job(Viewer.of(analyst), "supply_map", upload(content), commit=True, queue=False)
    jobs.commit(job, listener=lambda phase, done, total: seen.append(gc.isenabled()))
    assert seen and not any(seen)
    assert gc.isenabled()
