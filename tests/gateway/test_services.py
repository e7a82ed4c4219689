"""The gateway's AI services (gateway/services.py): the trend signal against an exact reference model
(tests/models/trend_model.py), VADER sentiment with the crypto lexicon, and every input refusal naming
its field."""

from __future__ import annotations

import math

import pytest
from brownie.test import given
from hypothesis import settings
from hypothesis import strategies as st

from gateway.services import (
    CRYPTO_LEXICON,
    MAX_PRICES,
    MAX_TEXT_CHARS,
    ServiceInputError,
    rsi,
    sentiment,
    trend_signal,
)
from tests.models import trend_model

prices_strategy = st.lists(
    st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False), min_size=27, max_size=120
)


@settings(max_examples=200, deadline=None)
@given(prices=prices_strategy)
def test_trend_matches_the_exact_model(prices):
    """EMA(12), EMA(26) and RSI(14) of any series equal the exact rational recurrences to 1e-9
    relative, and the action is the model's wherever the values are not within rounding of a rule's
    boundary."""
    trend = trend_signal(prices)
    fast, slow, strength = (trend_model.ema_last(prices, 12), trend_model.ema_last(prices, 26),
                            trend_model.rsi_last(prices, 14))
    assert math.isclose(trend.ema_fast, fast, rel_tol=1e-9)
    assert math.isclose(trend.ema_slow, slow, rel_tol=1e-9)
    assert math.isclose(trend.rsi, strength, rel_tol=1e-9, abs_tol=1e-9)
    near_boundary = (math.isclose(fast, slow, rel_tol=1e-9) or math.isclose(strength, 70, abs_tol=1e-7)
                     or math.isclose(strength, 30, abs_tol=1e-7))
    if not near_boundary:
        assert trend.action == trend_model.action(prices, 12, 26, 14)


def test_a_rising_series_is_overbought_and_held():
    """Prices rising by 1 each step: RSI 100 (no loss), fast EMA above slow, so `hold` (not buy at 100),
    and with a constant step the EMAs lag by exactly (period - 1) / 2 steps: 133.5 and 126.5 at 139."""
    trend = trend_signal([100 + i for i in range(40)])
    assert (trend.ema_fast, trend.ema_slow, trend.rsi, trend.action) == (133.5, 126.5, 100.0, "hold")
    assert trend.crossover is None


def test_a_flat_series_has_rsi_50_and_holds():
    trend = trend_signal([7.0] * 30)
    assert (trend.ema_fast, trend.ema_slow, trend.rsi, trend.action, trend.crossover) == (7.0, 7.0, 50.0, "hold", None)


def test_a_turn_up_is_a_golden_cross_and_a_buy():
    """A long fall then a sharp rise: the fast EMA crosses above the slow one on the last price."""
    prices = [200 - 2 * i for i in range(60)]
    while trend_signal(prices).crossover is None:
        prices.append(prices[-1] * 1.05)
        assert len(prices) < 200
    trend = trend_signal(prices)
    assert trend.crossover == "golden" and trend.ema_fast > trend.ema_slow
    assert trend_signal(prices[:-1]).ema_fast <= trend_signal(prices[:-1]).ema_slow
    assert trend.action == ("buy" if trend.rsi < 70 else "hold")


def test_a_turn_down_is_a_death_cross():
    prices = [100 + 2 * i for i in range(60)]
    while trend_signal(prices).crossover is None:
        prices.append(prices[-1] * 0.95)
        assert len(prices) < 200
    trend = trend_signal(prices)
    assert trend.crossover == "death" and trend.ema_fast < trend.ema_slow


def test_rsi_of_one_gain_and_one_loss_by_hand():
    """Changes +2, -1 with period 2: average gain 1, loss 0.5, RS 2, RSI 100 - 100/3."""
    assert math.isclose(rsi([10, 12, 11], 2), 100 - 100 / 3)


@pytest.mark.parametrize(
    "prices, kwargs, field",
    [
        ([1.0] * 26, {}, "prices"),  # 27 needed for EMA(26) and a previous value
        ([1.0] * (MAX_PRICES + 1), {}, "prices"),
        ("1,2,3", {}, "prices"),
        ([1.0] * 29 + [0.0], {}, "prices.29"),
        ([1.0] * 29 + [-3.0], {}, "prices.29"),
        ([1.0] * 29 + [float("nan")], {}, "prices.29"),
        ([1.0] * 29 + [float("inf")], {}, "prices.29"),
        ([1.0] * 29 + [True], {}, "prices.29"),
        ([1.0] * 29 + ["5"], {}, "prices.29"),
        ([1.0] * 40, {"fast": 26, "slow": 26}, "fast"),
        ([1.0] * 40, {"fast": 1}, "fast"),
        ([1.0] * 40, {"rsi_period": 1}, "rsi_period"),
    ],
)
def test_trend_refuses_bad_input_naming_the_field(prices, kwargs, field):
    with pytest.raises(ServiceInputError) as raised:
        trend_signal(prices, **kwargs)
    assert raised.value.field == field and str(raised.value).startswith(f"{field}: ")


@pytest.mark.parametrize(
    "text, label",
    [
        ("ETH is mooning, very bullish on the next listing", "positive"),
        ("Another rug pull, everyone got rekt", "negative"),
        ("The network has 100 validators", "neutral"),
    ],
)
def test_sentiment_labels_crypto_texts(text, label):
    assert sentiment(text).label == label


def test_crypto_slang_moves_the_score():
    """Without the lexicon VADER scores 'rekt' and 'bullish' as neutral words."""
    assert sentiment("bullish").compound > 0.05 > -0.05 > sentiment("rekt").compound
    assert CRYPTO_LEXICON["rugpull"] < CRYPTO_LEXICON["dump"] < 0 < CRYPTO_LEXICON["moon"]


def test_sentiment_scores_are_vaders_proportions():
    result = sentiment("Great launch, but the fees are terrible")
    assert math.isclose(result.positive + result.negative + result.neutral, 1.0, abs_tol=0.002)
    assert -1 <= result.compound <= 1


@pytest.mark.parametrize("text", ["", "   \n", "x" * (MAX_TEXT_CHARS + 1), 42, None], ids=["empty", "blank", "too-long", "int", "none"])
def test_sentiment_refuses_bad_text(text):
    with pytest.raises(ServiceInputError) as raised:
        sentiment(text)
    assert raised.value.field == "text"


def test_sentiment_accepts_the_longest_text():
    assert sentiment("good " * (MAX_TEXT_CHARS // 5)).label == "positive"
