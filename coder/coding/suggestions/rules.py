"""Automatic code suggestions from a codebook's keywords and spaCy token patterns.

`suggest` runs every unit (a sentence, turn or paragraph) through spaCy once and reports, for
each unit and code, whether any of the code's keywords or patterns matched in it. `evaluate`
scores such suggestions against human codings at unit level, so a lead can see which rules
are worth offering to coders before anyone accepts a suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coder.coding.spans import Span, union
from coder.coding.suggestions.regexes import with_safe_regexes
from coder.errors import UsageError

if TYPE_CHECKING:  # spaCy takes a second to import: only commands that match load it
    from spacy.language import Language
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

SUGGESTION_COLUMNS = ["document_id", "start", "end", "code_id", "matched"]
EVALUATION_COLUMNS = [
    "code_id",
    "true_positives",
    "false_positives",
    "false_negatives",
    "precision",
    "recall",
    "f1",
]
HUMAN_COLUMNS = ["document_id", "code_id", "start", "end"]
BATCH_SIZE = 1000
# Token attributes filled by pipeline components rather than the tokenizer. A pattern that
# tests none of them matches on the tokenizer's output alone, which is many times faster than
# running, say, a trained parser over every unit.
_PIPELINE_ATTRS = frozenset(
    {"POS", "TAG", "MORPH", "LEMMA", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID"}
    | {"IS_SENT_START", "SENT_START", "_"}
)


@dataclass(frozen=True)
class CodeRule:
    """What makes a unit a candidate for the code `code_id`.

    `keywords` are phrases matched case-insensitively on whole tokens (runs of whitespace in
    a keyword count as one space, as they do in running text): "shopper" matches
    "Shopper" but not "shoppers" or "shopping" (list each form you want, or use a pattern).
    `patterns` are spaCy `Matcher` token patterns, each a list of token dicts, e.g.
    `[{"LOWER": "mystery"}, {"LOWER": {"IN": ["shopper", "shoppers"]}}]`.
    """

    code_id: int
    keywords: tuple[str, ...] = ()
    patterns: tuple[list[dict[str, Any]], ...] = ()


@dataclass(frozen=True)
class Unit:
    """A stretch of one document that is suggested, or not, as a whole."""

    document_id: int
    start: int
    end: int
    participant: bool = True  # False for interviewer turns


def suggest(
    texts: Mapping[int, str],
    units: Sequence[Unit],
    rules: Sequence[CodeRule],
    nlp: Language,
    *,
    participant_only: bool = False,
    within: Mapping[int, Sequence[Span]] | None = None,
) -> pd.DataFrame:
    """One row per (unit, code) where at least one of the code's keywords or patterns matched.

    Columns: `document_id`, `start`, `end` (the unit), `code_id`, and `matched`: the distinct
    strings that matched in the unit, as written in the text, in order of first appearance,
    joined by "; ". Strings that differ only in case count once, in their first spelling.
    A match must lie inside the unit: each unit is tokenized on its own. Rows are sorted by
    document_id, start, end and code_id. A unit listed twice (same document and offsets) is
    reported once.

    `participant_only` skips units whose `participant` is False (interviewer turns).
    `within` ("autocode within code") keeps only units that share at least one character with
    one of the spans given for their document; documents absent from `within` contribute
    nothing.

    Matching runs on the tokenizer's output; the pipeline's components (the sentencizer, or
    a trained pipeline's tagger and parser) run only when some pattern tests an attribute they
    fill in: POS, TAG, MORPH, LEMMA, DEP, ENT_*, IS_SENT_START or a custom `_` attribute.
    Keywords cost little; a pattern costs little when one of its required tokens is fixed by
    LOWER, ORTH or TEXT (a string or an IN list), since it then only runs on units containing
    that word. A pattern without such a token (only REGEX, say) runs on every unit, and makes
    the call a few times slower.

    Raises UsageError for a unit whose document is not in `texts` or whose offsets do not fit
    its text, for an empty keyword, and for a pattern spaCy rejects (naming the code and the
    pattern).
    """
    built = _build_matchers(rules, nlp)
    chosen = select_units(texts, units, participant_only, within)
    for unit in chosen:
        if unit.end - unit.start > nlp.max_length:
            raise UsageError(
                f"unit {unit.start}-{unit.end} of document {unit.document_id} is longer than "
                f"spaCy's limit of {nlp.max_length} characters; suggest on smaller units"
            )
    # The tokenizer is all keyword matching and most patterns need; skipping the pipeline's
    # components keeps a trained pipeline from tagging and parsing every unit for nothing.
    disabled = [] if built.needs_pipeline else list(nlp.pipe_names)
    pieces = (texts[u.document_id][u.start : u.end] for u in chosen)
    rows: list[tuple[int, int, int, int, str]] = []
    with nlp.select_pipes(disable=disabled):
        docs = nlp.pipe(pieces, batch_size=BATCH_SIZE)
        for unit, doc in zip(chosen, docs, strict=True):
            for code_id, matched in _matches(doc, built).items():
                rows.append((unit.document_id, unit.start, unit.end, code_id, "; ".join(matched)))
    frame = pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)
    frame = frame.astype({c: "int64" for c in SUGGESTION_COLUMNS[:4]} | {"matched": object})
    return frame.sort_values(SUGGESTION_COLUMNS[:4], ignore_index=True)


@dataclass
class _Matchers:
    """Everything built from the rules once per call: building is the expensive part."""

    phrases: PhraseMatcher  # keywords, plus the anchors of the token patterns
    patterns: Matcher
    code_of: dict[int, int]  # match key -> code_id
    anchor_key: int
    # Whether some pattern has no anchor, so the pattern matcher must see every unit.
    unanchored: bool = False
    # Whether some pattern tests an attribute that pipeline components fill in.
    needs_pipeline: bool = False


def _build_matchers(rules: Sequence[CodeRule], nlp: Language) -> _Matchers:
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

    built = _Matchers(
        phrases=PhraseMatcher(nlp.vocab, attr="LOWER"),
        patterns=Matcher(nlp.vocab, validate=True),
        code_of={},
        anchor_key=nlp.vocab.strings.add("coder-pattern-anchor"),
    )
    for rule in rules:
        key = f"coder-code-{rule.code_id}"
        built.code_of[nlp.vocab.strings.add(key)] = rule.code_id
        keyword_docs: list[Doc] = []
        for keyword in rule.keywords:
            # Runs of whitespace would become tokens of their own and never match the text.
            phrase = " ".join(keyword.split())
            if not phrase:
                raise UsageError(f"code {rule.code_id} has an empty keyword ({keyword!r})")
            keyword_docs.append(nlp.make_doc(phrase))
        if keyword_docs:
            built.phrases.add(key, keyword_docs)
        for pattern in rule.patterns:
            try:
                built.patterns.add(key, [with_safe_regexes(pattern, str(rule.code_id))])
            except (ValueError, TypeError, KeyError, re.error) as error:
                reason = " ".join(str(error).split())
                raise UsageError(
                    f"code {rule.code_id}: spaCy rejects the pattern {pattern!r}: {reason[:300]}"
                ) from None
            built.needs_pipeline = built.needs_pipeline or _uses_pipeline(pattern)
            anchors = _anchors(pattern)
            if anchors is None:
                built.unanchored = True
            else:
                words = [Doc(nlp.vocab, words=[word]) for word in sorted(anchors)]
                built.phrases.add("coder-pattern-anchor", words)
    return built


def _anchors(pattern: list[dict[str, Any]]) -> frozenset[str] | None:
    """Words one of which any match of `pattern` must contain, or None if there are none.

    The pattern matcher tests predicates such as IN or REGEX token by token in Python, several
    times slower than tokenizing; the anchors let it skip the (usually many) units where a pattern
    cannot match. An anchor is a required token (no OP, or OP "+") constrained to literal
    strings by LOWER, ORTH or TEXT; the phrase matcher finds them case-insensitively, which
    finds every unit the pattern can match in and perhaps a few more.
    """
    for token in pattern:
        if token.get("OP", token.get("op", "")) not in ("", "+"):
            continue
        for attr, value in token.items():
            if str(attr).upper() not in ("LOWER", "ORTH", "TEXT"):
                continue
            if isinstance(value, str) and value:
                return frozenset({value})
            if isinstance(value, dict):
                options = value.get("IN")
                if (
                    isinstance(options, list)
                    and options
                    and all(isinstance(o, str) and o for o in options)
                ):
                    return frozenset(options)
    return None


def _uses_pipeline(pattern: list[dict[str, Any]]) -> bool:
    return any(str(attr).upper() in _PIPELINE_ATTRS for token in pattern for attr in token)


def select_units(
    texts: Mapping[int, str],
    units: Sequence[Unit],
    participant_only: bool,
    within: Mapping[int, Sequence[Span]] | None,
) -> list[Unit]:
    """The units to run, each once, after the participant and `within` filters."""
    chosen: dict[tuple[int, int, int], Unit] = {}
    for unit in units:
        text = texts.get(unit.document_id)
        if text is None:
            raise UsageError(
                f"unit {unit.start}-{unit.end} names document {unit.document_id}, "
                "which has no text; pass the text of every document in `texts`"
            )
        if not 0 <= unit.start < unit.end <= len(text):
            raise UsageError(
                f"unit {unit.start}-{unit.end} does not fit document {unit.document_id} "
                f"(offsets run from 0 to {len(text)}, start before end)"
            )
        if participant_only and not unit.participant:
            continue
        chosen.setdefault((unit.document_id, unit.start, unit.end), unit)
    kept = list(chosen.values())
    if within is None:
        return kept
    return [u for u, keep in zip(kept, _overlap_mask(kept, within), strict=True) if keep]


def _overlap_mask(units: Sequence[Unit], within: Mapping[int, Sequence[Span]]) -> list[bool]:
    """For each unit, whether it shares a character with a span of its document in `within`."""
    by_document: dict[int, list[int]] = {}
    for index, unit in enumerate(units):
        by_document.setdefault(unit.document_id, []).append(index)
    mask = [False] * len(units)
    for document_id, indexes in by_document.items():
        spans = within.get(document_id, ())
        if not spans:
            continue
        # Merged spans are disjoint, so their ends are sorted: the only span that can overlap
        # a unit is the first one ending after the unit starts.
        merged = union(spans)
        merged_starts = np.array([span.start for span in merged], dtype=np.int64)
        merged_ends = np.array([span.end for span in merged], dtype=np.int64)
        starts = np.array([units[i].start for i in indexes])
        ends = np.array([units[i].end for i in indexes])
        candidate = np.searchsorted(merged_ends, starts, side="right")
        found = candidate < len(merged_ends)
        found[found] = merged_starts[candidate[found]] < ends[found]
        for i, keep in zip(indexes, found.tolist(), strict=True):
            mask[i] = keep
    return mask


def _matches(doc: Doc, built: _Matchers) -> dict[int, list[str]]:
    """For each code that matched in `doc`, its distinct matched strings in text order."""
    hits = built.phrases(doc)
    found = [m for m in hits if m[0] != built.anchor_key]
    if built.unanchored or len(found) < len(hits):
        found.extend(built.patterns(doc))
    seen: dict[int, dict[str, str]] = {}
    for match_id, start, end in sorted(found, key=lambda m: (m[1], m[2])):
        matched = doc[start:end].text
        code_id = built.code_of[match_id]
        seen.setdefault(code_id, {}).setdefault(matched.casefold(), matched)
    return {code_id: list(strings.values()) for code_id, strings in seen.items()}


def evaluate(suggested: pd.DataFrame, human: pd.DataFrame, units: Sequence[Unit]) -> pd.DataFrame:
    """Precision, recall and F1 of suggestions against human coding, per code, at unit level.

    `units` is the universe being scored; pass the units (after the same participant and
    `within` filters) that were given to `suggest`. A (unit, code) pair is

    - *suggested* when `suggested` (columns document_id, start, end, code_id, as returned by
      `suggest`) has a row for that unit and code;
    - *human-coded* when a span of `human` (columns document_id, code_id, start, end) with
      that code shares at least one character with the unit.

    Returns one row per code found in either frame, sorted by code_id, with columns
    code_id, true_positives (suggested and human-coded), false_positives (suggested only),
    false_negatives (human-coded only), precision = tp / (tp + fp), recall = tp / (tp + fn)
    and f1 = 2 * precision * recall / (precision + recall). Precision is NaN when the code was
    never suggested and recall is NaN when no unit was human-coded with it (the ratio is
    undefined, not zero); F1 is NaN when either is NaN, and 0.0 when both are 0.

    Raises UsageError when a frame lacks a column, or when a suggestion names a unit that is
    not in `units`.
    """
    _require(suggested, ["document_id", "start", "end", "code_id"], "suggested")
    _require(human, HUMAN_COLUMNS, "human")
    table = pd.DataFrame(
        {
            "document_id": np.array([u.document_id for u in units], dtype=np.int64),
            "start": np.array([u.start for u in units], dtype=np.int64),
            "end": np.array([u.end for u in units], dtype=np.int64),
        }
    ).drop_duplicates(ignore_index=True)
    table = table.sort_values(["document_id", "start", "end"], ignore_index=True)
    table["unit"] = np.arange(len(table), dtype=np.int64)

    located = suggested[["document_id", "start", "end", "code_id"]].astype("int64")
    located = located.merge(table, on=["document_id", "start", "end"], how="left")
    missing = located[located["unit"].isna()]
    if len(missing):
        document_id, start, end = (int(missing.iloc[0][c]) for c in ("document_id", "start", "end"))
        raise UsageError(
            f"{len(missing)} suggestion(s) name units that are not in `units`, e.g. "
            f"{start}-{end} of document {document_id}; "
            "pass the units the suggestions were made on"
        )
    predicted = located[["unit", "code_id"]].astype("int64").drop_duplicates()
    actual = _human_units(human, table)

    pairs = predicted.merge(actual, on=["unit", "code_id"], how="outer", indicator=True)
    counts = pd.crosstab(pairs["code_id"], pairs["_merge"]).reindex(
        columns=["both", "left_only", "right_only"], fill_value=0
    )
    tp = counts["both"].to_numpy(dtype=np.float64)
    fp = counts["left_only"].to_numpy(dtype=np.float64)
    fn = counts["right_only"].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        recall = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        total = precision + recall
        f1 = np.where(total > 0, 2 * precision * recall / total, 0.0)
    f1 = np.where(np.isnan(total), np.nan, f1)
    result = pd.DataFrame(
        {
            "code_id": counts.index.to_numpy(dtype=np.int64),
            "true_positives": tp.astype(np.int64),
            "false_positives": fp.astype(np.int64),
            "false_negatives": fn.astype(np.int64),
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
    )
    return result.sort_values("code_id", ignore_index=True)[EVALUATION_COLUMNS]


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise UsageError(f"the {name} frame lacks the column(s) {', '.join(absent)}")


def _human_units(human: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Distinct (unit, code_id) pairs where a human span of the code overlaps the unit.

    Vectorised: each document is shifted to its own stretch of one number line (position p
    of document d becomes d * stride + p), so one sort and two binary searches per span find
    the units that can overlap it, whatever the number of documents.
    """
    spans = human[HUMAN_COLUMNS].astype("int64")
    spans = spans[spans["end"] > spans["start"]]
    spans = spans[spans["document_id"].isin(table["document_id"])]
    if spans.empty or table.empty:
        return pd.DataFrame({"unit": np.zeros(0, np.int64), "code_id": np.zeros(0, np.int64)})
    # Document ids become dense ranks so the shifted positions stay far from overflowing.
    ranks = {d: r for r, d in enumerate(sorted(set(table["document_id"].tolist())))}
    stride = int(max(table["end"].max(), spans["end"].max())) + 1
    u_doc = table["document_id"].map(ranks).to_numpy(dtype=np.int64)
    u_start = table["start"].to_numpy(dtype=np.int64)
    u_end = table["end"].to_numpy(dtype=np.int64)
    u_key = u_doc * stride + u_start  # sorted: the table is sorted by document and start
    longest = int((u_end - u_start).max())
    h_doc = spans["document_id"].map(ranks).to_numpy(dtype=np.int64)
    h_start = spans["start"].to_numpy(dtype=np.int64)
    h_end = spans["end"].to_numpy(dtype=np.int64)
    # A unit overlapping [s, e) starts before e and, being at most `longest` long, after
    # s - longest; units may overlap each other (sentences and turns), so the candidates are
    # filtered on their own end below rather than found by a second search.
    lo = np.searchsorted(u_key, h_doc * stride + h_start - longest, side="right")
    hi = np.searchsorted(u_key, h_doc * stride + h_end, side="left")
    count = np.maximum(hi - lo, 0)
    span_index = np.repeat(np.arange(len(spans)), count)
    offset = np.arange(span_index.size) - np.repeat(np.cumsum(count) - count, count)
    unit_index = lo[span_index] + offset
    keep = (u_doc[unit_index] == h_doc[span_index]) & (u_end[unit_index] > h_start[span_index])
    return pd.DataFrame(
        {
            "unit": unit_index[keep].astype(np.int64),
            "code_id": spans["code_id"].to_numpy(dtype=np.int64)[span_index[keep]],
        }
    ).drop_duplicates(ignore_index=True)
