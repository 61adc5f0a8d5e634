"""Own risk split into its terms, and a score split by aggregate: the parts add up (property tests, pure engine)."""

import datetime
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.risk import DEFAULT_METHODOLOGY, DolIndex, DolListing, Evidence, SupplyNetwork, explain, prepare, propagate
from graph.risk.aggregates import (
    breakdown,
    cause,
    cause_kind,
    grouped,
    grouped_sources,
    listed_terms,
    score_parts,
    through_direct_suppliers,
)
from graph.risk.attribution import AttributeCause, attribute, evidence_causes, inherent_causes, log_shares
from graph.risk.combine import noisy_or
from graph.risk.evidence import evidence_risk
from graph.risk.inherent import inherent_risk

M = DEFAULT_METHODOLOGY
TODAY = datetime.date(2026, 3, 1)
COUNTRIES = ("CN", "IN", "TM")
GOODS = ("cotton", "garments", "yarn/thread", "bricks")
probabilities = st.floats(0.0, 1.0, allow_nan=False)
listings = st.builds(
    DolListing, good=st.sampled_from(GOODS), country_iso2=st.sampled_from(COUNTRIES), child_labor=st.booleans(),
    forced_labor=st.booleans(), forced_child_labor=st.booleans(), derived=st.booleans(),
)
evidence_items = st.builds(
    Evidence, node=st.just(0), kind=st.just("finding"), dimensions=st.sampled_from([{0}, {1}, {0, 1}]),
    severity=st.sampled_from(sorted(M.finding_severity_weights)), status=st.sampled_from(("open", "closed")),
    observed_on=st.dates(datetime.date(2020, 1, 1), datetime.date(2026, 6, 1)),
    remediation=st.sampled_from(("none", "done", "verified")),
)


@given(st.lists(probabilities, max_size=8))
def test_log_shares_add_up_to_the_noisy_or_and_rank_like_the_terms(values):
    # given independent terms p_i, when the own risk o = 1 − Π(1 − p_i) is shared out
    own = noisy_or(*values)
    shares = log_shares(values, own)
    # then the shares add up to o, and a stronger term never gets less
    assert math.fsum(shares) == pytest.approx(own, abs=1e-12)
    for (p, a), (q, b) in zip(sorted(zip(values, shares)), sorted(zip(values, shares))[1:]):
        assert p > q or a <= b + 1e-15


def test_a_certain_term_takes_the_whole_own_risk():
    assert log_shares([1.0, 0.5, 1.0], 1.0) == [0.5, 0.0, 0.5]
    assert log_shares([0.0, 0.0], 0.0) == [0.0, 0.0]
    with pytest.raises(ValueError, match="probabilities must lie in"):
        log_shares([1.5], 1.0)


@given(
    st.lists(listings, max_size=8), st.sampled_from(COUNTRIES), st.sets(st.sampled_from(GOODS)),
    st.sampled_from(("farm", "facility")), st.one_of(st.none(), probabilities), st.lists(evidence_items, max_size=4),
    st.sampled_from((0, 1)),
)
def test_terms_of_an_own_risk_add_up_to_it(found, country, goods, kind, migrant_share, evidence, dimension):
    # given a site's inherent inputs and evidence
    index = DolIndex.from_listings(found)
    inherent = inherent_risk(country, goods, kind, migrant_share, index, M)[dimension]
    evidence_value = evidence_risk(evidence, 1, TODAY, M)[0, dimension]
    own = noisy_or(inherent, evidence_value)
    # when its own risk is split into terms
    inherent_terms = inherent_causes(country, goods, kind, migrant_share, index, M, dimension, "2024")
    evidence_terms = evidence_causes([(e, i) for i, e in enumerate(evidence)], dimension, TODAY, M)
    attribution = attribute(inherent_terms + evidence_terms, own)
    # then the inherent terms are exactly the engine's inherent risk, and all terms add up to the own risk
    assert noisy_or(*(p for _c, p in inherent_terms)) == pytest.approx(inherent, abs=1e-12)
    assert attribution.current_own == pytest.approx(own, abs=1e-12)
    assert math.fsum(attribution.contribution(t) for t in attribution.terms) + attribution.unattributed == pytest.approx(
        own, abs=1e-12)
    assert abs(attribution.unattributed) <= 1e-12
    assert all(t.probability > 0.0 for t in attribution.terms)


