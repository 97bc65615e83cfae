"""Order statistics with the same arithmetic as Cardinal (Rust `statrs`).

Quartiles use the "median-unbiased" definition (Hyndman & Fan type 8):
h = (n + 1/3) p + 1/3, interpolating between the order statistics around h.
Fences use a fused multiply-add (one rounding), computed here exactly with
fractions, so that values sitting right on a fence are classified alike.
"""

from __future__ import annotations

import math
from fractions import Fraction

_THIRD = 1.0 / 3.0
_EPSILON = 2.220446049250313e-16


def _ulps_eq_one(tau: float) -> bool:
    if abs(tau - 1.0) <= _EPSILON:
        return True
    # Within 4 units in the last place of 1.0.
    return abs(tau - 1.0) <= 4 * math.ulp(1.0)


def quantile(values: list[float], tau: float, *, is_sorted: bool = False) -> float:
    """The tau-quantile of values (NaN if values is empty or tau is outside [0, 1])."""
    n = len(values)
    if not 0.0 <= tau <= 1.0 or n == 0:
        return math.nan
    data = values if is_sorted else sorted(values)
    h = (n + _THIRD) * tau + _THIRD
    hf = int(h)
    if hf <= 0 or tau == 0.0:
        return data[0]
    if hf >= n or _ulps_eq_one(tau):
        return data[-1]
    a = data[hf - 1]
    b = data[hf]
    return a + (h - hf) * (b - a)


def quartiles(values) -> tuple[float, float]:
    """First and third quartiles of any iterable of floats."""
    data = sorted(values)
    return quantile(data, 0.25, is_sorted=True), quantile(data, 0.75, is_sorted=True)


def fma(a: float, b: float, c: float) -> float:
    """a * b + c with a single rounding (like Rust's f64::mul_add)."""
    if math.isfinite(a) and math.isfinite(b) and math.isfinite(c):
        return float(Fraction(a) * Fraction(b) + Fraction(c))
    return a * b + c


def lower_fence(q1: float, q3: float) -> float:
    """q1 - 1.5 IQR."""
    return fma(q3 - q1, -1.5, q1)


def upper_fence(q1: float, q3: float) -> float:
    """q3 + 1.5 IQR."""
    return fma(q3 - q1, 1.5, q3)


def round4(value: float) -> float:
    """Round to 4 decimals, halves away from zero (like Rust's f64::round)."""
    if not math.isfinite(value):
        return value
    scaled = value * 10_000.0
    whole = float(math.trunc(scaled))
    if abs(scaled - whole) >= 0.5:
        whole += math.copysign(1.0, scaled)
    return whole / 10_000.0


def divide(numerator: float, denominator: float) -> float:
    """IEEE 754 division: x/0 is ±inf, 0/0 is NaN (Python raises instead)."""
    if denominator == 0:
        if numerator == 0 or math.isnan(numerator):
            return math.nan
        return math.copysign(math.inf, numerator) * math.copysign(1.0, denominator)
    return numerator / denominator
