"""The gateway's two AI services (SPEC 6), plain Python: no chain, no server, no download at run time.

- `sentiment`: crypto-text sentiment with VADER (`vaderSentiment`), its lexicon extended with the
  market slang VADER does not know (`CRYPTO_LEXICON`); the label uses VADER's published thresholds
  (compound >= 0.05 positive, <= -0.05 negative).
- `trend_signal`: an EMA crossover and Wilder's RSI over a price series the caller sends.

Each service validates its input and raises `ServiceInputError` naming the field, which the HTTP layer
answers as `bad_request` without charging.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Sequence

MAX_TEXT_CHARS = 5_000  # one post or article paragraph; longer texts are split by the caller
MAX_PRICES = 10_000  # a year of hourly candles is 8,760

# Market slang VADER's lexicon lacks, scored on VADER's -4..+4 scale like its own entries.
CRYPTO_LEXICON: dict[str, float] = {
    "bullish": 2.0,
    "bearish": -2.0,
    "moon": 1.5,
    "mooning": 2.0,
    "hodl": 1.0,
    "ath": 1.5,  # all-time high
    "pump": 1.0,
    "dump": -1.8,
    "dumping": -2.0,
    "rekt": -2.5,
    "fud": -1.5,
    "rug": -3.0,
    "rugpull": -3.2,
    "scam": -3.0,
    "exploit": -2.5,
    "hacked": -3.0,
    "delisted": -2.2,
    "listing": 1.2,
    "airdrop": 1.0,
}

SentimentLabel = Literal["positive", "negative", "neutral"]
TrendAction = Literal["buy", "sell", "hold"]


class ServiceInputError(ValueError):
    """A service's input is unusable: `field` names it, the message says why."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Sentiment:
    compound: float  # VADER's normalised score, -1..1
    positive: float
    negative: float
    neutral: float
    label: SentimentLabel


@dataclass(frozen=True)
class Trend:
    ema_fast: float
    ema_slow: float
    rsi: float
    crossover: Literal["golden", "death"] | None  # the fast EMA crossed the slow one on the last price
    action: TrendAction


@lru_cache(maxsize=1)
def _analyzer():
    # built once per process: loading the lexicon file takes a few milliseconds
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(CRYPTO_LEXICON)
    return analyzer


def sentiment(text: str) -> Sentiment:
    """VADER sentiment of `text` (1..MAX_TEXT_CHARS characters, not only whitespace)."""
    if not isinstance(text, str):
        raise ServiceInputError("text", "must be a string")
    if not text.strip():
        raise ServiceInputError("text", "is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise ServiceInputError("text", f"has {len(text)} characters, at most {MAX_TEXT_CHARS}")
    scores = _analyzer().polarity_scores(text)
    compound = scores["compound"]
    label: SentimentLabel = "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
    return Sentiment(compound, scores["pos"], scores["neg"], scores["neu"], label)


def ema(prices: Sequence[float], period: int) -> list[float]:
    """Exponential moving average, seeded with the simple average of the first `period` prices and then
    `ema = ema + (price - ema) * 2 / (period + 1)`: one value per price from index `period - 1` on."""
    alpha = 2 / (period + 1)
    value = sum(prices[:period]) / period
    values = [value]
    for price in prices[period:]:
        value += (price - value) * alpha
        values.append(value)
    return values


def rsi(prices: Sequence[float], period: int) -> float:
    """Wilder's relative strength index of the last price, 0..100: average gain and loss seeded with the
    simple average of the first `period` changes, then smoothed by `(avg * (period - 1) + x) / period`.
    A series that never fell is 100, one that never moved is 50."""
    changes = [b - a for a, b in zip(prices, prices[1:])]
    gain = sum(max(c, 0.0) for c in changes[:period]) / period
    loss = sum(max(-c, 0.0) for c in changes[:period]) / period
    for change in changes[period:]:
        gain = (gain * (period - 1) + max(change, 0.0)) / period
        loss = (loss * (period - 1) + max(-change, 0.0)) / period
    if loss == 0:
        return 50.0 if gain == 0 else 100.0
    return 100 - 100 / (1 + gain / loss)


def trend_signal(prices: Sequence[float], fast: int = 12, slow: int = 26, rsi_period: int = 14) -> Trend:
    """EMA(fast) against EMA(slow) and RSI(rsi_period) at the last price. `buy` when the fast EMA is
    above the slow one and the RSI is below 70 (not overbought), `sell` when it is below and the RSI is
    above 30 (not oversold), else `hold`."""
    if not 2 <= fast < slow:
        raise ServiceInputError("fast", f"must be at least 2 and below slow ({slow})")
    if not 2 <= rsi_period:
        raise ServiceInputError("rsi_period", "must be at least 2")
    if not isinstance(prices, (list, tuple)):
        raise ServiceInputError("prices", "must be a list of numbers")
    needed = max(slow + 1, rsi_period + 1)
    if not needed <= len(prices) <= MAX_PRICES:
        raise ServiceInputError("prices", f"has {len(prices)} prices, needs {needed} to {MAX_PRICES}")
    for index, price in enumerate(prices):
        if isinstance(price, bool) or not isinstance(price, (int, float)) or not math.isfinite(price) or price <= 0:
            raise ServiceInputError(f"prices.{index}", "must be a positive finite number")
    values = [float(p) for p in prices]
    fast_ema, slow_ema = ema(values, fast), ema(values, slow)
    # both lists end at the last price, so [-1] and [-2] of each belong to the same two prices
    now_fast, now_slow = fast_ema[-1], slow_ema[-1]
    before_fast, before_slow = fast_ema[-2], slow_ema[-2]
    crossover = None
    if before_fast <= before_slow and now_fast > now_slow:
        crossover = "golden"
    elif before_fast >= before_slow and now_fast < now_slow:
        crossover = "death"
    strength = rsi(values, rsi_period)
    action: TrendAction = "hold"
    if now_fast > now_slow and strength < 70:
        action = "buy"
    elif now_fast < now_slow and strength > 30:
        action = "sell"
    return Trend(now_fast, now_slow, strength, crossover, action)
