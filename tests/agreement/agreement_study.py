"""A small double-coded study in a real project, and references computed from its raw codings.

Three coders code two interviews. The references below work from the list of codings as the
test applied them, character by character or section by section, sharing nothing with
coder.agreement's interval arithmetic.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
from agreement_spans import literal, segments, slow_pairs
from sklearn.metrics import cohen_kappa_score

from coder import Project

# As the importer stores them: turns apart by a blank line, no trailing newline.
CLINIC = (
    "Interviewer: What made it hard?\n\n"
    "Rosa: The fees were high. Parking cost a lot too. I came after work, so evenings were "
    "best. The nurse called me every week. That helped a great deal.\n\n"
    "Interviewer: Anything else?\n\n"
    "Rosa: The forms took ages to fill in. My sister drove me when she could."
)
HOME = (
    "Interviewer: How did you manage?\n\n"
    "Sam: I paid for taxis, which was expensive. Meetings ran late and I missed the bus. "
    "My neighbour checked on me. The coach phoned twice a month."
)
TEXTS = {"clinic": CLINIC, "home": HOME}
CODES = ("Barriers/Cost", "Barriers/Time", "Support")
COST, TIME, SUPPORT = CODES

# (coder, document, code, first words, last words): the passage from the one to the other.
CODINGS = [
    ("ana", "clinic", COST, "The fees", "a lot too."),
    ("ana", "clinic", TIME, "I came after", "were best."),
    ("ana", "clinic", SUPPORT, "The nurse", "great deal."),
    ("ana", "clinic", TIME, "The forms", "fill in."),
    ("ana", "home", COST, "I paid", "expensive."),
    ("ana", "home", TIME, "Meetings", "the bus."),
    ("ana", "home", SUPPORT, "My neighbour", "on me."),
    ("ben", "clinic", COST, "The fees", "were high."),
    ("ben", "clinic", COST, "Parking", "a lot too."),
    ("ben", "clinic", TIME, "I came after", "every week."),
    ("ben", "clinic", SUPPORT, "The nurse", "great deal."),
    ("ben", "clinic", SUPPORT, "My sister", "she could."),
    ("ben", "home", COST, "I paid", "ran late"),
    ("ben", "home", SUPPORT, "My neighbour", "a month."),
    ("cy", "clinic", COST, "Parking", "a lot too."),
    ("cy", "clinic", TIME, "I came after", "were best."),
    ("cy", "clinic", TIME, "The forms", "she could."),
    ("cy", "home", TIME, "Meetings", "the bus."),
    ("cy", "home", SUPPORT, "The coach", "a month."),
]


def passage(document: str, first: str, last: str) -> tuple[int, int]:
    text = TEXTS[document]
    start = text.index(first)
    return start, text.index(last, start) + len(last)


def spans() -> pd.DataFrame:
    """The codings as (coder, document, code, start, end)."""
    rows = [(c, d, k, *passage(d, first, last)) for c, d, k, first, last in CODINGS]
    return pd.DataFrame(rows, columns=["coder", "document", "code", "start", "end"])


def build(project: Project, folder: Path) -> Project:
    for name, text in TEXTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    project.import_files([folder / f"{name}.txt" for name in TEXTS])
    # The references below work on these texts: they must be the stored ones.
    assert {name: project.document(name).text for name in TEXTS} == TEXTS
    project.codebook.add("Barriers")
    for code in CODES:
        parent, _, name = code.rpartition("/")
        project.codebook.add(name, parent=parent or None)
    for coder, document, code, start, end in spans().itertuples(index=False):
        project.coding.apply(document, code, start, end, coder=coder)
    return project


def marks(coder: str, document: str, code: str | None = None) -> np.ndarray:
    """Which characters of `document` `coder` coded (with `code`, or with any code)."""
    table = spans()
    out = np.zeros(len(TEXTS[document]), dtype=bool)
    pick = (table["coder"] == coder) & (table["document"] == document)
    if code is not None:
        pick &= table["code"] == code
    for start, end in table.loc[pick, ["start", "end"]].itertuples(index=False):
        out[start:end] = True
    return out


def nvivo_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa on characters, 1 where neither coded (NVivo's convention)."""
    if not a.any() and not b.any():
        return 1.0
    return float(cohen_kappa_score(a, b))


def character_reference(a: str, b: str) -> pd.DataFrame:
    """NVivo's table, character by character: per document and code."""
    rows = []
    for document, code in itertools.product(sorted(TEXTS), CODES):
        x, y = marks(a, document, code), marks(b, document, code)
        rows.append(
            {
                "document": document,
                "code": code,
                "length": x.size,
                "both": int((x & y).sum()),
                "only_a": int((x & ~y).sum()),
                "only_b": int((~x & y).sum()),
                "neither": int((~x & ~y).sum()),
                "pa": float((x == y).mean()),
                "kappa": nvivo_kappa(x, y),
            }
        )
    return pd.DataFrame(rows)


def joined(units: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Units that overlap joined into one; units that only touch stay apart (alpha_U)."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(units):
        if out and lo < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def laid_end_to_end(coder: str, codes: tuple[str, ...]) -> list[tuple[int, int]]:
    """A coder's units of `codes` with the documents laid end to end in name order."""
    table, offset, out = spans(), 0, []
    for document in sorted(TEXTS):
        mine = table[
            (table["coder"] == coder) & (table["document"] == document) & table["code"].isin(codes)
        ]
        out += [(s + offset, e + offset) for s, e in mine[["start", "end"]].itertuples(index=False)]
        offset += len(TEXTS[document])
    return joined(out)


def alpha_u_reference(coders: tuple[str, ...], codes: tuple[str, ...]) -> tuple[float, float]:
    """(D_o, D_e) of alpha_U for `codes` taken as one category, section by section."""
    total = sum(len(t) for t in TEXTS.values())
    return literal({c: laid_end_to_end(c, codes) for c in coders}, 0, total)


def overlap_reference(a: str, b: str, threshold: float) -> pd.DataFrame:
    """MAXQDA's counts per document and code from segments enumerated character by
    character, matched by a slow greedy search."""
    rows = []
    for document, code in itertools.product(sorted(TEXTS), CODES):
        x, y = segments(marks(a, document, code)), segments(marks(b, document, code))
        if x or y:
            rows.append((document, code, len(x), len(y), slow_pairs(x, y, threshold)))
    return pd.DataFrame(rows, columns=["document", "code", "segments_a", "segments_b", "matched"])


def confusion_reference(a: str, b: str, count: str) -> dict[tuple[str, str], int]:
    """Cell counts of the code x code table, from per-character arrays (characters) or from
    each of a's segments and the characters it shares with b's codes (segments)."""
    cells: dict[tuple[str, str], int] = {}

    def add(x: str, y: str, n: int) -> None:
        if n:
            cells[(x, y)] = cells.get((x, y), 0) + n

    for document in sorted(TEXTS):
        any_a, any_b = marks(a, document), marks(b, document)
        for first, second, everything, rows in ((a, b, any_b, True), (b, a, any_a, False)):
            for x in CODES:
                mine = marks(first, document, x)
                for lo, hi in segments(mine):
                    if count == "segments" and not everything[lo:hi].any():
                        add(x if rows else "(none)", "(none)" if rows else x, 1)
                    if count == "characters":
                        uncovered = int((~everything[lo:hi]).sum())
                        add(x if rows else "(none)", "(none)" if rows else x, uncovered)
                    if not rows:
                        continue
                    for y in CODES:
                        shared = marks(second, document, y)[lo:hi]
                        n = int(shared.sum()) if count == "characters" else int(shared.any())
                        add(x, y, n)
    return cells
