"""Reconciling by passage: every code two coders disagree on over one stretch of text, decided
together, and the decision said in words.

The queue of disagreements is per unit and code (see consensus.py); a researcher reads a
passage, not a (sentence, code) pair. A passage gathers the disagreements (runs of them, as
`consensus.runs` joins them) whose spans overlap in one document. Deciding a passage keeps
or drops each disputed code: keeping a code is choosing the version of the coder who marked
it, dropping it the version of the coder who did not, so every decision row stays one of the
existing choices and the consensus layer, its sources and its undo work as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coder.agreement.api import Disagreement
from coder.agreement.gather import Unit
from coder.errors import UsageError
from coder.reconcile import consensus
from coder.storage import Transaction

EXCERPT = 48  # characters of the passage quoted in the logged decision


@dataclass(frozen=True)
class Passage:
    """One disputed stretch of a document and every disagreement on it."""

    document: str
    document_id: int
    start: int
    end: int
    items: tuple[Disagreement, ...]

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(d.code for d in self.items))

    def marked(self, coder: str) -> list[str]:
        """The disputed codes `coder` put on the passage."""
        return list(dict.fromkeys(d.code for d in self.items if coder in d.marked_by))


def passages(disagreements: Iterable[Disagreement]) -> list[Passage]:
    """Disagreements grouped into passages: same document, spans overlapping (directly or
    through another disagreement), in document order."""
    found: list[Passage] = []
    for d in sorted(disagreements, key=lambda d: (d.document, d.start, d.end, d.code)):
        last = found[-1] if found else None
        if last is not None and last.document_id == d.document_id and d.start < last.end:
            found[-1] = Passage(
                last.document,
                last.document_id,
                last.start,
                max(last.end, d.end),
                (*last.items, d),
            )
        else:
            found.append(Passage(d.document, d.document_id, d.start, d.end, (d,)))
    return found


# The four whole-passage outcomes, as sets of kept codes; `outcomes` leaves out the ones that
# come to the same as an earlier one.
OUTCOMES = ("a", "b", "both", "neither")


def kept_by(passage: Passage, outcome: str, coders: Sequence[str]) -> frozenset[str]:
    a, b = coders
    if outcome == "a":
        return frozenset(passage.marked(a))
    if outcome == "b":
        return frozenset(passage.marked(b))
    if outcome == "both":
        return frozenset(passage.codes)
    if outcome == "neither":
        return frozenset()
    raise UsageError(f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")


def outcomes(passage: Passage, coders: Sequence[str]) -> dict[str, frozenset[str]]:
    """The outcomes that actually differ, first name kept: when only coder A coded the
    passage, A's version is keeping everything and B's is dropping it, so `both` and
    `neither` are not offered."""
    distinct: dict[str, frozenset[str]] = {}
    for outcome in OUTCOMES:
        kept = kept_by(passage, outcome, coders)
        if kept not in distinct.values():
            distinct[outcome] = kept
    return distinct


def _codes_in_words(codes: list[str]) -> str:
    names = [code.rsplit("/", 1)[-1] for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def in_words(passage: Passage, kept: Iterable[str], coders: Sequence[str], text: str) -> str:
    """The decision as the log says it: kept tomas's Time and meeting timing on “…”;
    dropped maya's Attrition and turnover."""
    keep = set(kept)
    parts: list[str] = []
    for verb, wanted in (("kept", True), ("dropped", False)):
        for coder in coders:
            codes = [c for c in passage.marked(coder) if (c in keep) == wanted]
            if codes:
                parts.append(f"{verb} {coder}'s {_codes_in_words(codes)}")
    quote = " ".join(text[passage.start : passage.end].split())
    if len(quote) > EXCERPT:
        quote = quote[: EXCERPT - 1] + "…"
    where = f"on “{quote}” in {passage.document}"
    if not parts:
        return f"decided nothing {where}"
    parts[0] = f"{parts[0]} {where}"
    return "; ".join(parts)


def decide(
    tx: Transaction,
    passage: Passage,
    kept: Iterable[str],
    *,
    coders: Sequence[str],
    unit: Unit,
    rationale: str = "",
    decided_by: str | None = None,
) -> tuple[list[consensus.Decided], str]:
    """Keep the codes in `kept` and drop the passage's other disputed codes, in one
    transaction, logged as one sentence. Returns the decisions and that sentence."""
    if len(coders) != 2:
        raise UsageError("a passage is reconciled between exactly two coders")
    keep = set(kept)
    unknown = keep - set(passage.codes)
    if unknown:
        raise UsageError(f"{', '.join(sorted(unknown))} is not disputed in this passage")
    a, _ = coders
    decided = []
    for d in passage.items:
        marker_is_a = a in d.marked_by
        keeps = d.code in keep
        choice: consensus.Choice = "a" if marker_is_a == keeps else "b"
        decided.append(
            consensus.decide(
                tx,
                d,
                choice,
                coders=coders,
                unit=unit,
                rationale=rationale,
                decided_by=decided_by,
                log=False,
            )
        )
    text = tx.document_texts([passage.document_id])[passage.document_id]
    words = in_words(passage, keep, coders, text)
    tx.log(
        "reconcile.passage",
        "decision",
        decided[0].decision_id if decided else None,
        {
            "document": passage.document,
            "start": passage.start,
            "end": passage.end,
            "kept": sorted(keep),
            "dropped": sorted(set(passage.codes) - keep),
            "words": words,
        },
    )
    return decided, words
