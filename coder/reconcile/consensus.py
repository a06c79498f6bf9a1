"""Reconciliation: turning two coders' codings into a consensus layer, decision by decision.

A decision settles one unit x code (a sentence, say, coded "Time" by one coder and not the
other): keep coder A's version, B's, both, neither, or an edited span, with a rationale.
Agreements can be accepted in bulk. The result is the `consensus` coder's codings, each linked
to the codings it came from and to its decision; decisions are saved one by one, so the work
can stop and resume at any point (the queue is the disagreements not decided yet).

The consensus span for a choice is the union of the chosen coders' codings of that code,
clipped to the unit: each decision governs exactly its own unit (a longer coding that runs into
the next sentence does not decide that sentence), and the coders' boundaries inside the unit
are kept. An edited span is taken as given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd

from coder import model
from coder.agreement import unit_table
from coder.agreement.api import Disagreement, disagreement_list
from coder.agreement.gather import Unit, gather
from coder.codebook.tree import CodeTree
from coder.coding.apply import check_span
from coder.errors import UsageError
from coder.storage import Transaction

Choice = Literal["a", "b", "both", "neither", "edit"]
CHOICES: tuple[Choice, ...] = ("a", "b", "both", "neither", "edit")


@dataclass(frozen=True)
class Decided:
    decision_id: int
    consensus_ids: tuple[int, ...]


def _consensus(tx: Transaction) -> model.Coder:
    for coder in tx.coders():
        if coder.name == model.CONSENSUS_CODER:
            return coder
    return tx.add_coder(model.CONSENSUS_CODER, "consensus")


def _union(spans: list[tuple[int, int]], within: tuple[int, int]) -> list[tuple[int, int]]:
    """Merge overlapping spans after clipping them to `within`."""
    low, high = within
    clipped = [(max(a, low), min(b, high)) for a, b in spans if min(b, high) > max(a, low)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(clipped):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _write(
    tx: Transaction,
    *,
    document_id: int,
    code_id: int,
    unit: str,
    start: int,
    end: int,
    coders: Sequence[str],
    choice: str,
    rationale: str,
    decided_by: str | None,
    sources: pd.DataFrame,
    spans: list[tuple[int, int]],
) -> Decided:
    decision = tx.add_decision(
        {
            "document_id": document_id,
            "code_id": code_id,
            "start": start,
            "end": end,
            "unit": unit,
            "coders": list(coders),
            "choice": choice,
            "rationale": rationale,
            "decided_by": decided_by,
        }
    )
    consensus = _consensus(tx)
    spans, absorbed = _whole_passages(tx, document_id, code_id, spans)
    inherited = tx.sources_frame()
    inherited = inherited[inherited["coding_id"].isin(list(absorbed))]
    tx.delete_codings(list(absorbed))
    rows = [
        {
            "document_id": document_id,
            "code_id": code_id,
            "coder_id": consensus.id,
            "start": s,
            "end": e,
            "origin": "reconciled",
            "decision_id": decision,
        }
        for s, e in spans
    ]
    created, _ = tx.add_codings(rows)
    ids = tuple(created.values())
    # A consensus coding links to the codings it came from, and, where it grew over earlier
    # consensus codings, to what they came from.
    origins = [
        (int(source), int(s), int(e))
        for source, s, e in zip(sources["id"], sources["start"], sources["end"], strict=True)
    ]
    origins += [
        (int(source), *absorbed[int(coding)])
        for source, coding in zip(inherited["source_id"], inherited["coding_id"], strict=True)
    ]
    links = [
        (coding_id, source)
        for (_, _, _, s, e), coding_id in created.items()
        for source, source_start, source_end in origins
        if source_start < e and source_end > s
    ]
    tx.link_sources(links)
    return Decided(decision, ids)


def _whole_passages(
    tx: Transaction,
    document_id: int,
    code_id: int,
    spans: list[tuple[int, int]],
) -> tuple[list[tuple[int, int]], dict[int, tuple[int, int]]]:
    """The spans to write so that the consensus holds whole passages, and the consensus
    codings they take the place of ({id: (start, end)}).

    Each decision governs its own unit, but the passage it belongs to is one coding: a new
    span joins the consensus codings of the same code that overlap it, or that only
    whitespace separates it from (never across a speaker label or other text) where a
    coder's coding of the code runs across the gap. Three sentences of one coded passage,
    agreed or decided one by one, end as one consensus passage, not three fragments that
    would count three times; two passages the coders coded apart stay apart."""
    if not spans:
        return spans, {}
    codings = tx.codings_frame(document_ids=[document_id], code_ids=[code_id])
    is_consensus = codings["coder"] == model.CONSENSUS_CODER
    existing = codings[is_consensus]
    if existing.empty:
        return spans, {}
    coded = codings[~is_consensus]
    bridges = list(zip(coded["start"].astype(int), coded["end"].astype(int), strict=True))
    text = tx.document_texts([document_id])[document_id]

    def joined(reach: int, start: int) -> bool:
        if start < reach:
            return True
        return _neighbours(text, reach, start) and any(s < reach and e > start for s, e in bridges)

    pieces = sorted(
        [(s, e, None) for s, e in spans]
        + [
            (int(s), int(e), int(i))
            for i, s, e in zip(existing["id"], existing["start"], existing["end"], strict=True)
        ]
    )
    groups: list[list[tuple[int, int, int | None]]] = []
    for piece in pieces:
        last = groups[-1] if groups else None
        reach = max(e for _, e, _ in last) if last else -1
        if last is not None and joined(reach, piece[0]):
            last.append(piece)
        else:
            groups.append([piece])
    written: list[tuple[int, int]] = []
    absorbed: dict[int, tuple[int, int]] = {}
    for group in groups:
        if all(i is not None for _, _, i in group):
            continue  # consensus codings this decision does not touch
        written.append((min(s for s, _, _ in group), max(e for _, e, _ in group)))
        absorbed.update({i: (s, e) for s, e, i in group if i is not None})
    return written, absorbed


def _sources(
    tx: Transaction, document_id: int, code_id: int, coders: Sequence[str], start: int, end: int
) -> pd.DataFrame:
    frame = tx.codings_frame(document_ids=[document_id], code_ids=[code_id], coder_names=coders)
    return frame[(frame["start"] < end) & (frame["end"] > start)]


def decide(
    tx: Transaction,
    disagreement: Disagreement,
    choice: Choice,
    *,
    coders: Sequence[str],
    unit: Unit,
    rationale: str = "",
    decided_by: str | None = None,
    span: tuple[int, int] | None = None,
) -> Decided:
    """Settle one disagreement. `coders` are the two compared (A first, then B)."""
    if choice not in CHOICES:
        raise UsageError(f"choice {choice!r} is not one of {', '.join(CHOICES)}")
    if len(coders) != 2 and choice in ("a", "b"):
        raise UsageError("choices a and b compare exactly two coders")
    code_id = _code_ids(tx)[disagreement.code]
    chosen = {"a": coders[:1], "b": coders[1:2], "both": coders, "neither": (), "edit": ()}[choice]
    sources = _sources(
        tx, disagreement.document_id, code_id, coders, disagreement.start, disagreement.end
    )
    picked = sources[sources["coder"].isin(list(chosen))]
    if choice == "edit":
        if span is None:
            raise UsageError("an edited decision needs the span to keep (start, end)")
        check_span(tx.document(disagreement.document), *span)
        spans = [span]
    else:
        spans = _union(
            list(zip(picked["start"].astype(int), picked["end"].astype(int), strict=True)),
            (disagreement.start, disagreement.end),
        )
    decided = _write(
        tx,
        document_id=disagreement.document_id,
        code_id=code_id,
        unit=unit,
        start=disagreement.start,
        end=disagreement.end,
        coders=coders,
        choice=choice,
        rationale=rationale,
        decided_by=decided_by,
        sources=sources if choice == "edit" else picked,
        spans=spans,
    )
    tx.log(
        "reconcile.decide",
        "decision",
        decided.decision_id,
        {"document": disagreement.document, "code": disagreement.code, "choice": choice},
    )
    return decided


def _code_ids(tx: Transaction) -> dict[str, int]:
    """Code path -> id, for every code whatever its status."""
    tree = CodeTree(tx.codes(model.CODE_STATUSES))
    return {tree.path(code): code.id for code in tree.codes}


def _neighbours(text: str, end: int, start: int) -> bool:
    """Whether a unit ending at `end` and one starting at `start` touch: only whitespace
    between them, so never a speaker label or another unit."""
    return end <= start and not text[end:start].strip()


def _agreed_runs(
    units: list[tuple[int, int, int, int]], texts: dict[int, str]
) -> list[tuple[int, int, int, int]]:
    """Agreed (document, code, start, end) units joined where only whitespace separates them,
    as `runs` joins disagreements: a passage both coders coded becomes one consensus coding."""
    joined: list[tuple[int, int, int, int]] = []
    for doc_id, code_id, start, end in sorted(units):
        if joined:
            last = joined[-1]
            if last[:2] == (doc_id, code_id) and _neighbours(texts[doc_id], last[3], start):
                joined[-1] = (doc_id, code_id, last[2], end)
                continue
        joined.append((doc_id, code_id, start, end))
    return joined


def accept_agreements(
    tx: Transaction,
    coders: Sequence[str],
    unit: Unit = "sentence",
    *,
    documents: Sequence[str] | None = None,
    decided_by: str | None = None,
) -> int:
    """Write every unit x code that all coders marked into the consensus layer at once,
    neighbouring units of one code joined into one passage (one decision, one consensus
    coding). Units already decided are left alone. Returns the number of passages accepted."""
    if unit not in ("sentence", "turn", "paragraph"):
        raise UsageError("accept agreements by sentence, turn or paragraph units")
    inputs = gather(tx, coders, unit, documents)
    table = unit_table(
        inputs.codings[["document", "coder", "code", "start", "end"]],
        inputs.units,
        list(coders),
        inputs.codes,
        "segment",
        documents=inputs.documents,
    )
    agreed = table[(table[list(coders)] == 1).all(axis=1)].reset_index()
    assert inputs.units is not None
    bounds = inputs.units.set_index("unit")[["start", "end"]]
    done = _decided(tx, unit)
    ids = _code_ids(tx)
    open_units: list[tuple[int, int, int, int]] = []
    for row in agreed.to_dict("records"):
        start, end = (int(v) for v in bounds.loc[row["unit"]])
        doc_id, code_id = int(row["document"]), ids[str(row["code"])]
        if not any(s <= start and end <= e for s, e in done.get((doc_id, code_id), [])):
            open_units.append((doc_id, code_id, start, end))
    texts = tx.document_texts(sorted({u[0] for u in open_units}))
    count = 0
    for doc_id, code_id, start, end in _agreed_runs(open_units, texts):
        sources = _sources(tx, doc_id, code_id, coders, start, end)
        spans = _union(
            list(zip(sources["start"].astype(int), sources["end"].astype(int), strict=True)),
            (start, end),
        )
        _write(
            tx,
            document_id=doc_id,
            code_id=code_id,
            unit=unit,
            start=start,
            end=end,
            coders=coders,
            choice="agree",
            rationale="",
            decided_by=decided_by,
            sources=sources,
            spans=spans,
        )
        count += 1
    tx.log(
        "reconcile.accept",
        "decision",
        None,
        {"coders": list(coders), "unit": unit, "accepted": count},
    )
    return count


def _decided(tx: Transaction, unit: str) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Decided stretches per (document, code): a decision covers one unit or a run of them."""
    frame = tx.decisions_frame()
    frame = frame[frame["unit"] == unit]
    found: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for d, c, s, e in zip(
        frame["document_id"], frame["code_id"], frame["start"], frame["end"], strict=True
    ):
        found.setdefault((int(d), int(c)), []).append((int(s), int(e)))
    return found


