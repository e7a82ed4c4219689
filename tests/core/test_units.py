"""harness/core/units.py: token amounts read exactly, and formatting as the scripts print amounts (the
demo's and the governance scripts' output reads the same as before the harness moved into core/);
the proposal files' amounts (harness/core/proposals/args.py) read exactly too."""

from __future__ import annotations

import pytest

from harness.core.errors import ArgError
from harness.core.proposals.args import Units, to_integer
from harness.core.units import DAY, MAX_UINT256, UNIT, compact, format_tokens, parse_token_amount

THIRTY_DIGITS = "123456789012.123456789012345678"  # 30 significant digits: Decimal's 28-digit context rounds them


def test_token_amount_keeps_every_digit_beyond_decimal_precision():
    assert parse_token_amount(THIRTY_DIGITS) == 123456789012123456789012345678
    assert parse_token_amount("1e3") == 1000 * UNIT
    assert parse_token_amount("1.10") == 11 * UNIT // 10


def test_token_amount_one_digit_past_the_decimals_is_refused_however_long():
    with pytest.raises(ValueError, match="has more than 18 decimals"):
        parse_token_amount(THIRTY_DIGITS + "1")
    with pytest.raises(ValueError, match="has more than 18 decimals"):
        parse_token_amount("1e-999999999")


def test_token_amount_the_largest_uint256_is_accepted_and_one_more_is_not():
    assert parse_token_amount(str(MAX_UINT256), decimals=0) == MAX_UINT256
    with pytest.raises(ValueError, match="does not fit in uint256"):
        parse_token_amount(str(MAX_UINT256 + 1), decimals=0)
    with pytest.raises(ValueError, match="does not fit in uint256"):
        parse_token_amount("1e999999999")  # refused before 10**999999999 is computed


def test_proposal_amounts_keep_every_digit_beyond_decimal_precision():
    assert to_integer(f"{THIRTY_DIGITS} AIS", "value", Units({"AIS": 18})) == 123456789012123456789012345678
    assert to_integer("1.5 d", "value", Units()) == 3 * DAY // 2
    with pytest.raises(ArgError, match="more than 18 decimals of AIS"):
        to_integer(f"{THIRTY_DIGITS}1 AIS", "value", Units({"AIS": 18}))


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
