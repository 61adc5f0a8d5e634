import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.risk import DEFAULT_METHODOLOGY, Methodology, band, bands, get_methodology, noisy_or
from graph.risk.combine import noisy_or_arrays


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0.0, "low"), (0.2499, "low"), (0.25, "medium"), (0.4999, "medium"), (0.5, "high"),
     (0.7499, "high"), (0.75, "severe"), (1.0, "severe")],
)
def test_band_thresholds(score, expected):
    assert band(score, DEFAULT_METHODOLOGY) == expected


def test_band_rejects_scores_outside_unit_interval():
    with pytest.raises(ValueError):
        band(1.5, DEFAULT_METHODOLOGY)


@given(st.lists(st.floats(0.0, 1.0), max_size=20))
def test_bands_matches_band(scores):
    expected = [band(s, DEFAULT_METHODOLOGY) for s in scores]
    assert bands(np.array(scores), DEFAULT_METHODOLOGY).tolist() == expected


def test_registry_reproduces_default():
    assert get_methodology("2026.1") is DEFAULT_METHODOLOGY
    with pytest.raises(ValueError, match="unknown methodology version"):
        get_methodology("1999.9")


def test_default_weights():
    m = DEFAULT_METHODOLOGY
    assert m.attenuation == 0.8
    assert m.finding_severity_weights == {
        "critical": 0.9, "major": 0.6, "minor": 0.3, "observation": 0.1}
    assert m.remediation_factors == {"none": 1.0, "done": 0.5, "verified": 0.0}
    assert m.decay_half_life_days == 365.0
    assert m.band_thresholds == (0.25, 0.5, 0.75)


def test_to_dict_round_trips_through_json():
    stored = json.loads(json.dumps(DEFAULT_METHODOLOGY.to_dict()))
    assert Methodology.from_dict(stored) == DEFAULT_METHODOLOGY


def test_methodology_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_METHODOLOGY.attenuation = 0.5  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULT_METHODOLOGY.finding_severity_weights["critical"] = 0.1  # type: ignore[index]
    hash(DEFAULT_METHODOLOGY)


@pytest.mark.parametrize(
    "change",
    [{"attenuation": 1.0}, {"attenuation": 0.0}, {"migrant_share_weight": 1.2},
     {"remediation_factors": {"none": 1.0, "done": -0.1, "verified": 0.0}},
     {"band_thresholds": (0.5, 0.25, 0.75)}, {"band_names": ("low", "high")},
     {"decay_half_life_days": 0.0}],
)
def test_invalid_parameters_are_rejected(change):
    with pytest.raises(ValueError):
        Methodology(**change)


def test_noisy_or_examples():
    assert noisy_or() == 0.0
    assert noisy_or(0.3) == pytest.approx(0.3)
    assert noisy_or(0.5, 0.5) == pytest.approx(0.75)
    assert noisy_or(0.6, 0.05) == pytest.approx(1 - 0.4 * 0.95)
    assert noisy_or(1.0, 0.2) == 1.0
    with pytest.raises(ValueError):
        noisy_or(0.5, 1.5)


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6))
def test_noisy_or_bounds_and_vectorised_form(ps):
    combined = noisy_or(*ps)
    assert max(ps) - 1e-12 <= combined <= 1.0
    assert noisy_or_arrays(*(np.array([p]) for p in ps))[0] == pytest.approx(combined)