def runs(disagreements: Sequence[Disagreement], text_of: dict[int, str]) -> list[Disagreement]:
    """Disagreements on neighbouring units joined into one: same document, code and coders
    marking it, with only whitespace between (so never across a speaker label). A coder who
    marked three sentences in a row that the other left out is one disagreement, decided once,
    and its consensus coding is the whole passage rather than three fragments."""
    joined: list[Disagreement] = []
    for d in sorted(disagreements, key=lambda d: (d.document, d.code, d.start)):
        last = joined[-1] if joined else None
        if (
            last is not None
            and (last.document_id, last.code, last.marked_by)
            == (d.document_id, d.code, d.marked_by)
            and _neighbours(text_of[d.document_id], last.end, d.start)
        ):
            text = text_of[d.document_id]
            joined[-1] = replace(last, end=d.end, text=text[last.start : d.end], after=d.after)
        else:
            joined.append(d)
    return sorted(joined, key=lambda d: (d.document, d.start, d.code))


def pending(
    tx: Transaction,
    coders: Sequence[str],
    unit: Unit = "sentence",
    *,
    documents: Sequence[str] | None = None,
) -> list[Disagreement]:
    """The disagreements still to decide, in document order, neighbouring units joined into
    runs (see `runs`): where to resume."""
    ids = _code_ids(tx)
    done = _decided(tx, unit)
    left = [
        d
        for d in disagreement_list(tx, coders, unit, documents=documents)
        if not any(
            s <= d.start and d.end <= e for s, e in done.get((d.document_id, ids[d.code]), [])
        )
    ]
    texts = tx.document_texts(sorted({d.document_id for d in left}))
    return runs(left, texts)
