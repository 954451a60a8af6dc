"""Properties of the reader that must hold for any text (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.knowledge import KnowledgeBase, load_knowledge
from crampwise.text import read_text

KB = load_knowledge()
SERIOUS = sorted(fid for fid, f in KB.findings.items() if f.group == "serious")

# How people name warning signs and other findings, as short noun phrases.
SIGNS = [
    "swelling in my calf",
    "chest pain",
    "dark urine",
    "a cold white foot",
    "numbness in my feet",
    "twitching muscles",
    "bruising",
    "back pain",
    "calf cramps at night",
    "a sore on my toe that will not heal",
    "tingling around my mouth",
    "slurred speech",
    "shortness of breath",
    "swollen ankles",
    "cramps in my hands",
]
OPENERS = ["", "I have ", "There is ", "I've had ", "Lately I get "]
UNRELATED = [
    "I like gardening.",
    "The weather has been grey.",
    "My cat is called Tom.",
    "I work in an office in Leeds.",
    "We went to the seaside on Sunday.",
]
settings.register_profile(
    "reader", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("reader")

texts = st.builds(
    lambda opener, sign, tail: f"{opener}{sign}{tail}",
    st.sampled_from(OPENERS),
    st.sampled_from(SIGNS),
    st.sampled_from(["", ".", " for two weeks.", " and it wakes me up."]),
)


@given(sign=st.sampled_from(SIGNS), opener=st.sampled_from(["", "There is ", "I have "]))
def test_adding_no_never_makes_a_sign_true(sign: str, opener: str) -> None:
    before = read_text(f"{opener}{sign}.", age=55, kb=KB).case.findings
    after = read_text(f"{opener}no {sign}.", age=55, kb=KB).case.findings
    for fid, value in after.items():
        if value is True:
            assert before.get(fid) is True, f"'no {sign}' made {fid} true"
    for fid in SERIOUS:
        assert after.get(fid) is not True, f"'no {sign}' read {fid} as true"


@given(text=texts, extra=st.sampled_from(UNRELATED))
def test_an_unrelated_sentence_never_removes_a_finding(text: str, extra: str) -> None:
    alone = read_text(text, age=60, kb=KB).case.findings
    more = read_text(
        f"{text} {extra}" if text.endswith(".") else f"{text}. {extra}", age=60, kb=KB
    ).case.findings
    for fid, value in alone.items():
        assert more.get(fid) == value, (fid, text, extra)


@given(text=st.text(max_size=300), age=st.integers(min_value=0, max_value=120))
def test_the_reader_is_deterministic_and_total(text: str, age: int) -> None:
    first = read_text(text, age=age, kb=KB)
    second = read_text(text, age=age, kb=KB)
    assert first == second
    for spans in first.spans.values():
        for span in spans:
            assert text[span.start : span.end] == span.words


def test_same_text_same_reading_across_knowledge_objects(kb: KnowledgeBase) -> None:
    text = "My left calf cramps most nights for a minute or two; no swelling."
    assert read_text(text, age=50, kb=kb) == read_text(text, age=50, kb=KB)
