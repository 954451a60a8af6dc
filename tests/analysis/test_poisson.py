"""The numpy Poisson fit against statsmodels (the oracle), and Holm's correction."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

from crampwise.analysis.poisson import FitError, fit_poisson, holm


def _design(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    binary = (rng.random((n, k)) < 0.3).astype(float)
    trend = np.linspace(0, 1, n)[:, None]
    return np.column_stack([np.ones(n), trend, binary])


@pytest.mark.parametrize("overdispersed", [False, True])
def test_matches_statsmodels_glm_poisson(overdispersed: bool) -> None:
    rng = np.random.default_rng(11)
    X = _design(rng, 400, 6)
    beta = np.array([0.2, 0.3, 0.7, -0.5, 0.0, 0.1, 0.0, -0.2])
    mu = np.exp(X @ beta)
    # Gamma-mixed Poisson gives the overdispersion that quasi-Poisson must scale for.
    rate = mu * rng.gamma(2.0, 0.5, size=mu.size) if overdispersed else mu
    y = rng.poisson(rate).astype(float)

    ours = fit_poisson(X, y)
    model = sm.GLM(y, X, family=sm.families.Poisson())
    plain = model.fit()
    quasi = model.fit(scale="X2")

    np.testing.assert_allclose(ours.params, plain.params, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.cov_unscaled, plain.cov_params(), rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(ours.dispersion, quasi.scale, rtol=1e-6)
    np.testing.assert_allclose(ours.deviance, plain.deviance, rtol=1e-8)
    expected = quasi if ours.dispersion > 1 else plain
    assert (ours.dispersion > 1) == overdispersed
    np.testing.assert_allclose(ours.bse, expected.bse, rtol=1e-6)
    lo_hi = expected.conf_int()
    for j in range(X.shape[1]):
        b, lo, hi, p = ours.wald(j)
        np.testing.assert_allclose([b, lo, hi], [expected.params[j], *lo_hi[j]], rtol=1e-6)
        np.testing.assert_allclose(p, expected.pvalues[j], rtol=1e-5, atol=1e-12)


def test_collinear_columns_raise_fit_error() -> None:
    rng = np.random.default_rng(1)
    X = _design(rng, 100, 2)
    X = np.column_stack([X, X[:, 2]])  # an exact copy of a column
    y = rng.poisson(1.0, size=100).astype(float)
    with pytest.raises(FitError, match="collinear"):
        fit_poisson(X, y)


def test_too_few_rows_raise_fit_error() -> None:
    with pytest.raises(FitError, match="rows"):
        fit_poisson(np.ones((3, 3)), np.ones(3))


def test_separated_column_runs_away_without_crashing() -> None:
    # No cramps on any exposed day: the MLE is -infinity; the fit must stop and show it.
    x = np.array([1.0] * 10 + [0.0] * 30)
    y = np.where(x == 1, 0.0, 2.0)
    fit = fit_poisson(np.column_stack([np.ones(40), x]), y)
    assert fit.params[1] < -10


def test_holm_matches_statsmodels() -> None:
    p = [0.001, 0.04, 0.03, 0.2, 0.0125, 0.9]
    expected = multipletests(p, method="holm")[1]
    np.testing.assert_allclose(holm(p), expected)
    assert holm([]) == []
