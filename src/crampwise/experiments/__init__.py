"""N-of-1 experiments: test a remedy against the usual routine in randomised blocks.

The library does no I/O beyond reading the packaged remedies file: remedies as data
(:mod:`.remedies`), the randomised block design (:mod:`.design`), the analysis with its
count model (:mod:`.analysis`, :mod:`.model`), the words (:mod:`.verdict`) and the chart
(:mod:`.chart`). Storage, the CLI and the web pages build on these. numpy is not needed.
"""

from crampwise.experiments.analysis import ExperimentResult, analyse
from crampwise.experiments.chart import chart_svg
from crampwise.experiments.design import (
    Schedule,
    ScheduledDay,
    design,
    design_for,
    new_seed,
    schedule_from_dict,
)
from crampwise.experiments.remedies import Remedy, eligible, load_remedies, load_remedy_file

__all__ = [
    "ExperimentResult",
    "Remedy",
    "Schedule",
    "ScheduledDay",
    "analyse",
    "chart_svg",
    "design",
    "design_for",
    "eligible",
    "load_remedies",
    "load_remedy_file",
    "new_seed",
    "schedule_from_dict",
]
