"""The numbers behind the analysis, in plain Python (no scipy at run time; it is a test oracle).

The rate ratio of two independent Gamma posteriors, ``λR ~ Gamma(aR, bR)`` and
``λU ~ Gamma(aU, bU)`` (shape, rate), has a closed-form distribution: ``λR/λU`` is a scaled F
variate, which gives ``P(λR/λU < r) = I_z(aR, aU)`` with ``z = r·bR / (r·bR + bU)`` and ``I``
the regularised incomplete beta function. A finite mixture of such posteriors (over the
dispersion factor) is a weighted sum of these, and its quantiles are found by bisection.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

_EPS = 3e-16
_TINY = 1e-300
_MAX_ITER = 500


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_ITER + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return h
    return h  # pragma: no cover - converges in far fewer steps for our shapes


def betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def f_cdf(x: float, d1: float, d2: float) -> float:
    """The F distribution's CDF with d1, d2 degrees of freedom (checked against scipy)."""
    if x <= 0.0:
        return 0.0
    return betainc(d1 / 2.0, d2 / 2.0, d1 * x / (d1 * x + d2))


@dataclass(frozen=True, slots=True)
class GammaPair:
    """Posterior of the two rates under one dispersion factor, with its mixture weight."""

    weight: float
    a_remedy: float
    b_remedy: float
    a_usual: float
    b_usual: float

    def cdf(self, r: float) -> float:
        """P(λremedy / λusual < r)."""
        if r <= 0.0:
            return 0.0
        scaled = r * self.b_remedy
        return betainc(self.a_remedy, self.a_usual, scaled / (scaled + self.b_usual))


def mixture_cdf(components: Sequence[GammaPair], r: float) -> float:
    """P(RR < r) under the mixture (weights sum to 1)."""
    return sum(c.weight * c.cdf(r) for c in components)


def mixture_quantile(components: Sequence[GammaPair], p: float) -> float:
    """The p-quantile of RR under the mixture, found on log RR by the Illinois method.

    Deterministic, and accurate to about 1e-7 on the log scale; a log-normal approximation
    gives the starting bracket, which is widened until it holds the quantile.
    """
    mean = sum(c.weight * _log_mean(c) for c in components)
    sd = math.sqrt(sum(c.weight * (_log_var(c) + (_log_mean(c) - mean) ** 2) for c in components))

    def g(x: float) -> float:
        return mixture_cdf(components, math.exp(x)) - p

    step = max(sd, 0.05)
    lo, hi = mean - 3.0 * step, mean + 3.0 * step
    g_lo, g_hi = g(lo), g(hi)
    while g_lo > 0.0 and lo > -60.0:
        lo -= 3.0 * step
        g_lo = g(lo)
    while g_hi < 0.0 and hi < 60.0:
        hi += 3.0 * step
        g_hi = g(hi)
    side = 0
    for _ in range(100):
        x = (lo * g_hi - hi * g_lo) / (g_hi - g_lo) if g_hi != g_lo else (lo + hi) / 2.0
        gx = g(x)
        if abs(gx) < 1e-10 or hi - lo < 1e-9:
            break
        if (gx < 0.0) == (g_lo < 0.0):
            lo, g_lo = x, gx
            if side == -1:
                g_hi /= 2.0
            side = -1
        else:
            hi, g_hi = x, gx
            if side == 1:
                g_lo /= 2.0
            side = 1
    return math.exp(x)


def _log_mean(c: GammaPair) -> float:
    # E[log λ] for Gamma(a, b) is ψ(a) − log b; ψ(a) ≈ log a − 1/(2a) is enough for a start.
    return (math.log(c.a_remedy) - 0.5 / c.a_remedy - math.log(c.b_remedy)) - (
        math.log(c.a_usual) - 0.5 / c.a_usual - math.log(c.b_usual)
    )


def _log_var(c: GammaPair) -> float:
    # Var[log λ] is ψ'(a) ≈ 1/a + 1/(2a²).
    return sum(1.0 / a + 0.5 / (a * a) for a in (c.a_remedy, c.a_usual))
