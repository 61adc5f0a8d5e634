"""Open Supply Hub facility lists import as they are: the generated corpus (tests/fixtures/oshub/), one command
per list, one site per facility, no question for an exact match, and nothing changed by importing any list again."""

import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from graph.models import NetworkSite, NetworkSiteAlias, Site, Supplier
from imports.models import ImportJob, Status

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures" / "oshub"))
from make_oshub_lists import write_corpus  # noqa: E402


def import_list(company, path: Path) -> ImportJob:
    """`manage.py import_file supply_map PATH --org ORG`, as a migrating user runs it; the job it ran."""
    out = StringIO()
    try:
        call_command("import_file", "supply_map", str(path), "--org", company.name, stdout=out, stderr=StringIO())
    except SystemExit:
        pass
    job = ImportJob.objects.latest("pk")
    assert job.status == Status.COMMITTED, out.getvalue()
    return job


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path)


def test_every_list_imports_as_it_is_and_leaves_one_site_per_facility(analyst, company, corpus):
    # given the corpus of OS Hub lists, as brands publish them
    # when each is imported with one command, in turn
    jobs = [import_list(company, path) for path in corpus.paths]
    # then none asked a question, and there is exactly one site per distinct facility
    assert all(job.summary["review"] == 0 for job in jobs)
    sites = Site.objects.all()
    assert sites.count() == len(corpus.facilities)
    assert NetworkSite.objects.filter(company=company).count() == len(corpus.facilities)
    # and each facility holds what the lists said: its country as a code, its OS ID, its commodities
    by_os_id = {site.os_id: site for site in sites if site.os_id}
    for facility in corpus.facilities:
        if facility.os_id:
            assert by_os_id[facility.os_id].country == facility.country
    saigon = by_os_id["VN2019300QW12ER"]
    assert {c.code for c in saigon.commodities.all()} == {"footwear"}
    assert saigon.workers == 7500  # the midpoint of 5001-10000
    entry = NetworkSite.objects.get(company=company, site=saigon)
    assert entry.extra["product_type"] == ["Sneakers"]
    # and the parent companies are the sites' suppliers, one per group
    assert Supplier.objects.filter(name="Sunrise Group").count() == 1


def test_reimporting_any_list_changes_nothing(analyst, company, corpus):
    # given every list imported once
    for path in corpus.paths:
        import_list(company, path)
    aliases = NetworkSiteAlias.objects.count()
    # when each is imported again
    for path in corpus.paths:
        job = import_list(company, path)
        # then nothing is created or updated: each site is found under the reference the list gives it
        assert (job.created_count, job.updated_count) == (0, 0), (path.name, job.summary)
    assert Site.objects.count() == len(corpus.facilities)
    assert NetworkSiteAlias.objects.count() == aliases
