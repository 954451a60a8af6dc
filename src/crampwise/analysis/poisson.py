"""Poisson regression (log link) fitted in numpy, with quasi-Poisson standard errors.

Why not statsmodels: importing statsmodels and scipy takes 1.5-3 s, longer than the whole
`crampwise insights` budget. A Poisson GLM is a few lines of Newton-Raphson (IRLS, which is
the same thing for the canonical log link); the tests check it against statsmodels.

Overdispersion: cramp counts often vary more from day to day than a Poisson model allows.
We keep the Poisson point estimates (still consistent when the mean model is right) and
scale the covariance by the Pearson chi-squared / residual df when that is above 1
(quasi-Poisson). We never shrink intervals when the data look underdispersed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

Z95 = 1.959963984540054  # the 97.5% point of the standard normal
MAX_ABS_COEF = 10.0  # a rate ratio beyond e^10 means the MLE is running off to infinity


class FitError(Exception):
    """The model could not be fitted: too few rows, or the Newton steps did not converge."""


@dataclass(frozen=True, slots=True)
class PoissonFit:
    """A fitted model. ``cov`` is the quasi-Poisson covariance used for intervals."""

    params: NDArray[np.float64]
    cov_unscaled: NDArray[np.float64]
    """Inverse Fisher information (the plain Poisson covariance)."""
    dispersion: float
    """Pearson chi-squared / residual degrees of freedom."""
    deviance: float
    iterations: int
    n_obs: int

    @property
    def scale(self) -> float:
        """The factor applied to the covariance: the dispersion when above 1, else 1."""
        return max(1.0, self.dispersion)

    @property
    def cov(self) -> NDArray[np.float64]:
        return self.cov_unscaled * self.scale

    @property
    def bse(self) -> NDArray[np.float64]:
        import numpy as np

        return np.sqrt(np.diag(self.cov))

    def wald(self, j: int) -> tuple[float, float, float, float]:
        """(estimate, 95% low, 95% high, two-sided p) for coefficient ``j`` on the log scale."""
        b = float(self.params[j])
        se = float(self.bse[j])
        p = math.erfc(abs(b / se) / math.sqrt(2.0)) if se > 0 else float("nan")
        return b, b - Z95 * se, b + Z95 * se, p


def _deviance(y: NDArray[np.float64], mu: NDArray[np.float64]) -> float:
    import numpy as np

    # y*log(y/mu) is 0 when y == 0; np.where avoids log(0) warnings.
    safe_y = np.where(y > 0, y, 1.0)
    terms = np.where(y > 0, y * np.log(safe_y / mu), 0.0) - (y - mu)
    return float(2.0 * terms.sum())


def fit_poisson(
    X: NDArray[np.float64],
    y: NDArray[np.float64],
    *,
    max_iter: int = 100,
    tol: float = 1e-15,
) -> PoissonFit:
    """Maximum-likelihood Poisson regression of ``y`` on ``X`` (which holds the intercept).

    Newton-Raphson with step halving on the deviance. Raises FitError when the information
    matrix is singular (collinear columns) or a coefficient runs away (separation), so the
    caller can drop the column and report it as "not enough data".
    """
    import numpy as np

    n, k = X.shape
    if n <= k:
        raise FitError(f"{n} rows for {k} coefficients")
    beta, mu, dev, iterations = _newton(X, y, max_iter, tol)
    # A coefficient beyond MAX_ABS_COEF is left to the caller: it names the column to drop.
    info = X.T @ (X * mu[:, None])
    try:
        cov = np.asarray(np.linalg.inv(info), dtype=np.float64)
    except np.linalg.LinAlgError as exc:
        raise FitError("the columns are collinear") from exc
    # A nearly singular matrix can invert to negative variances (sqrt of them: NaN).
    variances = np.diag(cov)
    if not np.all(np.isfinite(variances)) or np.any(variances <= 0):
        raise FitError("the columns are nearly collinear")
    pearson = float((((y - mu) ** 2) / mu).sum())
    return PoissonFit(
        params=beta,
        cov_unscaled=cov,
        dispersion=pearson / (n - k),
        deviance=dev,
        iterations=iterations,
        n_obs=n,
    )


def _newton(
    X: NDArray[np.float64], y: NDArray[np.float64], max_iter: int, tol: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], float, int]:
    """Newton-Raphson with step halving: (coefficients, fitted means, deviance, iterations)."""
    import numpy as np

    beta = np.zeros(X.shape[1])
    # Start at the mean rate: the intercept is the first column by convention.
    beta[0] = math.log(max(float(y.mean()), 1e-3))
    mu = np.exp(X @ beta)
    dev = _deviance(y, mu)
    for iteration in range(1, max_iter + 1):
        info = X.T @ (X * mu[:, None])
        score = X.T @ (y - mu)
        try:
            step = np.linalg.solve(info, score)
        except np.linalg.LinAlgError as exc:
            raise FitError("the columns are collinear") from exc
        # Step halving keeps the deviance falling when a full Newton step overshoots.
        for _ in range(30):
            new_beta = beta + step
            new_mu = np.exp(np.clip(X @ new_beta, -50.0, 50.0))
            new_dev = _deviance(y, new_mu)
            if new_dev <= dev + 1e-9 * (abs(dev) + 1.0):
                break
            step = step / 2.0
        change = abs(dev - new_dev) / (abs(new_dev) + 0.1)
        beta, mu, dev = new_beta, new_mu, new_dev
        # Newton steps shrink fast near the optimum; a flat deviance with big steps means a
        # coefficient is running off to infinity, which the caller detects and reports.
        if float(np.max(np.abs(step))) < 1e-9 or change < tol:
            if not np.all(np.isfinite(beta)):
                raise FitError("the coefficients are not finite")
            return beta, mu, dev, iteration
    raise FitError(f"no convergence after {max_iter} iterations")


def holm(p_values: list[float]) -> list[float]:
    """Holm step-down adjusted p-values (controls the family-wise error rate)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted
