"""Entity resolution of uploaded sites: properties of the matcher, and the review queue through the API."""

import random

import pytest
from graphql_relay import to_global_id
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.tenancy import Viewer
from factories import add_site
from graph.models import NetworkSite, Site
from imports.models import ResolutionDecision, Status
from imports.services import jobs
from imports.services.resolution import (
    REVIEW_THRESHOLD,
    RegistrySite,
    UploadedSite,
    blocking_keys,
    match_in_registry,
    normalize_name,
    normalize_text,
    similarity,
)
from support.import_helpers import csv_text, problems, upload

HEADER = ["Site reference", "Site name", "Address", "Country"]
DECIDE = """mutation($job: ID!, $ref: String!, $site: ID) {
  importSiteMatchDecide(jobId: $job, siteRef: $ref, siteId: $site) { job { status } errors { field code } }
}"""
CANDIDATES = """query($id: ID!) { importJob(id: $id) { status awaitingReview
  resolutionCandidates(first: 10) { totalCount edges { node { siteRef name score method site { id name } } } } } }"""

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)
names = st.lists(words, min_size=1, max_size=4).map(" ".join)
registries = st.lists(st.tuples(names, st.sampled_from(["", "1 main road", "route 2"]), st.sampled_from(["IN", "FR"])),
                      min_size=1, max_size=25)


def registry_of(entries) -> list[RegistrySite]:
    return [RegistrySite(index + 1, name, address, country) for index, (name, address, country) in enumerate(entries)]


@settings(max_examples=60, deadline=None)
@given(registries, st.data())
def test_a_site_written_differently_but_equal_once_normalized_is_matched_or_sent_to_review(entries, data):
    registry = registry_of(entries)
    target = data.draw(st.sampled_from(registry))
    shouted = UploadedSite("R", 2, f"  {target.name.upper()} Pvt. Ltd. ", target.address.upper() + " ", target.country)
    result = match_in_registry([shouted], registry)
    same = [s.id for s in registry if (normalize_name(s.name), normalize_text(s.address), s.country)
            == (normalize_name(target.name), normalize_text(target.address), target.country)]
    if len(same) == 1:
        assert result.matched["R"].site_id == target.id
    else:
        assert sorted(c.site_id for c in result.ambiguous["R"]) == sorted(same)[:5]


@settings(max_examples=60, deadline=None)
@given(registries, names, st.sampled_from(["IN", "FR"]))
def test_nothing_but_an_exact_normalized_match_is_ever_merged_silently(entries, name, country):
    registry = registry_of(entries)
    result = match_in_registry([UploadedSite("R", 2, name, "", country)], registry)
    for match in result.matched.values():
        site = next(s for s in registry if s.id == match.site_id)
        assert (normalize_name(site.name), normalize_text(site.address)) == (normalize_name(name), "")


@settings(max_examples=60, deadline=None)
@given(registries, names, st.sampled_from(["IN", "FR"]), st.randoms())
def test_the_result_does_not_depend_on_the_registry_order(entries, name, country, rng):
    registry = registry_of(entries)
    shuffled = list(registry)
    rng.shuffle(shuffled)
    upload = [UploadedSite("R", 2, name, "", country)]
    assert match_in_registry(upload, registry) == match_in_registry(upload, shuffled)


@settings(max_examples=60, deadline=None)
@given(registries, names, st.sampled_from(["IN", "FR"]))
def test_blocking_finds_every_similar_site_that_shares_a_block(entries, name, country):
    """Blocked search equals brute force over the sites of the same country sharing a blocking key."""
    registry = registry_of(entries)
    found = match_in_registry([UploadedSite("R", 2, name, "", country)], registry)
    if "R" not in found.ambiguous or found.ambiguous["R"][0].method != "fuzzy":
        return
    brute = sorted(
        (-similarity(normalize_name(name), "", normalize_name(s.name), normalize_text(s.address)), s.id)
        for s in registry
        if s.country == country and blocking_keys(normalize_name(s.name)) & blocking_keys(normalize_name(name))
    )
    expected = [site_id for score, site_id in brute if -score >= REVIEW_THRESHOLD][:5]
    assert [c.site_id for c in found.ambiguous["R"]] == expected


