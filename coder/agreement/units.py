"""From codings (spans of text) to agreement tables: which units each coder marked with each code.

Inputs are plain pandas tables:

- codings: `document`, `coder`, `code`, `start`, `end` (code-point offsets, end exclusive);
- units: `document`, `unit`, `start`, `end` (sentences, turns or paragraphs; non-overlapping
  within a document); needed for segment units;
- documents: `document`, `length` (characters); needed for character units.

Three kinds of unit, each giving every coder a present/absent (1/0) mark per unit and code:

- "segment": a coder marks unit u with code c when the union of that coder's c-codings covers
  at least `min_share` of u's characters; the default `min_share=0` means any overlap at all.
- "character": every character of every document is a unit (NVivo's approach). The counts come
  from the interval unions directly; no per-character array is built.
- "document": every document is a unit, marked when the coder used the code anywhere in it
  (MAXQDA's code-presence check).

Overlapping codings of one coder with one code count once (their union). Codings of other
coders, codes or documents than those asked for are ignored; so are empty codings.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from coder.agreement import _kernels as k
from coder.agreement import span_arithmetic
from coder.agreement._inputs import Inputs, UnitKind, objects, read
from coder.agreement._statistics import describe, pooled_row
from coder.errors import UsageError

By = Literal["code", "document", "pooled"]


@dataclass(frozen=True)
class _Marks:
    """Every (document, code, piece) that at least one coder marked, with its coder bit mask.

    A piece is a unit (segment), a run of characters covered by the same coders (character), or
    a whole document (document). `weight` is how many units the piece stands for; units nobody
    marked are implied by `totals`, the number of units in each document.
    """

    doc: k.IntArray
    code: k.IntArray
    mask: k.IntArray
    weight: k.IntArray
    start: k.IntArray
    end: k.IntArray
    unit: k.IntArray  # index into Inputs.u_id for segments, else -1
    totals: k.IntArray


def _check_share(min_share: float) -> float:
    if not 0.0 <= min_share <= 1.0:
        raise UsageError(f"min_share is a share of the unit between 0 and 1, not {min_share!r}")
    return float(min_share)


def _coder_unions(inp: Inputs) -> tuple[k.IntArray, k.IntArray, k.IntArray, k.IntArray, k.IntArray]:
    """Union of each (document, code, coder)'s codings: (doc, code, coder, start, end)."""
    m, n_codes = len(inp.coders), len(inp.codes)
    key = (inp.c_doc * n_codes + inp.c_code) * m + inp.c_coder
    key, start, end = span_arithmetic.union(key, inp.c_start, inp.c_end)
    return key // (m * n_codes), (key // m) % n_codes, key % m, start, end


def _mark(inp: Inputs, min_share: float) -> _Marks:
    doc, code, coder, start, end = _coder_unions(inp)
    bit = np.left_shift(np.int64(1), coder)
    if inp.kind == "character":
        return _mark_characters(inp, doc, code, bit, start, end)
    if inp.kind == "document":
        return _mark_documents(inp, doc, code, bit)
    return _mark_segments(inp, doc, code, coder, start, end, min_share)


def _mark_characters(
    inp: Inputs,
    doc: k.IntArray,
    code: k.IntArray,
    bit: k.IntArray,
    start: k.IntArray,
    end: k.IntArray,
) -> _Marks:
    assert inp.lengths is not None
    n_codes = len(inp.codes)
    group, lo, hi, mask = span_arithmetic.sweep(doc * n_codes + code, start, end, bit, inp.stride)
    return _Marks(
        doc=group // n_codes,
        code=group % n_codes,
        mask=mask,
        weight=hi - lo,
        start=lo,
        end=hi,
        unit=np.full(mask.size, -1, dtype=np.int64),
        totals=inp.lengths,
    )


