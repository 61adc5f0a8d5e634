"""The explanation service on PostgreSQL, property-tested: for random sites (country, kind, migrant share,
commodities), overrides and grievances, the terms rebuilt from the data are exactly the own risk the engine stored,
and every breakdown adds up to the score."""

import math

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audits.services import grievances
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_link, add_site, commodity
from graph.models import InherentOverride, RiskScore
from graph.services.explanations import BREAKDOWNS, explain_causes
from graph.services.risk import compute_risk

sites = st.fixed_dictionaries({
    "country": st.sampled_from(("CN", "BD", "IN", "TM", "US")),
    "kind": st.sampled_from(("farm", "facility")),
    "migrant_share": st.one_of(st.none(), st.floats(0, 1)),
    "commodities": st.sets(st.sampled_from(("cotton", "cotton-lint", "yarn", "garments", "cocoa")), max_size=3),
    "share": st.one_of(st.none(), st.floats(0, 1)),
    "grievance": st.sampled_from((None, "received", "substantiated")),
    "override": st.one_of(st.none(), st.floats(0, 1)),
})


class RolledBack(Exception):
    """Raised to undo one example's rows."""


@pytest.fixture
def workers(make_org, make_user):
    return make_user(make_org("Workers", OrganizationKind.WORKERS_ORG), Role.ANALYST)


def build(analyst, workers, drawn):
    """A chain of the drawn sites into the company, most upstream first."""
    built = []
    for n, spec in enumerate(drawn):
        site = add_site(analyst, f"Site {n}", country=spec["country"], kind=spec["kind"],
                        migrant_share=spec["migrant_share"])
        site.commodities.set([commodity(code) for code in spec["commodities"]])
        built.append(site)
        if spec["override"] is not None:
            InherentOverride.objects.create(company=analyst.organization, site=site, dimension="forced_labour",
                                            value=spec["override"], reason="Audited", created_by=analyst)
        if spec["grievance"]:
            grievance = grievances.file_grievance(Viewer.of(workers), site, {
                "channel": "hotline", "category": "debt_bondage", "description": "Fees deducted from pay"})
            if spec["grievance"] == "substantiated":
                for step in (grievances.acknowledge, grievances.investigate):
                    step(Viewer.of(analyst), grievance)
                grievances.conclude(Viewer.of(analyst), grievance, substantiated=True)
    for (upstream, spec), downstream in zip(zip(built, drawn), built[1:] + [None]):
        add_link(analyst, upstream, downstream, share=spec["share"])
    return built


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(drawn=st.lists(sites, min_size=1, max_size=4), threshold=st.sampled_from((0.0, 0.05)))
def test_rebuilt_terms_are_the_stored_own_risk_and_breakdowns_add_up(analyst, company, workers, drawn, threshold):
    try:
        with transaction.atomic():
            # given random sites scored by the engine
            built = build(analyst, workers, drawn)
            compute_risk(company)
            # when the company's score is explained down to its causes
            caused = explain_causes(company, None, "forced_labour", 5, threshold)
            score = caused.explanation.score
            # then every source's terms, rebuilt from the data, are its stored own risk
            stored = dict(RiskScore.objects.filter(company=company, site__isnull=False).values_list(
                "site_id", "own_forced_labour"))
            for site in built:
                attribution = caused.attributions.get(caused.graph.node_of(site.pk))
                if attribution is not None:
                    assert attribution.own == pytest.approx(stored[site.pk], abs=1e-12)
                    assert attribution.current_own == pytest.approx(stored[site.pk], abs=1e-9)
                    assert abs(attribution.unattributed) <= 1e-12
            # and every breakdown adds up to the score, no line under the threshold
            for name in BREAKDOWNS:
                shown = caused.breakdowns[name]
                assert math.fsum(line.contribution for line in shown.lines) + shown.unlisted == pytest.approx(
                    score, abs=1e-12), name
                assert all(line.fraction >= threshold for line in shown.lines)
            # inherent or evidence, not both, can be under the threshold: no part of an own risk is left unattributed
            assert caused.breakdowns["by_cause_kind"].unlisted <= threshold * score + 1e-12
            raise RolledBack
    except RolledBack:
        pass
