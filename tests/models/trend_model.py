"""Reference model of the gateway's trend service (gateway/services.py): the textbook recurrences in
exact rational arithmetic (`fractions.Fraction`), written independently of the service's floats."""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence


def ema_last(prices: Sequence[float], period: int) -> Fraction:
    """EMA_t = alpha * p_t + (1 - alpha) * EMA_{t-1}, alpha = 2 / (period + 1), EMA seeded with the
    simple mean of the first `period` prices."""
    values = [Fraction(p) for p in prices]
    alpha = Fraction(2, period + 1)
    average = sum(values[:period], Fraction(0)) / period
    for price in values[period:]:
        average = alpha * price + (1 - alpha) * average
    return average


def ema_before_last(prices: Sequence[float], period: int) -> Fraction:
    return ema_last(prices[:-1], period)


def rsi_last(prices: Sequence[float], period: int) -> Fraction:
    """RSI = 100 - 100 / (1 + RS), RS = Wilder-smoothed gain / loss; 100 if no loss, 50 if no move."""
    values = [Fraction(p) for p in prices]
    gains = [max(b - a, Fraction(0)) for a, b in zip(values, values[1:])]
    losses = [max(a - b, Fraction(0)) for a, b in zip(values, values[1:])]
    gain, loss = sum(gains[:period], Fraction(0)) / period, sum(losses[:period], Fraction(0)) / period
    for g, l in zip(gains[period:], losses[period:]):
        gain = (gain * (period - 1) + g) / period
        loss = (loss * (period - 1) + l) / period
    if loss == 0:
        return Fraction(50) if gain == 0 else Fraction(100)
    return 100 - Fraction(100) / (1 + gain / loss)


def action(prices: Sequence[float], fast: int, slow: int, rsi_period: int) -> str:
    f, s, r = ema_last(prices, fast), ema_last(prices, slow), rsi_last(prices, rsi_period)
    if f > s and r < 70:
        return "buy"
    if f < s and r > 30:
        return "sell"
    return "hold"
