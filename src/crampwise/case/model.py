"""The case: what is known about one person's cramps at one moment (crampwise-case/1)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Re-exported: the case format's values, defined once in the knowledge schema.
from crampwise.knowledge.schema import SEXES as SEXES

FORMAT = "crampwise-case/1"

FindingValue = bool | float | int | str


@dataclass(frozen=True, slots=True)
class Case:
    """A validated case. A finding missing from ``findings`` is unknown, not ``False``."""

    age: float
    sex: str | None = None
    findings: Mapping[str, FindingValue] = field(default_factory=dict)

    def with_findings(self, updates: Mapping[str, FindingValue | None]) -> Case:
        """A copy with findings set (a value) or made unknown again (``None``)."""
        merged: dict[str, FindingValue] = dict(self.findings)
        for key, value in updates.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        return Case(age=self.age, sex=self.sex, findings=merged)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": FORMAT, "age": self.age}
        if self.sex is not None:
            out["sex"] = self.sex
        out["findings"] = dict(self.findings)
        return out
