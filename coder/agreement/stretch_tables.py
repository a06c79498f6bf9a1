"""The stretch-based measures per code, per document and pooled, with the counts behind them.

`unitizing_alpha`, `character_agreement` and `overlap_agreement` each answer for one table of
spans; these functions lay them out the way `agreement_tables` lays out the coefficients on
units cut in advance: a dict with the keys "code", "document" and "pooled", each a DataFrame
whose every number comes with its counts. Counts per coder are named after the coder
(`units_maya`, `only_tomas`), so a table read on its own says who is who.

- `unitized_tables`: Krippendorff's alpha_U (any number of coders). Per document, each
  document is its own continuum; per code and pooled, the documents are laid end to end (in
  the order of `lengths`) as one continuum, so that one alpha speaks for the whole sample.
  The pooled table has two rows: `(pooled)`, 1 - sum D_o / sum D_e over the codes, and
  `(binary)`, alpha_U with every code taken as one.
- `character_tables`: NVivo's character agreement (two coders), per document and code as
  NVivo shows it, and averaged per code and pooled as `aggregate_kappa` does.
- `overlap_tables`: MAXQDA's segment overlap (two coders) at a minimum overlap `threshold`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd

from coder.agreement._inputs import (
    frame,
    name_list,
    objects,
    offsets,
)
from coder.agreement._kernels import IntArray
from coder.agreement._pairs import SPAN_COLUMNS, choose, document_sizes
from coder.agreement.character import How, aggregate_kappa, character_agreement
from coder.agreement.overlap import overlap_agreements
from coder.agreement.unitizing import alpha_rows, pooled_row
from coder.agreement.unitizing_groups import Sections, sections
from coder.errors import UsageError

Tables = dict[str, pd.DataFrame]
POOLED = "(pooled)"
BINARY = "(binary)"


def _pair(coders: Sequence[Hashable], measure: str, tool: str) -> tuple[str, str]:
    names = name_list(coders, "coders")
    if len(names) != 2:
        raise UsageError(
            f"{measure} compares two coders, as {tool} does; got {len(names)} "
            f"({', '.join(map(str, names))}). Compare them two at a time, or use unitized "
            "agreement (Krippendorff's alpha_U), which takes any number of coders"
        )
    return str(names[0]), str(names[1])


def _spans(
    spans: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: tuple[Hashable, ...],
    codes: Iterable[Hashable] | None,
) -> tuple[pd.DataFrame, tuple[Hashable, ...]]:
    """Valid, non-empty spans of the compared coders in the compared documents, with the
    document as its position in `lengths` and the code as its position in the codes."""
    table = frame(spans, "spans", SPAN_COLUMNS)
    start, end = offsets(table, "spans")
    docs, sizes = document_sizes(lengths)
    chosen = table["coder"].isin(pd.Index(objects(coders))).to_numpy()
    keep, code_names, doc, code = choose(table, start, end, chosen, docs, sizes, codes)
    out = pd.DataFrame(
        {
            "coder": table.loc[keep, "coder"].to_numpy(),
            "doc": doc,
            "code": code,
            "start": start[keep],
            "end": end[keep],
        }
    )
    return out, code_names


def _columns(
    found: Sections,
    groups: IntArray,
    coders: tuple[Hashable, ...],
    rows: list[tuple[float, float, float, str]],
) -> dict[str, list[object]]:
    """For the `groups` of `found` (in order): units and characters per coder (overlapping
    codings joined, touching ones apart, as alpha_U takes them), then alpha, D_o, D_e, notes
    from that group's row of `rows`."""
    units, characters = found.units()[groups], found.characters()[groups]
    columns: dict[str, list[object]] = {}
    for kind, counts in (("units", units), ("characters", characters)):
        for i, coder in enumerate(coders):
            columns[f"{kind}_{coder}"] = counts[:, i].tolist()
    picked = [rows[g] for g in groups.tolist()]
    for i, name in enumerate(("alpha", "D_o", "D_e", "notes")):
        columns[name] = [row[i] for row in picked]
    return columns


