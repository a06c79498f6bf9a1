"""Suggestions on a project: run the codebook's keywords and patterns, store, review, score.

A suggestion is a coding with origin `suggested`, made for a named coder over a whole unit (a
sentence or a turn). It counts nowhere (agreement, matrices, quotes) until the coder accepts
it, which turns its origin into `accepted`; rejecting it keeps it as `rejected`, so that the
same unit is not suggested for the same code again. A unit is not suggested for a code when
the coder already has a coding of that code (of any origin) overlapping it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from coder import model
from coder.codebook.tree import CodeTree
from coder.coding import apply as applying
from coder.coding.spans import Span
from coder.coding.suggestions.rules import CodeRule, Unit, evaluate, select_units, suggest
from coder.errors import ConflictError, UsageError
from coder.storage import Transaction

Level = str  # "sentence" | "turn" | "paragraph"
LEVELS = ("sentence", "turn", "paragraph")


@dataclass(frozen=True)
class SuggestOptions:
    codes: Sequence[str] = ()  # code paths (with their descendants); empty: every code with rules
    level: Level = "sentence"
    participant_only: bool = False
    within: str | None = None  # a code path: only units overlapping this coder's codings of it
    documents: Sequence[str] = ()


@dataclass
class SuggestRun:
    coder: str
    level: str
    units: int = 0
    rules: int = 0
    added: dict[str, int] = field(default_factory=dict)  # code path -> new suggestions
    skipped: int = 0  # already coded, suggested or rejected by this coder

    @property
    def total(self) -> int:
        return sum(self.added.values())


@dataclass(frozen=True)
class Suggestion:
    coding_id: int
    document: str
    code: str
    start: int
    end: int
    text: str


def _rules(tree: CodeTree, paths: Sequence[str]) -> list[CodeRule]:
    if paths:
        chosen: dict[int, model.Code] = {}
        for path in paths:
            code = tree.find(path)
            chosen[code.id] = code
            chosen.update((c.id, c) for c in tree.descendants(code))
        codes = list(chosen.values())
    else:
        codes = [c for c in tree.codes if c.status == "active"]
    rules = [
        CodeRule(c.id, tuple(c.keywords), tuple(c.patterns))
        for c in codes
        if c.status == "active" and (c.keywords or c.patterns)
    ]
    if not rules:
        raise UsageError(
            "none of the chosen codes has keywords or patterns to suggest from; add some "
            "(`keywords:` in the codebook YAML, or `coder codebook edit --keywords`)"
        )
    return rules


def _units(tx: Transaction, level: Level, document_ids: list[int]) -> list[Unit]:
    if level not in LEVELS:
        raise UsageError(f"cannot suggest on {level!r} units; choose one of {', '.join(LEVELS)}")
    frame = tx.units_frame(level, document_ids)
    turns = tx.turns_frame(document_ids)
    interviewer = turns[turns["speaker_role"] == "interviewer"]
    units: list[Unit] = []
    for key, group in frame.groupby("document", sort=True):
        doc_id = int(group["document"].iloc[0])
        asked = interviewer[interviewer["document_id"] == key]
        starts, ends = asked["start"].to_numpy(), asked["end"].to_numpy()
        for start, end in zip(group["start"], group["end"], strict=True):
            inside = bool(((starts <= start) & (start < ends)).any())
            units.append(Unit(doc_id, int(start), int(end), participant=not inside))
    return units


def _spans_by_document(frame: pd.DataFrame) -> dict[int, list[Span]]:
    spans: dict[int, list[Span]] = {}
    for doc_id, start, end in zip(frame["document_id"], frame["start"], frame["end"], strict=True):
        spans.setdefault(int(doc_id), []).append(Span(int(start), int(end)))
    return spans


def _document_ids(tx: Transaction, names: Sequence[str]) -> list[int]:
    if names:
        return [tx.document(name).id for name in names]
    return [int(i) for i in tx.documents_frame()["document"]]


def _candidates(
    tx: Transaction, coder: str, options: SuggestOptions
) -> tuple[CodeTree, list[CodeRule], list[Unit], pd.DataFrame]:
    tree = CodeTree(tx.codes())
    rules = _rules(tree, options.codes)
    ids = _document_ids(tx, options.documents)
    units = _units(tx, options.level, ids)
    within = None
    if options.within:
        anchor = tree.find(options.within)
        coded = tx.codings_frame(document_ids=ids, code_ids=[anchor.id], coder_names=[coder])
        within = _spans_by_document(coded)
    from coder.ingest.segment import load_pipeline  # spaCy: loaded only when suggesting

    nlp = load_pipeline()
    texts = tx.document_texts(ids)
    frame = suggest(
        texts, units, rules, nlp, participant_only=options.participant_only, within=within
    )
    # The universe the suggestions were drawn from, which evaluation scores against.
    chosen = select_units(texts, units, options.participant_only, within)
    return tree, rules, chosen, frame


def _already_there(frame: pd.DataFrame, existing: pd.DataFrame) -> pd.Series:
    """Which suggested (unit, code) rows overlap a coding the coder already has of that code."""
    if existing.empty or frame.empty:
        return pd.Series(False, index=frame.index)
    merged = frame.reset_index().merge(
        existing[["document_id", "code_id", "start", "end"]],
        on=["document_id", "code_id"],
        suffixes=("", "_coded"),
    )
    hit = merged[(merged["start_coded"] < merged["end"]) & (merged["start"] < merged["end_coded"])]
    return pd.Series(frame.index.isin(hit["index"]), index=frame.index)


def make(tx: Transaction, coder: str, options: SuggestOptions) -> SuggestRun:
    """Store new suggestions for `coder` and log them as one action."""
    if coder == model.CONSENSUS_CODER:
        raise ConflictError("the consensus layer is written by reconciliation, not by suggestions")
    who = applying.coder_for(tx, coder, [])
    tree, rules, units, frame = _candidates(tx, coder, options)
    run = SuggestRun(coder=who.name, level=options.level, units=len(units))
    run.rules = len(rules)
    existing = tx.codings_frame(
        document_ids=sorted(set(frame["document_id"].tolist())),
        coder_names=[who.name],
        origins=model.CODING_ORIGINS,
    )
    taken = _already_there(frame, existing)
    run.skipped = int(taken.sum())
    fresh = frame[~taken]
    rows = [
        {
            "document_id": int(r["document_id"]),
            "code_id": int(r["code_id"]),
            "coder_id": who.id,
            "start": int(r["start"]),
            "end": int(r["end"]),
            "origin": "suggested",
        }
        for r in fresh.to_dict("records")
    ]
    if not rows:
        return run
    created, _ = tx.add_codings(rows)
    for _document_id, code_id, *_ in created:
        path = tree.path(tree.by_id[code_id])
        run.added[path] = run.added.get(path, 0) + 1
    tx.log(
        "coding.suggest",
        "coder",
        who.id,
        {"coder": who.name, "level": options.level, "added": run.total},
    )
    return run


def scores(tx: Transaction, against: str, options: SuggestOptions) -> pd.DataFrame:
    """Precision and recall per code of what would be suggested, against `against`'s codings,
    at unit level (see coder.coding.suggest.evaluate). Nothing is stored."""
    tree, rules, units, frame = _candidates(tx, against, options)
    code_ids = sorted({r.code_id for r in rules})
    human = tx.codings_frame(
        document_ids=sorted({u.document_id for u in units}),
        code_ids=code_ids,
        coder_names=[against],
    )
    if human.empty and against not in {c.name for c in tx.coders()}:
        raise UsageError(f"no coder named {against!r}; see `coder info` for the coders")
    table = evaluate(frame, human[["document_id", "code_id", "start", "end"]], units)
    table.insert(0, "code", [tree.path(tree.by_id[int(i)]) for i in table["code_id"]])
    return table.drop(columns=["code_id"])


def pending(
    tx: Transaction, coder: str, *, code: str | None = None, document: str | None = None
) -> list[Suggestion]:
    tree = CodeTree(tx.codes(statuses=model.CODE_STATUSES))
    code_ids = None
    if code is not None:
        anchor = tree.find(code)
        code_ids = [anchor.id, *(c.id for c in tree.descendants(anchor))]
    doc_ids = [tx.document(document).id] if document else None
    frame = tx.codings_frame(
        document_ids=doc_ids, code_ids=code_ids, coder_names=[coder], origins=("suggested",)
    )
    texts = tx.document_texts(sorted(set(frame["document_id"].tolist())))
    return [
        Suggestion(
            coding_id=int(r["id"]),
            document=str(r["document"]),
            code=tree.path(tree.by_id[int(r["code_id"])]),
            start=int(r["start"]),
            end=int(r["end"]),
            text=texts[int(r["document_id"])][int(r["start"]) : int(r["end"])],
        )
        for r in frame.to_dict("records")
    ]


def review(tx: Transaction, coding_ids: Sequence[int], accept: bool) -> int:
    """Accept or reject suggestions; anything that is not a pending suggestion is refused."""
    ids = list(dict.fromkeys(coding_ids))
    for coding_id in ids:
        if tx.coding(coding_id).origin != "suggested":
            raise ConflictError(f"coding {coding_id} is not a pending suggestion")
    if not ids:
        return 0
    origin: model.CodingOrigin = "accepted" if accept else "rejected"
    changed = tx.set_coding_origin(ids, origin)
    tx.log(
        "coding.accept" if accept else "coding.reject",
        "coding",
        ids[0] if len(ids) == 1 else None,
        {"count": changed},
    )
    return changed
