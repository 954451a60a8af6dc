"""Emergencies told in people's own words (written for this test, not from the vignettes)
must be triaged as emergencies from the text alone."""

from __future__ import annotations

import pytest

from crampwise.engine.assess import assess
from crampwise.knowledge import KnowledgeBase
from crampwise.text import read_text

EMERGENCIES = [
    "My right leg suddenly became cold and pale about 30 minutes ago and I can't move my foot.",
    "Three days after a long flight my left calf is swollen and painful and today I'm short of "
    "breath.",
    "I had thyroid surgery yesterday and now my fingers and lips are tingling and my hands are "
    "cramping into claws. My throat feels tight.",
    "I was hit in the calf by a cricket ball two hours ago, it's swollen and hard as a rock and "
    "the pain is much worse when I move my toes.",
    "After a brutal spin class yesterday my thighs are agony, I can barely stand up from a chair "
    "and my urine is brown.",
    "I've been working on a roof all day in a heatwave, I've got cramps all over, I feel "
    "confused and my skin is hot and dry, I've stopped sweating.",
    "My face feels droopy on the left and my speech is slurred, and my left leg has been cramping.",
    "My calf has been swollen and red for two days and now I've got a sharp pain in my chest "
    "when I breathe.",
    "Out of nowhere my foot went white and numb and it's really painful, I can't wiggle my toes.",
    "Suddenly I can't feel my left foot, it's gone pale and it's freezing cold to touch.",
]


@pytest.mark.parametrize("text", EMERGENCIES, ids=[t[:30] for t in EMERGENCIES])
def test_emergency_from_text_alone(text: str, kb: KnowledgeBase) -> None:
    case = read_text(text, age=60, kb=kb).case
    assert assess(case, kb).level == "emergency", dict(case.findings)


def test_a_denied_sign_does_not_raise_the_level(kb: KnowledgeBase) -> None:
    text = "I get calf cramps at night. No swelling, no redness, no chest pain, my urine is normal."
    case = read_text(text, age=40, kb=kb).case
    assert assess(case, kb).level == "self_care", dict(case.findings)