def unitized_tables(
    spans: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable],
    *,
    codes: Iterable[Hashable] | None = None,
) -> Tables:
    """Krippendorff's (2004) alpha_U per code, per document x code, and pooled.

    `spans`: `coder`, `document`, `code`, `start`, `end`; `lengths` maps each compared
    document to its length (in the order the documents are laid end to end); `coders` lists
    the coders (two or more), including any who coded nothing. Columns: the keys, `length`
    (characters of the continuum), `units_<coder>` and `characters_<coder>`, `alpha`, `D_o`,
    `D_e`, `notes`. Per document, codes nobody used in that document are left out.
    """
    names = name_list(coders, "coders")
    if len(names) < 2:
        raise UsageError(f"alpha_U needs two or more coders; got {list(names)}")
    table, code_names = _spans(spans, lengths, names, codes)
    docs, sizes = document_sizes(lengths)
    offset = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    total = int(sizes.sum())
    if total == 0:
        raise UsageError("the compared documents are empty: there is no text to unitize")
    labels = objects(code_names)
    m, n_codes = len(names), len(code_names)
    coder = np.asarray(
        pd.Index(list(names), dtype=object).get_indexer(pd.Index(table["coder"], dtype=object)),
        dtype=np.int64,
    )
    doc, code = table["doc"].to_numpy(np.int64), table["code"].to_numpy(np.int64)
    start, end = table["start"].to_numpy(np.int64), table["end"].to_numpy(np.int64)
    zero = [f"{kind}_{c}" for kind in ("units", "characters") for c in names]
    per_code: dict[str, list[object]] = {}
    pooled: dict[str, list[object]] = {}
    if len(table):
        # Per code, the documents laid end to end as one continuum; the codes are the groups.
        shift = offset[doc]
        laid = sections(code, coder, start + shift, end + shift, n_codes, m)
        rows = alpha_rows(laid, np.full(n_codes, total, dtype=np.int64))
        present = np.flatnonzero(laid.units().sum(axis=1) > 0)
        per_code = {
            "code": [labels[c] for c in present.tolist()],
            "length": [total] * present.size,
            **_columns(laid, present, names, rows),
        }
        # (binary): every code as one, each coder's units of any code joined where they overlap.
        one = sections(np.zeros_like(code), coder, start + shift, end + shift, 1, m)
        whole = np.array([total], dtype=np.int64)
        binary = _columns(one, np.zeros(1, dtype=np.int64), names, alpha_rows(one, whole))
        summed = pooled_row([rows[c] for c in present.tolist()])
        pooled = {"code": [POOLED, BINARY], "length": [total, total]}
        for name in zero:
            pooled[name] = [sum(cast(list[int], per_code[name])), *binary[name]]
        for i, name in enumerate(("alpha", "D_o", "D_e", "notes")):
            pooled[name] = [summed[i], *binary[name]]
    # Per document, each document is its own continuum; each (document, code) is a group.
    width = max(n_codes, 1)
    cell, where = np.unique(doc * width + code, return_inverse=True)
    cell_doc, cell_code = cell // width, cell % width
    own = sections(where.reshape(-1), coder, start, end, cell.size, m)
    length = sizes[cell_doc].astype(np.int64)
    per_document = {
        "document": [docs[d] for d in cell_doc.tolist()],
        "code": [labels[c] for c in cell_code.tolist()],
        "length": length.tolist(),
        **_columns(own, np.arange(cell.size), names, alpha_rows(own, length)),
    }
    numbers = [*zero, "alpha", "D_o", "D_e", "notes"]
    return {
        "code": _frame(per_code, ["code", "length", *numbers]),
        "document": _frame(per_document, ["document", "code", "length", *numbers]),
        "pooled": _frame(pooled, ["code", "length", *numbers]),
    }


def _frame(rows: dict[str, list[object]], columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame([], columns=columns)
    for column in ("code", "document"):
        if column in out:
            out[column] = out[column].astype(object)
    return out


def _side_names(table: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    return table.rename(
        columns={
            "a_only": f"only_{a}",
            "b_only": f"only_{b}",
            "segments_a": f"segments_{a}",
            "segments_b": f"segments_{b}",
        }
    )


def character_tables(
    spans: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable],
    *,
    average: How = "size_weighted",
    codes: Iterable[Hashable] | None = None,
) -> Tables:
    """NVivo's character agreement of two coders per document x code, then per code and
    pooled as `aggregate_kappa(table, average)`, with the summed character counts.

    Columns: the keys, `documents` (per code) or `rows` (pooled: the document x code rows
    averaged), `length`,
    `both`, `only_<A>`, `only_<B>`, `neither` (characters), `pa`, `kappa`, and `note` per
    document x code where NVivo's convention set kappa.
    """
    a, b = _pair(coders, "character agreement", "NVivo's coding comparison")
    table = character_agreement(spans, lengths, (a, b), codes=codes)
    counts = ["length", "both", "a_only", "b_only", "neither"]
    per_document = table[["document", "code", *counts, "pa", "kappa", "note"]]
    per_document = per_document.sort_values(["document", "code"], kind="stable")

    def averaged(by: str | None) -> pd.DataFrame:
        keys = table[by] if by else pd.Series("all", index=table.index, dtype=object)
        summed = table.groupby(keys, sort=False)[counts[1:]].sum()
        found = aggregate_kappa(table, average, by=by)
        out = found.rename(columns={"rows": "documents"}).join(summed)
        return out.reset_index()[[by or "all", "documents", *counts, "pa", "kappa"]]

    per_code = averaged("code")
    pooled = averaged(None).rename(columns={"all": "code", "documents": "rows"})
    pooled["code"] = POOLED
    pooled.insert(1, "n_codes", table["code"].nunique())
    return {
        "code": _side_names(per_code, a, b),
        "document": _side_names(per_document.reset_index(drop=True), a, b),
        "pooled": _side_names(pooled, a, b),
    }


def overlap_tables(
    spans: pd.DataFrame,
    coders: Sequence[Hashable],
    *,
    threshold: float = 0.9,
    documents: Iterable[Hashable] | None = None,
    codes: Iterable[Hashable] | None = None,
) -> Tables:
    """MAXQDA's segment overlap of two coders per document x code, per code and pooled.

    `documents`, when given, are the documents compared (spans elsewhere are left out), in
    the order the per-document rows list them. Columns: the keys,
    `segments_<A>`, `segments_<B>`, `matched`, `only_<A>`, `only_<B>`, `agreement`, `dice`,
    `kappa`, `notes`.
    """
    a, b = _pair(coders, "segment overlap", "MAXQDA's intercoder agreement")
    table = frame(spans, "spans", SPAN_COLUMNS)
    chosen = None if documents is None else list(documents)
    tables = overlap_agreements(table, (a, b), threshold=threshold, codes=codes, documents=chosen)
    pooled = tables["pooled"]
    pooled.insert(0, "code", POOLED)
    return {by: _side_names(found, a, b) for by, found in tables.items()}
