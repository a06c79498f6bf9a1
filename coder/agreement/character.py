"""Character-level agreement per code and document, computed the way NVivo's coding comparison does.

For one code in one document of `length` characters, every character is a unit coded or not by
each side. NVivo's help ("Run a Coding Comparison query") defines

- percentage agreement = (characters both coded + characters neither coded) / length, and
- kappa = (TA - sum EF) / (TU - sum EF), with TA the characters of agreement, TU the length,
  and sum EF = (A's coded x B's coded + A's uncoded x B's uncoded) / TU, the agreement
  expected by chance: Cohen's kappa on the 2 x 2 table of characters.

Where neither side coded the code in a document the formula is 0/0 and NVivo reports 1 (complete
agreement); where exactly one side coded nothing it is 0 by the formula itself. The only other
0/0, both sides coding the whole document, is complete agreement too and also reported as 1. The
`note` column marks the rows so set. Across codes or documents NVivo reports no average; its
help suggests averaging in a spreadsheet, which `aggregate_kappa` does three ways.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from coder.agreement._inputs import objects
from coder.agreement._pairs import intersection, read_sides
from coder.errors import UsageError

How = Literal["size_weighted", "unweighted", "pooled"]
HOWS = ("size_weighted", "unweighted", "pooled")
NEITHER = "neither side coded this code here: reported as 1, as NVivo does"
EVERYTHING = "both sides coded the whole document: kappa is 0/0, reported as 1 (complete agreement)"


def _kappa(
    both: np.ndarray, a: np.ndarray, b: np.ndarray, length: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """NVivo's kappa from the 2 x 2 character counts with its 0/0 conventions, and where it
    was 0/0."""
    a_coded, b_coded = both + a, both + b
    agreement = length - a - b
    with np.errstate(divide="ignore", invalid="ignore"):
        chance = (a_coded * b_coded + (length - a_coded) * (length - b_coded)) / length
        kappa = (agreement - chance) / (length - chance)
    undefined = (length == 0) | (length - chance == 0) | ~np.isfinite(kappa)
    # 0/0 happens only when both sides coded nothing or both coded everything: complete
    # agreement either way, which NVivo reports as 1.
    return np.where(undefined, 1.0, kappa), undefined


def character_agreement(
    spans: pd.DataFrame,
    lengths: Mapping[Hashable, int],
    coders: Sequence[object],
    *,
    codes: Iterable[Hashable] | None = None,
) -> pd.DataFrame:
    """Agreement of two coders (or groups) per code and document, counted in characters.

    `spans` has columns `coder`, `document`, `code`, `start`, `end` (code-point offsets, end
    exclusive); `lengths` maps each document to compare to its length in characters (documents
    absent from it are ignored); `coders` is the pair (A, B), each side a coder or a list of
    coders whose coding counts together. `codes` fixes the codes (default: those either side
    used). One row per code and document, in that order, with `length`, `both`, `a_only`,
    `b_only`, `neither` (characters), `pa` (percentage agreement as a share) and `kappa`, and
    `note` where kappa was set by NVivo's convention.
    """
    if not isinstance(lengths, Mapping):
        raise UsageError("lengths maps each document to its length in characters")
    sides = read_sides(spans, coders, lengths=lengths, codes=codes)
    assert sides.lengths is not None
    rows = []
    for c in range(len(sides.codes)):
        for d in range(len(sides.documents)):
            a, b = sides.of(0, d, c), sides.of(1, d, c)
            shared = int(intersection(a, b).sum())  # each side's segments are disjoint
            a_total, b_total = int((a[1] - a[0]).sum()), int((b[1] - b[0]).sum())
            rows.append((c, d, shared, a_total - shared, b_total - shared))
    index = np.array(rows, dtype=np.int64).reshape(-1, 5)
    length = sides.lengths[index[:, 1]]
    both, a_only, b_only = index[:, 2], index[:, 3], index[:, 4]
    neither = length - both - a_only - b_only
    with np.errstate(divide="ignore", invalid="ignore"):
        pa = np.where(length > 0, (both + neither) / length, np.nan)
    kappa, undefined = _kappa(both, a_only, b_only, length)
    none = (both + a_only == 0) & (both + b_only == 0)
    note = np.where(undefined, np.where(none, NEITHER, EVERYTHING), "")
    return pd.DataFrame(
        {
            "code": pd.Series(objects(sides.codes)[index[:, 0]], dtype=object),
            "document": pd.Series(objects(sides.documents)[index[:, 1]], dtype=object),
            "length": length,
            "both": both,
            "a_only": a_only,
            "b_only": b_only,
            "neither": neither,
            "pa": pa,
            "kappa": kappa,
            "note": note,
        }
    )


def aggregate_kappa(
    table: pd.DataFrame, how: How = "size_weighted", *, by: str | None = "code"
) -> pd.DataFrame:
    """Average NVivo's per-document kappas (a `character_agreement` table) over documents.

    `by="code"` gives one row per code across its documents; `by="document"` one row per
    document across codes; `by=None` one row for everything. `how`:

    - "size_weighted": each row's kappa weighted by the document's length, the average NVivo's
      help recommends so that a short document does not count as much as a long one;
    - "unweighted": the plain mean of the kappas;
    - "pooled": the kappa of the summed character counts (one 2 x 2 table over all rows).

    Columns: `kappa`, `pa` (averaged the same way), `rows` and `length` (characters behind it).
    """
    if how not in HOWS:
        raise UsageError(f"how must be one of {', '.join(HOWS)}; got {how!r}")
    needed = ("code", "document", "length", "both", "a_only", "b_only", "neither", "pa", "kappa")
    absent = [c for c in needed if c not in table.columns]
    if absent:
        raise UsageError(
            f"aggregate_kappa takes a character_agreement table; missing {', '.join(absent)}"
        )
    if by not in ("code", "document", None):
        raise UsageError(f"by must be 'code', 'document' or None; got {by!r}")
    keys = pd.Series("all", index=table.index, dtype=object) if by is None else table[by]
    out = []
    for key, rows in table.groupby(keys, sort=False):
        length = rows["length"].to_numpy(np.float64)
        if how == "unweighted":
            kappa, pa = rows["kappa"].mean(), rows["pa"].mean()
        elif how == "size_weighted":
            total = length.sum()
            kappa = float((rows["kappa"] * length).sum() / total) if total else np.nan
            pa = float((rows["pa"] * length).sum() / total) if total else np.nan
        else:
            sums = rows[["both", "a_only", "b_only", "length"]].sum()
            counts = [np.array([sums[c]]) for c in ("both", "a_only", "b_only", "length")]
            kappa = float(_kappa(*counts)[0][0])
            pa = float((sums["length"] - sums["a_only"] - sums["b_only"]) / sums["length"])
        out.append((key, kappa, pa, len(rows), int(length.sum())))
    name = by or "all"
    return pd.DataFrame(out, columns=[name, "kappa", "pa", "rows", "length"]).set_index(name)