def _mark_documents(inp: Inputs, doc: k.IntArray, code: k.IntArray, bit: k.IntArray) -> _Marks:
    n_codes = len(inp.codes)
    cell, mask = _or_by(doc * n_codes + code, bit)
    ones = np.ones(cell.size, dtype=np.int64)
    lengths = inp.lengths[cell // n_codes] if inp.lengths is not None else -ones
    return _Marks(
        doc=cell // n_codes,
        code=cell % n_codes,
        mask=mask,
        weight=ones,
        start=0 * ones,
        end=lengths,
        unit=-ones,
        totals=np.ones(len(inp.documents), dtype=np.int64),
    )


def _mark_segments(
    inp: Inputs,
    doc: k.IntArray,
    code: k.IntArray,
    coder: k.IntArray,
    start: k.IntArray,
    end: k.IntArray,
    min_share: float,
) -> _Marks:
    m, n_codes = len(inp.coders), len(inp.codes)
    span, unit, shared = span_arithmetic.overlaps(
        doc, start, end, inp.u_doc, inp.u_start, inp.u_end, inp.stride
    )
    # Characters of unit u covered by coder j's union for code c (the union's pieces are
    # disjoint, so the shared lengths add up without double counting).
    cell = (unit * n_codes + code[span]) * m + coder[span]
    cells, where = np.unique(cell, return_inverse=True)
    covered = np.bincount(where, weights=shared).astype(np.int64)
    u = cells // (n_codes * m)
    size = inp.u_end[u] - inp.u_start[u]
    # Division, not covered >= min_share * size: 0.3 * 10 > 3 in floating point, but 3 / 10
    # rounds to the same double as 0.3.
    marked = (covered > 0) & (covered / size >= min_share)
    unit_code, mask = _or_by(
        (u * n_codes + (cells // m) % n_codes)[marked],
        np.left_shift(np.int64(1), cells % m)[marked],
    )
    unit = unit_code // n_codes
    return _Marks(
        doc=inp.u_doc[unit],
        code=unit_code % n_codes,
        mask=mask,
        weight=np.ones(unit.size, dtype=np.int64),
        start=inp.u_start[unit],
        end=inp.u_end[unit],
        unit=unit,
        totals=np.bincount(inp.u_doc, minlength=len(inp.documents)).astype(np.int64),
    )


def _or_by(cell: k.IntArray, bit: k.IntArray) -> tuple[k.IntArray, k.IntArray]:
    """Bitwise OR of `bit` within each distinct `cell` (cells sorted ascending)."""
    cells, where = np.unique(cell, return_inverse=True)
    mask = np.zeros(cells.size, dtype=np.int64)
    np.bitwise_or.at(mask, where, bit)
    return cells, mask


def _pattern_weights(marks: _Marks, n_docs: int, n_codes: int) -> tuple[k.IntArray, k.FloatArray]:
    """Units per (document x code) row and coder pattern column; pattern 0 = marked by nobody."""
    seen = np.unique(marks.mask)
    patterns = np.concatenate(([0], seen[seen != 0])).astype(np.int64)
    column = np.searchsorted(patterns[1:], marks.mask) + 1
    weights = np.zeros((n_docs * n_codes, patterns.size))
    np.add.at(weights, (marks.doc * n_codes + marks.code, column), marks.weight)
    weights[:, 0] = np.repeat(marks.totals, n_codes) - weights[:, 1:].sum(axis=1)
    return patterns, weights


def agreement_table(
    codings: pd.DataFrame,
    units: pd.DataFrame | None,
    coders: Iterable[Hashable],
    codes: Iterable[Hashable] | None = None,
    unit_kind: UnitKind = "segment",
    *,
    min_share: float = 0.0,
    by: By = "code",
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Agreement per code, per document x code, or pooled over codes, with the counts behind it.

    Key columns: `code` (by="code"); `document`, `code` (by="document"); `n_codes`
    (by="pooled"). Then, per row:

    - `unit_kind`; `n_units` (units compared; for "pooled", unit x code pairs);
    - `coded_by_<coder>` for each coder, `coded_by_all` (all coders marked the unit; "both"
      with two coders), `coded_by_any`, `coded_by_none`;
    - `percent_agreement` over all units, and `percent_agreement_marked` over the units at
      least one coder marked (so that a rare code is not flattered by the text nobody coded);
    - `cohen_kappa`, `scott_pi` (two coders only), `conger_kappa` (Cohen's kappa for two
      coders, Conger's for more), `fleiss_kappa`, `brennan_prediger` and
      `gwet_ac1` (both with q = 2: present/absent), `krippendorff_alpha` (nominal);
    - `notes`: why a coefficient is NaN, where one is.

    by="code" treats all units of all documents as one sample per code. by="pooled" forms one
    coefficient over all codes as de Vries et al. (2008) pool kappa: observed and chance
    agreement are each averaged over the codes (weighted by units) and the coefficient is
    formed from the averages. It is not the kappa of the summed 2x2 table, whose chance term
    would use a prevalence that no single code has.
    """
    if by not in ("code", "document", "pooled"):
        raise UsageError(f"by must be 'code', 'document' or 'pooled'; got {by!r}")
    return agreement_tables(
        codings, units, coders, codes, unit_kind, min_share=min_share, documents=documents
    )[by]


def agreement_tables(
    codings: pd.DataFrame,
    units: pd.DataFrame | None,
    coders: Iterable[Hashable],
    codes: Iterable[Hashable] | None = None,
    unit_kind: UnitKind = "segment",
    *,
    min_share: float = 0.0,
    documents: pd.DataFrame | None = None,
) -> dict[By, pd.DataFrame]:
    """`agreement_table` for every `by` at once, reading and marking the units once."""
    inp = read(codings, units, coders, codes, unit_kind, documents)
    marks = _mark(inp, _check_share(min_share))
    n_docs, n_codes = len(inp.documents), len(inp.codes)
    patterns, weights = _pattern_weights(marks, n_docs, n_codes)
    return {
        by: _table(by, inp, patterns, weights, n_docs, n_codes)
        for by in ("code", "document", "pooled")
    }


def _table(
    by: By,
    inp: Inputs,
    patterns: k.IntArray,
    weights: k.FloatArray,
    n_docs: int,
    n_codes: int,
) -> pd.DataFrame:
    if by == "document":
        keys = pd.DataFrame(
            {
                "document": pd.Series(np.repeat(objects(inp.documents), n_codes), dtype=object),
                "code": pd.Series(np.tile(objects(inp.codes), n_docs), dtype=object),
            }
        )
        return _join(keys, describe(weights, patterns, inp.coders, inp.kind))
    per_code = weights.reshape(n_docs, n_codes, patterns.size).sum(axis=0)
    if by == "code":
        keys = pd.DataFrame({"code": pd.Series(list(inp.codes), dtype=object)})
        return _join(keys, describe(per_code, patterns, inp.coders, inp.kind))
    keys = pd.DataFrame({"n_codes": [n_codes]})
    return _join(keys, pooled_row(per_code, patterns, inp.coders, inp.kind))


def _join(keys: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([keys.reset_index(drop=True), stats.reset_index(drop=True)], axis=1)


def _coder_sets(
    masks: k.IntArray, coders: tuple[Hashable, ...]
) -> tuple[list[tuple[Hashable, ...]], list[tuple[Hashable, ...]]]:
    distinct, where = np.unique(masks, return_inverse=True)
    marked = [tuple(c for j, c in enumerate(coders) if (int(x) >> j) & 1) for x in distinct]
    unmarked = [tuple(c for j, c in enumerate(coders) if not (int(x) >> j) & 1) for x in distinct]
    return [marked[i] for i in where], [unmarked[i] for i in where]


def disagreements(
    codings: pd.DataFrame,
    units: pd.DataFrame | None,
    coders: Iterable[Hashable],
    codes: Iterable[Hashable] | None = None,
    unit_kind: UnitKind = "segment",
    *,
    min_share: float = 0.0,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every unit x code on which the coders differ, for walking through them one by one.

    Columns: `document`, `unit`, `start`, `end`, `code`, `marked_by` and `not_marked_by`
    (tuples of coders). For character units a row is a maximal run of characters marked by
    the same coders (`unit` is None); for document units `unit` is the document and `start`,
    `end` span it (-1 for `end` when document lengths were not given). Rows are in document
    order, then by position, then in the order of `codes`.
    """
    inp = read(codings, units, coders, codes, unit_kind, documents)
    marks = _mark(inp, _check_share(min_share))
    full = (1 << len(inp.coders)) - 1
    mixed = marks.mask != full
    order = np.lexsort((marks.code[mixed], marks.start[mixed], marks.doc[mixed]))
    pick = np.flatnonzero(mixed)[order]
    marked, unmarked = _coder_sets(marks.mask[pick], inp.coders)
    docs = objects(inp.documents)
    if inp.kind == "segment":
        unit_ids = objects(inp.u_id)[marks.unit[pick]]
    elif inp.kind == "document":
        unit_ids = docs[marks.doc[pick]]
    else:
        unit_ids = np.full(pick.size, None, dtype=object)
    return pd.DataFrame(
        {
            "document": pd.Series(docs[marks.doc[pick]], dtype=object),
            "unit": pd.Series(unit_ids, dtype=object),
            "start": marks.start[pick],
            "end": marks.end[pick],
            "code": pd.Series(objects(inp.codes)[marks.code[pick]], dtype=object),
            "marked_by": pd.Series(marked, dtype=object),
            "not_marked_by": pd.Series(unmarked, dtype=object),
        }
    )


def unit_table(
    codings: pd.DataFrame,
    units: pd.DataFrame | None,
    coders: Iterable[Hashable],
    codes: Iterable[Hashable] | None = None,
    unit_kind: Literal["segment", "document"] = "segment",
    *,
    min_share: float = 0.0,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The binary units x coders table of every code, for the coefficient functions.

    Index (`code`, `document`, `unit`), one 0/1 column per coder; `table.loc[code]` is the
    units x coders table of one code, ready for e.g. `bootstrap_ci(..., gwet_ac1,
    categories=[0, 1])`. Character units are not offered: they would be one row per character.
    """
    if unit_kind not in ("segment", "document"):
        raise UsageError(
            "unit_table builds segment or document units; character units would be one row per "
            "character, so use agreement_table for them"
        )
    inp = read(codings, units, coders, codes, unit_kind, documents)
    marks = _mark(inp, _check_share(min_share))
    n_codes = len(inp.codes)
    if inp.kind == "segment":
        unit_doc, unit_ids, which = inp.u_doc, list(inp.u_id), marks.unit
    else:
        unit_doc = np.arange(len(inp.documents), dtype=np.int64)
        unit_ids, which = list(inp.documents), marks.doc
    masks = np.zeros((n_codes, unit_doc.size), dtype=np.int64)
    masks[marks.code, which] = marks.mask
    bits = (masks.reshape(-1, 1) >> np.arange(len(inp.coders))) & 1
    index = pd.MultiIndex.from_arrays(
        [
            np.repeat(objects(inp.codes), unit_doc.size),
            np.tile(objects(inp.documents)[unit_doc], n_codes),
            np.tile(objects(unit_ids), n_codes),
        ],
        names=["code", "document", "unit"],
    )
    return pd.DataFrame(bits, index=index, columns=pd.Index(list(inp.coders), dtype=object))