@settings(max_examples=60, deadline=None)
@given(registries, st.data())
def test_a_registry_site_with_another_os_id_is_never_a_candidate(entries, data):
    """Two Open Supply Hub IDs are two facilities: however alike the names, no match and no review."""
    registry = [RegistrySite(s.id, s.name, s.address, s.country, f"IN2019{s.id:03d}AAAAAA")
                for s in registry_of(entries)]
    target = data.draw(st.sampled_from(registry))
    same_name = UploadedSite("R", 2, target.name, target.address, target.country)
    result = match_in_registry([same_name], registry)
    assert "R" in result.matched or "R" in result.ambiguous  # without an OS ID, the look-alike is found
    with_os_id = match_in_registry([UploadedSite("R", 2, target.name, target.address, target.country,
                                                 "IN2019999ZZZZZZ")], registry)
    assert with_os_id.new == {"R"}
    own_os_id = match_in_registry([UploadedSite("R", 2, target.name, target.address, target.country, target.os_id)],
                                  registry)
    assert own_os_id.matched["R"].site_id == target.id  # look-alikes with other OS IDs leave one exact match


def test_the_same_site_with_another_legal_form_and_accents_joins_the_registry_entry(analyst, other_analyst, company):
    # given a public site in the registry (another company registered it, with an OS ID)
    public = add_site(other_analyst, "Sunrise Garments Pvt. Ltd.", country="IN", address="Plot 4, Tiruppur",
                      os_id="IN2019067X1K87E")
    # when company A uploads it under its own reference, written differently
    job = jobs.commit(make_job(analyst, [["S-1", "SUNRISE GARMENTS LIMITED", "plot 4 tiruppur", "IN"]], commit=True))
    # then A's network holds the registry site itself: no duplicate
    assert job.status == Status.COMMITTED, problems(job)
    assert NetworkSite.objects.get(company=company, internal_ref="S-1").site == public
    assert Site.objects.count() == 1


def make_job(user, rows, commit=False):
    return jobs.create_job(Viewer.of(user), "supply_map", upload(csv_text(HEADER, rows)), commit=commit, queue=False)


@pytest.fixture
def similar(analyst):
    """A site of A's network and an upload naming a site very like it under a new reference."""
    site = add_site(analyst, "Sunrise Garments", country="IN", address="Plot 4, Tiruppur", internal_ref="OLD")
    job = jobs.validate(make_job(analyst, [["S-1", "Sunrise Garment", "Plot 4 Tirupur", "IN"]]))
    return site, job


def test_a_similar_site_waits_for_review_and_is_never_merged_silently(api, analyst, similar):
    site, job = similar
    # when the job is read
    seen = api(analyst).data(CANDIDATES, {"id": to_global_id("ImportJob", job.pk)})["importJob"]
    # then it waits for a decision, naming the candidate; committing it is refused
    assert (seen["status"], seen["awaitingReview"]) == ("NEEDS_REVIEW", 1)
    candidate = seen["resolutionCandidates"]["edges"][0]["node"]
    assert (candidate["siteRef"], candidate["method"], candidate["site"]["name"]) == ("S-1", "fuzzy", "Sunrise Garments")
    assert REVIEW_THRESHOLD <= candidate["score"] < 100
    refused = api(analyst).data("mutation($id: ID!) { importJobCommit(id: $id) { errors { code } } }",
                                {"id": to_global_id("ImportJob", job.pk)})
    assert refused["importJobCommit"]["errors"] == [{"code": "NEEDS_REVIEW"}]
    assert Site.objects.count() == 1


