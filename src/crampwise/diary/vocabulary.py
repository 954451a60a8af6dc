"""The diary's vocabularies and bounds, defined once.

Plain constants with no imports, so the CLI can list them in ``--help`` without loading the
record models (pydantic) or the database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

SITES = ("toes", "foot", "calf", "thigh", "buttock", "hands", "trunk")
SIDES = ("left", "right", "both")
ACTIVITIES = ("in_bed", "sitting", "walking", "exercising", "after_exercise", "standing")
ACTIONS = (
    "stretched",
    "massaged",
    "walked",
    "heat",
    "ice",
    "drank",
    "medicine",
    "nothing",
    "other",
)
SEVERITY_MIN, SEVERITY_MAX = 0, 10
MAX_MINUTES = 24 * 60  # a "cramp" lasting longer than a day is a typo or another condition
MAX_NOTE = 2000
EARLIEST = datetime(1900, 1, 1)
# A phone clock a little ahead of the computer's must not make "now" look like the future.
CLOCK_SLACK = timedelta(minutes=5)
