"""The report's context (pure) and its rendering, on hand-made records."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from crampwise.case.parse import parse_case
from crampwise.diary.dates import DateRange
from crampwise.diary.factors import load_factors
from crampwise.diary.records import Episode, SavedAssessment
from crampwise.engine.assess import assess
from crampwise.knowledge import KnowledgeBase
from crampwise.report import ExperimentSummary, build_report, render_html, report_filename
from crampwise.report.render import PDF_BASE, _offline_fetcher
from tests.report.conftest import CASE

TODAY = date(2026, 12, 2)


def _saved(kb: KnowledgeBase, when: datetime, case: dict[str, object] = CASE) -> SavedAssessment:
    result = assess(parse_case(case, kb), kb)
    return SavedAssessment(when, dict(case), result.to_dict(), result.knowledge_version, id=1)


def _report(kb: KnowledgeBase, **kwargs: object):  # type: ignore[no-untyped-def]
    args = {"factors": load_factors(), "period": DateRange(), "made_on": TODAY, **kwargs}
    episodes = args.pop("episodes", [])
    assessments = args.pop("assessments", [])
    return build_report(episodes, [], assessments, kb, **args)  # type: ignore[arg-type]


def test_empty_diary_and_no_check(kb: KnowledgeBase) -> None:
    report = _report(kb)
    assert report.check is None and report.diary is None and report.sources == ()
    html = render_html(report)
    assert "No check was saved yet" in html and "No cramps or days recorded yet" in html
    assert "Self-experiments" not in html and "Sources cited" not in html


def test_the_newest_check_in_the_period_is_shown(kb: KnowledgeBase) -> None:
    old = _saved(kb, datetime(2026, 1, 5, 9, 0))
    new_case = {**CASE, "findings": {"site_toes": True, "timing_night": True}}
    new = _saved(kb, datetime(2026, 3, 5, 9, 0), new_case)
    both = [new, old]
    assert _report(kb, assessments=both).check.saved_at == new.created_at  # type: ignore[union-attr]
    january = DateRange(date(2026, 1, 1), date(2026, 1, 31))
    shown = _report(kb, assessments=both, period=january).check
    assert shown is not None and shown.saved_at == old.created_at
    february = DateRange(date(2026, 2, 1), date(2026, 2, 28))
    assert _report(kb, assessments=both, period=february).check is None


def test_an_unreadable_saved_result_is_assessed_again(kb: KnowledgeBase) -> None:
    saved = _saved(kb, datetime(2026, 1, 5, 9, 0))
    broken = SavedAssessment(saved.created_at, saved.case, {"level": "gone"}, "old-version")
    check = _report(kb, assessments=[broken]).check
    assert check is not None and check.reassessed
    assert check.view.level.level == assess(parse_case(CASE, kb), kb).level
    assert "could not be read" in render_html(_report(kb, assessments=[broken]))
    assert not _report(kb, assessments=[saved]).check.reassessed  # type: ignore[union-attr]


def test_health_answers_are_split_into_reported_and_denied(kb: KnowledgeBase) -> None:
    check = _report(kb, assessments=[_saved(kb, datetime(2026, 1, 5))]).check
    assert check is not None
    assert check.reported == (
        kb.findings["smoker"].meaning,
        kb.findings["med_statin"].meaning,
    )
    assert check.denied == (kb.findings["diabetes"].meaning,)


def test_sources_are_those_of_what_is_shown_numbered(kb: KnowledgeBase) -> None:
    report = _report(kb, assessments=[_saved(kb, datetime(2026, 1, 5))])
    v = report.check.view  # type: ignore[union-attr]
    expected = {
        s.id for item in (*v.reasons, *v.other_reasons, *v.top_causes) for s in item.sources
    }
    assert {s.id for s in report.sources} == expected
    assert len(report.sources) == len(expected)  # each once
    assert list(report.source_numbers.values()) == list(range(1, len(expected) + 1))


def test_experiments_section_only_when_given_and_escaped(kb: KnowledgeBase) -> None:
    experiment = ExperimentSummary(
        "<b>Stretch</b> before bed", "probably helps", 0.62, (0.41, 0.93), 0.857, 42
    )
    html = render_html(_report(kb, experiments=[experiment]))
    assert "Self-experiments (N-of-1)" in html
    assert "&lt;b&gt;Stretch&lt;/b&gt; before bed" in html and "<b>Stretch" not in html
    assert "0.62 (0.41–0.93)" in html and "86%" in html and "<td>42</td>" in html
    unestimated = ExperimentSummary("Magnesium", "too early to say", None, None, None, 5)
    assert "not estimable" in render_html(_report(kb, experiments=[unestimated]))


def test_diary_section_counts_sites_and_days(kb: KnowledgeBase) -> None:
    start = datetime(2026, 11, 1, 23, 0)
    episodes = [
        Episode(
            started_at=start + timedelta(days=i),
            duration_minutes=float(1 + i % 3),
            sites=("calf",) if i % 2 else ("calf", "toes"),
            severity=3 + i % 5,
        )
        for i in range(14)
    ]
    diary = _report(kb, episodes=episodes).diary
    assert diary is not None
    assert diary.summary.cramps == 14 and diary.summary.days_covered == 14
    assert diary.summary.cramps_per_week == 7.0
    assert [(s.site, s.cramps, s.percent) for s in diary.sites] == [
        ("toes", 7, 50),
        ("calf", 14, 100),
    ]
    assert diary.severity_range == (3, 7) and diary.minutes_range == (1.0, 3.0)
    assert diary.chart.src.startswith("data:image/svg+xml;base64,")
    assert diary.chart.narrow_src.startswith("data:image/svg+xml;base64,")
    assert diary.chart.src != diary.chart.narrow_src


def test_file_names_hold_only_the_date() -> None:
    assert report_filename(TODAY, "pdf") == "crampwise-report-2026-12-02.pdf"
    assert report_filename(TODAY, "html") == "crampwise-report-2026-12-02.html"


@pytest.mark.slow  # the first import of WeasyPrint takes seconds
@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/tracker.png",
        "http://127.0.0.1:8000/static/report.css",
        "file:///etc/passwd",
        f"{PDF_BASE}static/../../etc/passwd",
        f"{PDF_BASE}static/nothing.css",
        f"{PDF_BASE}api/v1/export",
    ],
)
def test_pdf_fetcher_refuses_everything_but_packaged_files(url: str) -> None:
    pytest.importorskip("weasyprint")
    with pytest.raises(ValueError):
        _offline_fetcher().fetch(url)


@pytest.mark.slow
def test_pdf_fetcher_serves_the_stylesheet_and_data() -> None:
    pytest.importorskip("weasyprint")
    fetcher = _offline_fetcher()
    css = fetcher.fetch(f"{PDF_BASE}static/report.css")
    assert b"@page" in css.read()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_weasyprint_log_lines_lose_data_uris() -> None:
    import logging

    from crampwise.report.render import _NoDataUris

    record = logging.LogRecord(
        "weasyprint",
        logging.ERROR,
        __file__,
        1,
        "Failed to load image at %r: %s",
        ("data:image/svg+xml;base64,PHN2Zz4=", "boom"),
        None,
    )
    assert _NoDataUris().filter(record)
    assert record.getMessage() == "Failed to load image at 'data:(left out)': boom"


def test_a_result_citing_unknown_sources_is_assessed_again(kb: KnowledgeBase) -> None:
    saved = _saved(kb, datetime(2026, 1, 5, 9, 0))
    result = {**saved.result, "references": {}}  # an imported file may hold anything
    odd = SavedAssessment(saved.created_at, saved.case, result, saved.knowledge_version)
    check = _report(kb, assessments=[odd]).check
    assert check is not None and check.reassessed


def test_an_unreadable_check_leaves_the_rest_of_the_report(kb: KnowledgeBase) -> None:
    broken = SavedAssessment(datetime(2026, 1, 5), {"age": "old"}, {}, "v")
    report = _report(kb, assessments=[broken])
    assert report.check is None
    assert report.check_problem is not None and "age" in report.check_problem
    html = render_html(report)
    assert "The latest saved check (2026-01-05) cannot be read" in html
    assert "No check was saved" not in html