def test_deciding_the_match_revalidates_and_is_remembered(api, analyst, company, similar, django_capture_on_commit_callbacks):
    site, job = similar
    # when the user says the uploaded S-1 is that site
    with django_capture_on_commit_callbacks(execute=True):
        result = api(analyst).data(DECIDE, {"job": to_global_id("ImportJob", job.pk), "ref": "S-1",
                                            "site": to_global_id("Site", site.pk)})["importSiteMatchDecide"]
    # then the job is validated again and ready, and committing it renames A's reference for that site
    assert result["errors"] == []
    job.refresh_from_db()
    assert job.status == Status.READY and not job.candidates.exists()
    assert jobs.commit(job).status == Status.COMMITTED
    assert NetworkSite.objects.get(company=company, site=site).internal_ref == "S-1"
    # and the same row in a later upload (under yet another reference) is not asked about again
    later = jobs.validate(make_job(analyst, [["S-77", "Sunrise Garment", "Plot 4 Tirupur", "IN"]]))
    assert later.status == Status.READY and not later.candidates.exists()
    assert ResolutionDecision.objects.get(organization=company).site == site


def test_deciding_new_site_creates_one(api, analyst, similar, django_capture_on_commit_callbacks):
    site, job = similar
    with django_capture_on_commit_callbacks(execute=True):
        api(analyst).data(DECIDE, {"job": to_global_id("ImportJob", job.pk), "ref": "S-1", "site": None})
    job.refresh_from_db()
    assert job.status == Status.READY
    assert jobs.commit(job).status == Status.COMMITTED
    assert Site.objects.count() == 2


def test_only_a_candidate_can_be_chosen(api, analyst, similar):
    _, job = similar
    elsewhere = add_site(analyst, "Unrelated", country="IN")
    result = api(analyst).data(DECIDE, {"job": to_global_id("ImportJob", job.pk), "ref": "S-1",
                                        "site": to_global_id("Site", elsewhere.pk)})["importSiteMatchDecide"]
    assert result["errors"] == [{"field": "siteId", "code": "NOT_A_CANDIDATE"}]
    unknown = api(analyst).data(DECIDE, {"job": to_global_id("ImportJob", job.pk), "ref": "S-404", "site": None})
    assert unknown["importSiteMatchDecide"]["errors"] == [{"field": "siteRef", "code": "NOT_FOUND"}]


def test_another_companys_private_site_is_never_a_candidate(analyst, other_analyst):
    add_site(other_analyst, "Sunrise Garments", country="IN", address="Plot 4, Tiruppur")
    job = jobs.validate(make_job(analyst, [["S-1", "Sunrise Garments", "Plot 4, Tiruppur", "IN"]]))
    assert job.status == Status.READY and not job.candidates.exists()


def test_blocking_keeps_the_similarity_search_of_a_thousand_uploads_far_from_all_pairs(monkeypatch):
    """Blocking keeps the similarity search far from 10⁷ comparisons: 1,000 uploads × 10,000 sites of one country.
    The names rapidfuzz scores are counted (its speed is bench material, not a test's)."""
    from imports.services import resolution

    compared = []
    real_extract = resolution.process.extract

    def counting_extract(query, choices, **options):
        compared.append(len(choices))
        return real_extract(query, choices, **options)

    monkeypatch.setattr(resolution.process, "extract", counting_extract)
    rng = random.Random(7)
    vocabulary = ["".join(rng.choice("abcdefghiklmnoprstuy") for _ in range(rng.randint(4, 9))) for _ in range(600)]

    def name():
        return " ".join(rng.choice(vocabulary) for _ in range(3))

    registry = [RegistrySite(i, name(), f"{i} road", "IN") for i in range(10_000)]
    uploads = [UploadedSite(f"S-{i}", i, name(), "", "IN") for i in range(1_000)]
    result = match_in_registry(uploads, registry)
    assert len(result.matched) + len(result.ambiguous) + len(result.new) == 1_000
    assert 0 < sum(compared) <= 10_000 * 1_000 // 50
