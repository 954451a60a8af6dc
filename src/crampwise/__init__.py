"""crampwise: assess, track and test what helps toe, foot and leg cramps.

The public API, loaded lazily so that importing crampwise (and starting the CLI) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crampwise.case import Case, parse_case
    from crampwise.engine.assess import assess
    from crampwise.knowledge import load_knowledge

__all__ = ["Case", "assess", "load_knowledge", "parse_case"]

_WHERE = {
    "Case": "crampwise.case",
    "parse_case": "crampwise.case",
    "assess": "crampwise.engine.assess",
    "load_knowledge": "crampwise.knowledge",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'crampwise' has no attribute {name!r}")