@st.composite
def scored_networks(draw):
    """A random network whose nodes each have a few random terms; own risk is their noisy-OR."""
    n = draw(st.integers(1, 7))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
                          max_size=14))
    shares = [draw(st.one_of(st.just(math.nan), probabilities)) for _ in pairs]
    network = SupplyNetwork(n, np.array([u for u, _ in pairs], dtype=np.int64),
                            np.array([v for _, v in pairs], dtype=np.int64), np.array(shares, dtype=np.float64))
    terms = [draw(st.lists(probabilities, max_size=3)) for _ in range(n)]
    own = np.zeros((n, 2))
    own[:, 1] = [noisy_or(*values) for values in terms]
    return prepare(network), own, terms


@given(scored_networks(), st.data())
def test_every_aggregate_adds_up_to_the_score(scored, data):
    # given a scored network whose own risks are made of terms
    prepared, own, terms = scored
    node = data.draw(st.integers(0, prepared.n_nodes - 1))
    threshold = data.draw(st.sampled_from((0.0, 0.01, 0.2)))
    scores = propagate(prepared, own, M).scores
    explanation = explain(prepared, own, node, 1, M, top_sources=prepared.n_nodes)
    attributions = {
        x: attribute([(AttributeCause("migrant_share", float(i)), p) for i, p in enumerate(values)], own[x, 1])
        for x, values in enumerate(terms)
    }
    # when the score is split into parts and grouped
    parts = score_parts(explanation.cone, explanation.contributions, attributions)
    assert math.fsum(p.value for p in parts) == pytest.approx(explanation.score, abs=1e-9)
    countries = {x: COUNTRIES[x % 3] for x in range(prepared.n_nodes)}
    by_country = grouped(parts, lambda part: (countries[part.node],))
    assert grouped_sources(explanation.cone, explanation.contributions, countries.get) == pytest.approx(by_country)
    for keys_of in (cause, cause_kind, lambda part: (part.node,), lambda part: (countries[part.node],)):
        totals = grouped(parts, keys_of)
        assert math.fsum(totals.values()) == pytest.approx(explanation.score, abs=1e-9)
        shown = breakdown(totals, explanation.score, threshold, limit=20)
        # then what is listed plus what is unlisted is the score, and no line is below the threshold
        assert math.fsum(line.contribution for line in shown.lines) + shown.unlisted == pytest.approx(
            explanation.score, abs=1e-12)
        assert all(line.contribution > 0 and line.fraction >= threshold for line in shown.lines)
    direct = through_direct_suppliers(prepared, own[:, 1], scores[:, 1], node, M.attenuation)
    assert math.fsum(direct.values()) == pytest.approx(scores[node, 1], abs=1e-9)


def test_listed_terms_leave_the_small_ones_in_the_unlisted_rest():
    # given an own risk made of one strong and two weak terms
    attribution = attribute([(AttributeCause("migrant_share", float(i)), p) for i, p in enumerate((0.6, 0.01, 0.005))],
                            noisy_or(0.6, 0.01, 0.005))
    # when listed with a 5 % threshold
    shown = listed_terms(attribution, 0.05, limit=10)
    # then only the strong term is a line, and the rest says how much is unlisted
    assert [line.key.probability for line in shown.lines] == [0.6]
    assert shown.unlisted == pytest.approx(attribution.own - shown.lines[0].contribution)
    assert 0 < shown.unlisted < 0.05 * attribution.own
