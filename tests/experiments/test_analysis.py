"""The analysis: counting, the closed form against scipy, and the edge cases."""

from __future__ import annotations

import json
import math
import random
from datetime import date, datetime, timedelta

import pytest
from scipy import special, stats

from crampwise.experiments import analyse, design
from crampwise.experiments.model import BlockTotal, pearson, posterior
from crampwise.experiments.stats import GammaPair, betainc, f_cdf, mixture_quantile

START = date(2026, 3, 2)


def schedule(pairs: int = 3):  # type: ignore[no-untyped-def]
    return design("calf_stretch_bedtime", start=START, seed=42, pairs=pairs)


def test_betainc_and_f_cdf_match_scipy() -> None:
    rng = random.Random(5)
    for _ in range(500):
        a, b, x = rng.uniform(0.05, 300), rng.uniform(0.05, 300), rng.random()
        assert betainc(a, b, x) == pytest.approx(special.betainc(a, b, x), abs=1e-12)
        d1, d2, f = rng.uniform(0.1, 200), rng.uniform(0.1, 200), rng.uniform(0, 5)
        assert f_cdf(f, d1, d2) == pytest.approx(stats.f.cdf(f, d1, d2), abs=1e-12)


def test_rate_ratio_closed_form_matches_the_f_distribution_and_monte_carlo() -> None:
    pair = GammaPair(1.0, a_remedy=4.5, b_remedy=16.0, a_usual=12.5, b_usual=16.0)
    for r in (0.2, 0.5, 1.0, 2.0):
        # stack notes: P(RR < r) = F.cdf(r·aU·bR/(aR·bU), 2aR, 2aU)
        f = stats.f.cdf(r * 12.5 * 16.0 / (4.5 * 16.0), 9.0, 25.0)
        assert pair.cdf(r) == pytest.approx(f, abs=1e-12)
    q = mixture_quantile((pair,), 0.975)
    assert pair.cdf(q) == pytest.approx(0.975, abs=1e-8)
    import numpy as np

    rng = np.random.default_rng(1)
    ratio = rng.gamma(4.5, 1 / 16.0, 200_000) / rng.gamma(12.5, 1 / 16.0, 200_000)
    assert np.mean(ratio < 0.5) == pytest.approx(pair.cdf(0.5), abs=0.005)


def _fill(s, remedy_rate: float, usual_rate: float, seed: int = 3) -> list[date]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    out: list[date] = []
    for d in s.days:
        rate = remedy_rate if d.arm == "remedy" else usual_rate
        out += [d.date] * sum(rng.random() < rate / 10 for _ in range(10))
    return out


def test_counts_only_counted_days_up_to_today_by_start_date() -> None:
    s = schedule()
    washout = next(d for d in s.days if not d.counted)
    counted = [d for d in s.days if d.counted]
    cramps: list[date | datetime] = [
        washout.date,  # washout: not counted
        START - timedelta(days=1),  # before the experiment
        s.end + timedelta(days=1),  # after it
        datetime.combine(counted[0].date, datetime.min.time()).replace(hour=23, minute=50),
        counted[1].date,
        counted[1].date,
    ]
    r = analyse(s, cramps, {}, today=counted[1].date)
    arm0, arm1 = counted[0].arm, counted[1].arm
    expected = {"remedy": 0, "usual": 0}
    expected[arm0] += 1
    expected[arm1] += 2
    assert r.cramps == expected
    assert sum(r.days.values()) == 2
    assert r.complete is False and any("Stopped early" in c for c in r.caveats)


def test_no_cramps_at_all_gives_a_wide_interval_around_one() -> None:
    s = schedule()
    r = analyse(s, [], {}, today=s.end)
    assert r.cramps == {"remedy": 0, "usual": 0}
    assert r.days == {"remedy": 15, "usual": 15}
    assert r.rate_ratio == pytest.approx(1.0, abs=1e-6)
    assert r.p_benefit == pytest.approx(0.5, abs=1e-9)
    assert r.interval is not None and r.interval[0] < 0.1 and r.interval[1] > 10
    assert r.verdict_id == "cant_tell"
    assert r.dispersion is not None and not r.dispersion.checked


