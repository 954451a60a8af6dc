"""Records as pydantic dataclasses that speak crampwise's one error.

A record states its checks declaratively where pydantic can (types, bounds, lengths: they
also give the JSON Schema) and gives its own words for those errors (:data:`Messages`);
checks that need plain words or report several problems at once raise :func:`refuse`.
:func:`problems_of` turns either kind into FieldProblems named with
:func:`crampwise.errors.field_path`; :func:`raising` makes a record's constructor raise
InvalidInputError; :func:`trusted` rebuilds a record without checks (data we wrote).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any, TypeVar

from pydantic import ValidationError, ValidationInfo
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from crampwise.errors import FieldProblem, InvalidInputError, field_path

T = TypeVar("T")
Where = tuple[str | int, ...]
# field -> pydantic error type (or "*" for any) -> message, or a function of the input
Messages = Mapping[str, Mapping[str, str | Callable[[Any], str]]]

_REFUSED = "crampwise_refused"


def refuse(message: str, *more: tuple[Where, str]) -> PydanticCustomError:
    """An error in our own words; ``more`` adds problems below the field (``(where, message)``)."""
    problems = [((), message), *more] if message else list(more)
    return PydanticCustomError(
        _REFUSED, "{summary}", {"summary": "; ".join(m for _, m in problems), "problems": problems}
    )


def problems_of(
    exc: ValidationError,
    cls: type[Any],
    messages: Messages,
    *,
    line: int | None = None,
    prefix: str = "",
    rename: Mapping[str, str] | None = None,
) -> list[FieldProblem]:
    """The FieldProblems of a record's ValidationError, named as the user wrote them."""
    names = tuple(f.name for f in fields(cls))
    out: list[FieldProblem] = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        if loc and isinstance(loc[0], int) and loc[0] < len(names):
            loc[0] = names[loc[0]]  # a positional argument
        # A list item is named by its list: the message quotes the item itself.
        parts: list[str | int] = [p for i, p in enumerate(loc) if i == 0 or isinstance(p, str)]
        if parts and rename and parts[0] in rename:
            parts[0] = rename[str(parts[0])]
        if err["type"] == _REFUSED:
            for where, message in err["ctx"]["problems"]:
                out.append(FieldProblem(prefix + field_path([*parts, *where]), message, line))
            continue
        field = str(loc[0]) if loc else ""
        table = messages.get(field, {})
        found = table.get(err["type"], table.get("*"))
        if found is None:
            message = _default_message(err["type"], str(err["msg"]), names, rename)
        elif callable(found):
            message = found(err.get("input"))
        else:
            message = found
        out.append(FieldProblem(prefix + field_path(parts) if parts else prefix, message, line))
    return out


def _default_message(
    kind: str, msg: str, names: tuple[str, ...], rename: Mapping[str, str] | None
) -> str:
    if kind == "missing":
        return "is required"
    if kind in ("unexpected_keyword_argument", "unexpected_positional_argument"):
        allowed = [(rename or {}).get(n, n) for n in names]
        return f"unknown field; allowed: {', '.join(allowed)}"
    return msg[:1].lower() + msg[1:]


def raising(
    message: str, messages: Messages, rename: Mapping[str, str] | None = None
) -> Callable[[type[T]], type[T]]:
    """Make a record's constructor raise InvalidInputError (naming every field), not
    pydantic's ValidationError: code that builds a record speaks crampwise's one error."""

    def wrap(cls: type[T]) -> type[T]:
        init = cls.__init__

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            try:
                init(self, *args, **kwargs)
            except ValidationError as exc:
                problems = problems_of(exc, cls, messages, rename=rename)
                raise InvalidInputError(message, problems) from None

        functools.update_wrapper(__init__, init)  # keeps the signature for inspect and docs
        setattr(cls, "__init__", __init__)  # noqa: B010  (mypy forbids assigning a method)
        return cls

    return wrap


def trusted(cls: type[T], **values: Any) -> T:
    """A record built without checks, for data crampwise itself wrote or already checked.

    Rows written before a rule existed must still be readable (an old note may hold a
    control character); reading tens of thousands of rows also stays cheap.
    """
    record = object.__new__(cls)
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name in values:
            value = values[f.name]
        elif isinstance(f.default, FieldInfo):  # pydantic keeps Field(...) as the default
            value = f.default.get_default(call_default_factory=True)
        else:
            value = f.default
        object.__setattr__(record, f.name, value)
    return record


def context_value(info: ValidationInfo, key: str) -> Any:
    context = info.context  # a dict or None (checked with a dict: this runs per record)
    return context.get(key) if context else None
