"""harness/core/units.py's formatting, as the scripts print amounts (the demo's and the governance
scripts' output reads the same as before the harness moved into core/)."""

from __future__ import annotations

from harness.core.units import UNIT, compact, format_tokens


def test_whole_tokens_have_thousands_separators_and_no_fraction():
    assert format_tokens(1_250_000 * UNIT) == "1,250,000"
    assert format_tokens(0) == "0"


def test_a_fraction_is_shown_to_its_last_nonzero_digit():
    assert format_tokens(1_250 * UNIT + UNIT // 2) == "1,250.5"
    assert format_tokens(1) == "0.000000000000000001"


def test_a_cut_fraction_keeps_its_zeros_so_the_cut_shows():
    # a voter's Staking Score: 6 places, "324200" says more digits followed
    assert format_tokens(1_990_091_324_200_123_456_789_123, places=6) == "1,990,091.324200"
    assert format_tokens(5 * UNIT + 1, places=6) == "5.000000"


def test_a_fraction_shorter_than_the_cut_is_not_padded():
    assert format_tokens(3 * UNIT // 2, places=6) == "1.5"
    assert format_tokens(7 * UNIT, places=6) == "7"


def test_compact_amounts_for_the_demo_tables():
    assert compact(1_234_567 * UNIT + UNIT * 8 // 10) == "1.23M"
    assert compact(50_000 * UNIT) == "50.00k"
    assert compact(12 * UNIT) == "12.00"
