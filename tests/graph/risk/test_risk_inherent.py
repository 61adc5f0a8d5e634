import pytest

from graph.risk import (
    DEFAULT_METHODOLOGY,
    DolIndex,
    DolListing,
    InherentOverride,
    apply_override,
    inherent_risk,
)

M = DEFAULT_METHODOLOGY

INDEX = DolIndex.from_listings([
    DolListing("Cocoa", "CI", child_labor=True, forced_labor=True),
    DolListing("Gold", "CI", child_labor=True),
    DolListing("Cotton", "TM", forced_labor=True),
    DolListing("Bricks", "PK", child_labor=True, forced_labor=True, forced_child_labor=True),
    DolListing("Electronics", "MY", forced_labor=True, derived=True),
    DolListing("Garments", "MY", forced_labor=True),
])


def test_index_knows_the_listed_countries():
    assert INDEX.countries == {"CI", "TM", "PK", "MY"}
    assert INDEX.listings("ci", " cocoa") == (DolListing("Cocoa", "CI", True, True),)
    assert INDEX.listings("FR", "Cocoa") == ()


def test_unlisted_facility_without_attributes_has_no_inherent_risk():
    assert inherent_risk("FR", ["Wheat"], "facility", None, INDEX, M) == (0.0, 0.0)


def test_listed_good_with_farm_and_other_listed_good():
    # Cocoa in CI: child 0.6 and forced 0.6; farm adds 0.05 to child;
    # CI is also listed for gold (child labour only): baseline 0.05 on child.
    child, forced = inherent_risk("CI", ["Cocoa"], "farm", None, INDEX, M)
    assert child == pytest.approx(1 - 0.4 * 0.95 * 0.95)
    assert forced == pytest.approx(0.6)


def test_country_listed_only_for_other_goods_gives_baseline_per_listed_dimension():
    assert inherent_risk("CI", ["Rubber"], "facility", None, INDEX, M) == pytest.approx(
        (0.05, 0.05))
    assert inherent_risk("TM", ["Wheat"], "facility", None, INDEX, M) == pytest.approx(
        (0.0, 0.05))


def test_forced_child_listing_adds_to_both_dimensions():
    child, forced = inherent_risk("PK", ["Bricks"], "facility", None, INDEX, M)
    assert child == pytest.approx(1 - 0.4 * 0.4)
    assert forced == pytest.approx(1 - 0.4 * 0.4)


def test_derived_listing_counts_at_half_weight():
    # Electronics in MY is derived: forced 0.3; MY garments (forced) gives the baseline.
    child, forced = inherent_risk("MY", ["Electronics"], "facility", None, INDEX, M)
    assert child == 0.0
    assert forced == pytest.approx(1 - 0.7 * 0.95)


def test_migrant_share_raises_forced_labour_only():
    child, forced = inherent_risk("FR", [], "facility", 0.5, INDEX, M)
    assert child == 0.0
    assert forced == pytest.approx(0.3 * 0.5)


def test_good_and_country_names_are_normalised():
    assert inherent_risk("ci", ["  COCOA "], "farm", None, INDEX, M) == inherent_risk(
        "CI", ["Cocoa"], "farm", None, INDEX, M)


def test_duplicate_listings_are_not_compounded():
    index = DolIndex.from_listings([
        DolListing("Cocoa", "GH", child_labor=True),
        DolListing("cocoa", "GH", child_labor=True, forced_labor=True),
        DolListing("Cocoa", "GH", forced_labor=True, derived=True),
    ])
    assert inherent_risk("GH", ["Cocoa"], "facility", None, index, M) == pytest.approx((0.6, 0.6))


def test_several_goods_combine_by_noisy_or():
    child, forced = inherent_risk("CI", ["Cocoa", "Gold"], "facility", None, INDEX, M)
    assert child == pytest.approx(1 - 0.4 * 0.4)
    assert forced == pytest.approx(0.6)


@pytest.mark.parametrize(
    "arguments",
    [("CI", ["Cocoa"], "mine", None), ("CI", ["Cocoa"], "farm", 1.5), ("CIV", [], "farm", None)],
)
def test_invalid_inputs_are_rejected(arguments):
    with pytest.raises(ValueError):
        inherent_risk(*arguments, INDEX, M)


def test_apply_override_replaces_only_the_dimensions_it_sets():
    computed = (0.62, 0.6)
    assert apply_override(computed, None) == computed
    assert apply_override(computed, InherentOverride(child=0.1)) == (0.1, 0.6)
    assert apply_override(computed, InherentOverride(child=0.1, forced=0.0)) == (0.1, 0.0)
    with pytest.raises(ValueError):
        InherentOverride(forced=2.0)
