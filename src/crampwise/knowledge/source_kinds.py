"""Each kind of source (sources.yaml ``kind``) in the words people read."""

from __future__ import annotations

SOURCE_KIND_WORDS = {
    "seed": "consumer article",
    "guideline": "guideline",
    "systematic_review": "systematic review",
    "trial": "trial",
    "study": "study",
    "reference": "reference work",
}
"""Covers every kind ``knowledge.schema.Source`` allows (a test checks)."""
