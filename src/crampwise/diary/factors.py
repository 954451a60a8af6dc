"""Daily-factor definitions (factors.yaml) and validation of factor values."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from crampwise.diary.records import FactorValue
from crampwise.errors import FieldProblem, KnowledgeError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Exposure(_Strict):
    """How the trigger analysis turns a day's value into exposed / not exposed."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    below: float | None = None
    at_least: float | None = None
    equals: tuple[bool | str, ...] | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Exposure:
        if sum(x is not None for x in (self.below, self.at_least, self.equals)) != 1:
            raise ValueError("an exposure has exactly one of below / at_least / equals")
        return self

    def exposed(self, value: FactorValue | None) -> bool | None:
        """True/False for a recorded value; None when the day has no value for the factor."""
        if value is None:
            return None
        if self.equals is not None:
            return value in self.equals
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if self.below is not None:
            return value < self.below
        assert self.at_least is not None
        return value >= self.at_least


class FactorDefinition(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    type: Literal["number", "bool", "choice"]
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    exposure: Exposure

    def check(self, value: object) -> FactorValue:
        """The value if it is allowed; ValueError with the allowed values otherwise."""
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            raise ValueError("must be true or false")
        if self.type == "choice":
            if isinstance(value, str) and value in self.choices:
                return value
            raise ValueError(f"must be one of {', '.join(self.choices)}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise ValueError(self.allowed())
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise ValueError(self.allowed())
        return float(value)

    def allowed(self) -> str:
        if self.type == "number":
            # Either bound may be left out of the definition: say only the ones there are.
            low, high = self.minimum, self.maximum
            if low is not None and high is not None:
                return f"must be a number from {low:g} to {high:g}"
            if low is not None:
                return f"must be a number of at least {low:g}"
            if high is not None:
                return f"must be a number of at most {high:g}"
            return "must be a number"
        if self.type == "bool":
            return "must be true or false"
        return f"must be one of {', '.join(self.choices)}"


class _FactorsFile(_Strict):
    factors: tuple[FactorDefinition, ...]


def load_factors(path: Path | None = None) -> tuple[FactorDefinition, ...]:
    return _load(path or Path(str(resources.files("crampwise.diary") / "data" / "factors.yaml")))


@cache
def _load(path: Path) -> tuple[FactorDefinition, ...]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return _FactorsFile.model_validate(raw).factors
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path.name}: cannot be read: {exc}") from exc
    except ValidationError as exc:
        problems = [
            FieldProblem(f"{path.name}: " + ".".join(str(p) for p in e["loc"]), e["msg"])
            for e in exc.errors()
        ]
        raise KnowledgeError(f"{path.name}: invalid factor definitions", problems) from None


def factors_by_id() -> dict[str, FactorDefinition]:
    return {f.id: f for f in load_factors()}
