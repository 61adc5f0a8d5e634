"""Incremental runs that load only the downstream cone (graph/services/risk_cone.py) store what a full computation
would: for a finding, for one removed, for a site that moved, after links were added and removed, and whenever
the cone cannot be used (too large, a score not stored yet, a site outside the network), in which case the whole
graph is loaded. A stateful test drives all of these through the services and the recomputation job."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test

from backend.models import Organization, Role, User
from backend.tenancy import Viewer
from factories import add_link, add_site
from graph import risk, services
from graph.models import NetworkSite, PendingRecompute, RiskScore, SupplyLink
from graph.services import risk_cone
from graph.services.evidence_feed import SiteEvidence, register_evidence_provider
from graph.services.risk import compute_risk, fresh_own
from graph.services.risk_graph import load_tenant_graph
from graph.services.risk_jobs import recompute, schedule_recompute

EVIDENCE: list[SiteEvidence] = []
register_evidence_provider(lambda site_ids, company: [e for e in EVIDENCE if e.site_id in set(site_ids)])
COUNTRIES = ["TM", "IN", "BD", "US", "CN"]
SEVERITIES = ["critical", "major", "minor"]
COMPANIES = itertools.count()


@pytest.fixture(autouse=True)
def evidence(postgres):
    EVIDENCE.clear()
    yield EVIDENCE
    EVIDENCE.clear()


def finding(site, severity="critical", dimensions=frozenset({1})):
    return SiteEvidence(site_id=site.pk, kind="finding", dimensions=dimensions, severity=severity, status="open",
                        observed_on=datetime.date.today())


def full_scores(company) -> dict:
    """What a full computation would store, computed without storing: site ID (None: the company) → the
    (child, forced, own child, own forced) scores."""
    graph = load_tenant_graph(company)
    _inherent, own = fresh_own(graph, risk.DEFAULT_METHODOLOGY, None)
    scores = risk.propagate(risk.prepare(graph.network), own, risk.DEFAULT_METHODOLOGY).scores
    return {graph.site_of(node): (*scores[node], *own[node]) for node in range(graph.network.n_nodes)}


def stored_scores(company) -> dict:
    return {row[0]: row[1:] for row in RiskScore.objects.filter(company=company).values_list(
        "site_id", "child_labour", "forced_labour", "own_child_labour", "own_forced_labour")}


def assert_stored_equal_full(company):
    stored, full = stored_scores(company), full_scores(company)
    assert stored.keys() == full.keys()
    for site_id, values in full.items():
        assert stored[site_id] == pytest.approx(values, abs=1e-8), site_id


@pytest.fixture
def two_branches(analyst, company):
    """Branch A: farm A → gin A → mill; branch B: farm B → gin B → mill; the mill → the company. An expired link
    (gin B → gin A, ended yesterday) must count neither way. Scored."""
    names = ("farm A", "gin A", "farm B", "gin B", "mill")
    sites = {name: add_site(analyst, name, country="TM" if "farm" in name else "IN") for name in names}
    add_link(analyst, sites["farm A"], sites["gin A"], share=0.6)
    add_link(analyst, sites["farm B"], sites["gin B"])
    add_link(analyst, sites["gin A"], sites["mill"], share=0.5)
    add_link(analyst, sites["gin B"], sites["mill"])
    add_link(analyst, sites["mill"], None, share=1)
    expired = add_link(analyst, sites["gin B"], sites["gin A"], share=0.3)
    SupplyLink.objects.filter(pk=expired.pk).update(valid_to=datetime.date.today() - datetime.timedelta(days=1))
    recompute(company.pk, full=True)
    return sites


def test_a_finding_loads_only_its_cone_and_its_inputs_and_stores_what_a_full_run_would(company, two_branches, evidence):
    # given a critical finding at farm A, recorded as a change
    evidence.append(finding(two_branches["farm A"]))
    schedule_recompute([two_branches["farm A"].pk])

    # when the job runs
    run = recompute(company.pk)

    # then it loaded farm A's cone (farm A, gin A, the mill, the company) and the links among it, not the mill's
    # other supplier gin B (what flows in from it is read back from the mill's stored score), and stored what a
    # full run would
    assert run.incremental and run.recomputed == 4
    assert run.nodes == 4 and run.links == 3
    assert_stored_equal_full(company)


def test_removing_the_finding_brings_back_the_scores_before_it(company, two_branches, evidence):
    # given the network scored with a finding at farm A
    before = stored_scores(company)
    evidence.append(finding(two_branches["farm A"]))
    compute_risk(company, changed_site_ids=[two_branches["farm A"].pk])
    assert stored_scores(company) != before

    # when the finding goes away and the job runs
    evidence.clear()
    schedule_recompute([two_branches["farm A"].pk])
    run = recompute(company.pk)

    # then every score is as before, and as a full run's
    assert run.incremental and run.nodes < len(before)
    for site_id, values in before.items():
        assert stored_scores(company)[site_id] == pytest.approx(values, abs=1e-8)
    assert_stored_equal_full(company)


def test_a_cone_past_the_limit_loads_the_whole_graph(company, two_branches, evidence, monkeypatch):
    # given a limit smaller than farm A's cone
    monkeypatch.setattr(risk_cone, "CONE_SITES", 2)
    evidence.append(finding(two_branches["farm A"]))

    # when farm A's change is computed
    run = compute_risk(company, changed_site_ids=[two_branches["farm A"].pk])

    # then the whole network was loaded, and only the cone recomputed
    assert run.incremental and run.nodes == 6 and run.recomputed == 4
    assert_stored_equal_full(company)


def test_a_score_not_stored_yet_makes_the_run_full(company, two_branches, evidence):
    # given the mill, in farm A's cone, without a stored score
    RiskScore.objects.filter(company=company, site=two_branches["mill"]).delete()
    evidence.append(finding(two_branches["farm A"]))

    # when farm A's change is computed
    run = compute_risk(company, changed_site_ids=[two_branches["farm A"].pk])

    # then every node was computed and stored
    assert not run.incremental and run.recomputed == 6
    assert_stored_equal_full(company)


def test_a_changed_site_outside_the_network_makes_the_run_full(analyst, other_analyst, company, two_branches):
    # given a site of another company's network only
    foreign = add_site(other_analyst, "Foreign gin", country="TM")

    # when it is given as changed
    run = compute_risk(company, changed_site_ids=[foreign.pk])

    # then the run is a full one over the company's own network
    assert not run.incremental and run.nodes == 6
    assert_stored_equal_full(company)


def test_another_companys_links_from_a_shared_site_stay_out_of_the_cone(company, other_company, analyst,
                                                                         other_analyst, two_branches, evidence):
    # given farm A also in another company's network, supplying that company's own gin and mill
    other_gin, other_mill = add_site(other_analyst, "Other gin"), add_site(other_analyst, "Other mill")
    add_link(other_analyst, two_branches["farm A"], other_gin, share=1)
    add_link(other_analyst, other_gin, other_mill, share=1)
    add_link(other_analyst, other_mill, None, share=1)
    recompute(other_company.pk, full=True)
    others_before = stored_scores(other_company)
    evidence.append(finding(two_branches["farm A"]))

    # when the company's change at farm A is computed
    run = compute_risk(company, changed_site_ids=[two_branches["farm A"].pk])

    # then only the company's own links were followed and only its scores changed
    assert run.incremental and run.recomputed == 4 and run.nodes == 4
    assert_stored_equal_full(company)
    assert stored_scores(other_company) == others_before


class IncrementalRuns(RuleBasedStateMachine):
    """A company's network changes (findings added and removed, sites moved, links added and removed) while the
    recomputation job runs now and then; after every run the stored scores are a full computation's."""

    def __init__(self):
        super().__init__()
        number = next(COMPANIES)
        self.company = Organization.objects.create(name=f"Stateful {number}", kind="company")
        self.analyst = User.objects.create_user(f"stateful-{number}", organization=self.company, role=Role.ANALYST)
        self.viewer = Viewer.of(self.analyst)
        self.sites = [add_site(self.analyst, f"Site {i}", country=COUNTRIES[i % len(COUNTRIES)],
                               kind="farm" if i < 2 else "facility") for i in range(6)]
        for upstream, downstream in zip(self.sites, self.sites[1:]):
            add_link(self.analyst, upstream, downstream)
        add_link(self.analyst, self.sites[-1], None)
        EVIDENCE.clear()
        recompute(self.company.pk)
        self.incremental_runs = 0

    def changed(self, site) -> None:
        schedule_recompute([site.pk])

    @rule(site=st.integers(0, 5), severity=st.sampled_from(SEVERITIES),
          dimensions=st.sampled_from([frozenset({0}), frozenset({1}), frozenset({0, 1})]))
    def add_finding(self, site, severity, dimensions):
        EVIDENCE.append(finding(self.sites[site], severity, dimensions))
        self.changed(self.sites[site])

    @precondition(lambda self: EVIDENCE)
    @rule(data=st.data())
    def remove_finding(self, data):
        removed = EVIDENCE.pop(data.draw(st.integers(0, len(EVIDENCE) - 1)))
        schedule_recompute([removed.site_id])

    @rule(site=st.integers(0, 5), country=st.sampled_from(COUNTRIES))
    def move_site(self, site, country):
        services.update_site(self.viewer, self.sites[site], {"country": country})

    @rule(upstream=st.integers(0, 5), downstream=st.one_of(st.none(), st.integers(0, 5)),
          share=st.sampled_from([None, 0.1, 0.4]))
    def add_link(self, upstream, downstream, share):
        if downstream == upstream:
            return
        try:
            add_link(self.analyst, self.sites[upstream], None if downstream is None else self.sites[downstream], share)
        except ValidationError:
            pass  # over-full shares: refused, nothing changed

    @precondition(lambda self: SupplyLink.objects.filter(company=self.company).exists())
    @rule(data=st.data())
    def delete_link(self, data):
        links = list(SupplyLink.objects.filter(company=self.company).order_by("pk"))
        services.delete_link(self.viewer, data.draw(st.sampled_from(links)))

    @rule()
    def run_job(self):
        run = recompute(self.company.pk)
        if run is not None and run.incremental:
            self.incremental_runs += 1
            assert run.nodes <= NetworkSite.objects.filter(company=self.company).count() + 1
        assert not PendingRecompute.objects.filter(company=self.company).exists()
        assert_stored_equal_full(self.company)


def test_incremental_runs_store_a_full_computations_scores_whatever_changes():
    run_state_machine_as_test(IncrementalRuns, settings=settings(
        max_examples=10, stateful_step_count=10, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    ))


def test_the_state_machine_reaches_the_cone(analyst, company):
    # given the machine's network, when a finding is recorded and the job runs
    machine = IncrementalRuns()
    machine.add_finding(site=0, severity="critical", dimensions=frozenset({1}))
    machine.run_job()

    # then the run was incremental, so the stateful test exercises the cone
    assert machine.incremental_runs == 1