def test_before_the_start_and_after_one_block_there_is_not_enough() -> None:
    s = schedule()
    before = analyse(s, [], {}, today=START - timedelta(days=1))
    assert before.verdict_id == "not_enough" and before.rate_ratio is None
    assert before.to_dict()["interval"] is None and before.caveats == []
    one_block = analyse(s, _fill(s, 0.2, 1.0), {}, today=START + timedelta(days=6))
    assert one_block.verdict_id == "not_enough"
    assert min(one_block.days.values()) == 0 and max(one_block.days.values()) == 5


def test_stopped_after_one_pair_reports_what_the_data_can_say() -> None:
    s = schedule()
    r = analyse(s, _fill(s, 0.3, 1.2), {}, today=START + timedelta(days=13))
    assert r.days == {"remedy": 5, "usual": 5}
    assert r.rate_ratio is not None and r.interval is not None
    assert r.interval[0] < r.rate_ratio < r.interval[1]
    assert r.dispersion is not None and r.dispersion.df == 0  # one block per arm: no check
    assert any("Too few blocks" in c for c in r.caveats)
    full = analyse(s, _fill(s, 0.3, 1.2), {}, today=s.end)
    assert full.interval is not None
    assert full.interval[1] / full.interval[0] < r.interval[1] / r.interval[0]


def test_all_checkins_missed_adherence_zero_analysis_unchanged() -> None:
    s = schedule()
    cramps = _fill(s, 0.3, 1.0)
    none = analyse(s, cramps, {}, today=s.end)
    done = analyse(s, cramps, {d.date: d.arm == "remedy" for d in s.days}, today=s.end)
    assert none.adherence == 0.0 and done.adherence == 1.0
    assert none.checkins["remedy_missing"] == 15
    assert none.rate_ratio == done.rate_ratio  # intention to treat: check-ins do not move it
    assert any("Adherence" in c for c in none.caveats)
    assert not any("Adherence" in c for c in done.caveats)
    usual_done = analyse(s, cramps, {d.date: True for d in s.days}, today=s.end)
    assert usual_done.checkins["usual_done"] == 15
    assert any("usual-routine days" in c for c in usual_done.caveats)


def test_clear_benefit_is_reported_with_numbers_that_agree() -> None:
    s = schedule(pairs=4)
    r = analyse(s, _fill(s, 0.2, 1.5), {}, today=s.end)
    assert r.verdict_id == "helps"
    assert r.interval is not None and r.interval[1] < 1
    assert r.p_benefit is not None and r.p_benefit >= 0.975
    assert r.p_benefit_20 is not None and r.p_benefit_20 <= r.p_benefit
    assert r.verdict.startswith("likely helps: about ")
    assert "fewer cramps (95% interval" in r.verdict
    body = r.to_dict()
    json.dumps(body)  # JSON-ready
    for key in ("rate_ratio", "interval", "p_benefit", "p_benefit_20", "cramps", "days"):
        assert key in body
    assert body["adherence"] == 0.0 and body["verdict"] == r.verdict


def test_results_are_deterministic() -> None:
    s = schedule()
    cramps = _fill(s, 0.5, 0.9)
    assert analyse(s, cramps, {}, today=s.end) == analyse(s, cramps, {}, today=s.end)


def test_clustered_blocks_widen_the_interval() -> None:
    even = [BlockTotal(b, "remedy" if b % 2 else "usual", 5, 4) for b in range(8)]
    clustered = [
        BlockTotal(b, "remedy" if b % 2 else "usual", 5, c)
        for b, c in enumerate([0, 9, 8, 0, 1, 7, 7, 0])
    ]
    assert sum(b.cramps for b in clustered) == sum(b.cramps for b in even) - 0
    chi2, df = pearson(clustered)
    assert df == 6 and chi2 > 20
    wide, narrow = posterior(clustered), posterior(even)
    assert wide.dispersion.phi_median > 2
    assert math.log(wide.upper / wide.lower) > 1.5 * math.log(narrow.upper / narrow.lower)
