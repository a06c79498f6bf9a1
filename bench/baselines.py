"""The baselines coder is measured against: what a competent person would write by hand.

- import: read the files, run the same spaCy pipeline (blank English + sentencizer) with
  `nlp.pipe` over whole documents, and bulk-insert the documents and their sentences into a
  two-table SQLite database with `executemany`, in one transaction. Run as a program
  (`python -m bench.baselines import CORPUS OUT.sqlite`) so that its time includes starting
  Python and loading spaCy, as `coder import` does.
- matrix: one hand-written SQL query with a `GROUP BY` over coder's own tables per measure.
- agreement: the per-code 2 x 2 tables from codings and sentences with vectorised NumPy
  (`searchsorted`, `unique`, `bincount`), then the coefficients in closed form.
- retrieval: one SQL query (codings of a theme's codes, their turn and attributes) and Python
  slicing of the document texts.

The matrix and agreement baselines compute the same numbers as coder does; run.py checks
that they agree, so that a ratio compares two ways of doing the same work.
"""

from __future__ import annotations

import base64
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

# -- import --------------------------------------------------------------------------------


def import_corpus(corpus: Path, out: Path) -> tuple[int, int]:
    """Documents and sentences of `corpus` into a new SQLite file; returns the counts."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    files = sorted((corpus / "transcripts").glob("*.txt"))
    con = sqlite3.connect(out)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute("CREATE TABLE document (id INTEGER PRIMARY KEY, name TEXT UNIQUE, text TEXT)")
    con.execute(
        "CREATE TABLE sentence (id INTEGER PRIMARY KEY, document_id INTEGER "
        'REFERENCES document (id), start INTEGER, "end" INTEGER)'
    )
    texts = (path.read_text(encoding="utf-8") for path in files)
    sentences = 0
    with con:
        for number, (path, doc) in enumerate(
            zip(files, nlp.pipe(texts, batch_size=8), strict=True), 1
        ):
            con.execute("INSERT INTO document VALUES (?, ?, ?)", (number, path.stem, doc.text))
            rows = [(number, s.start_char, s.end_char) for s in doc.sents]
            con.executemany(
                'INSERT INTO sentence (document_id, start, "end") VALUES (?, ?, ?)', rows
            )
            sentences += len(rows)
    con.close()
    return len(files), sentences


# -- matrix --------------------------------------------------------------------------------

MATRIX_MEASURES = (
    "segments",
    "sentences",
    "documents",
    "participants",
    "presence",
    "share",
    "coverage",
)


def _groups(split: str | None) -> tuple[str, str]:
    """The group CTE (documents with their site, and role) and the grouping columns."""
    columns = "site" if split is None else "site, role"
    cte = (
        "grp(document_id, site) AS (SELECT s.document_id, s.value FROM document_attribute s "
        "JOIN attribute sa ON sa.id = s.attribute_id AND sa.scope = 'document' "
        "AND sa.name = 'site')"
    )
    if split is not None:
        cte = (
            "grp(document_id, site, role) AS (SELECT s.document_id, s.value, r.value "
            "FROM document_attribute s "
            "JOIN attribute sa ON sa.id = s.attribute_id AND sa.scope = 'document' "
            "AND sa.name = 'site' "
            "JOIN document_attribute r ON r.document_id = s.document_id "
            "JOIN attribute ra ON ra.id = r.attribute_id AND ra.scope = 'document' "
            f"AND ra.name = '{split}')"
        )
    return cte, columns


_THEMES = """
theme(id) AS (
    SELECT id FROM code WHERE kind = 'theme' AND status IN ('active', 'split')
    UNION
    SELECT o.id FROM code o WHERE o.kind = 'organizing-theme' AND o.status IN ('active', 'split')
      AND NOT EXISTS (SELECT 1 FROM code t WHERE t.parent_id = o.id AND t.kind = 'theme')
),
member(theme_id, code_id) AS (
    SELECT id, id FROM theme
    UNION ALL
    SELECT m.theme_id, c.id FROM member m JOIN code c ON c.parent_id = m.code_id
),
coded(theme_id, document_id, coder_id, start, "end") AS (
    SELECT m.theme_id, c.document_id, c.coder_id, c.start, c."end"
    FROM coding c JOIN member m ON m.code_id = c.code_id
    WHERE c.origin NOT IN ('suggested', 'rejected')
)"""


def matrix_sql(measure: str, split: str | None = None) -> str:
    """theme_id, site[, role], value: one query per measure, level `themes`, by site."""
    grp, columns = _groups(split)
    g = ", ".join(f"g.{c}" for c in columns.split(", "))
    head = f"WITH RECURSIVE {_THEMES},\n{grp}"
    overlap = 'ON {a}.document_id = k.document_id AND {a}.start < k."end" AND {a}."end" > k.start'
    if measure == "presence":
        return (
            f"{head}\nSELECT k.theme_id, {g}, 1 FROM coded k "
            f"JOIN grp g ON g.document_id = k.document_id GROUP BY k.theme_id, {g}"
        )
    if measure == "documents":
        return (
            f"{head}\nSELECT k.theme_id, {g}, COUNT(DISTINCT k.document_id) FROM coded k "
            f"JOIN grp g ON g.document_id = k.document_id GROUP BY k.theme_id, {g}"
        )
    if measure == "segments":
        # Gaps and islands twice: each coder's codings join where they overlap or touch, then
        # the coders' segments join where they overlap (share a character).
        return f"""{head},
own_reach AS (
    SELECT theme_id, document_id, coder_id, start, "end",
           MAX("end") OVER (PARTITION BY theme_id, document_id, coder_id ORDER BY start, "end"
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
    FROM coded
),
own AS (
    SELECT theme_id, document_id, coder_id, start, "end",
           SUM(CASE WHEN before IS NULL OR start > before THEN 1 ELSE 0 END)
               OVER (PARTITION BY theme_id, document_id, coder_id ORDER BY start, "end"
                     ROWS UNBOUNDED PRECEDING) AS island
    FROM own_reach
),
segment_of AS (
    SELECT theme_id, document_id, MIN(start) AS start, MAX("end") AS "end"
    FROM own GROUP BY theme_id, document_id, coder_id, island
),
joined AS (
    SELECT theme_id, document_id, start,
           MAX("end") OVER (PARTITION BY theme_id, document_id ORDER BY start, "end"
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
    FROM segment_of
)
SELECT j.theme_id, {g}, SUM(CASE WHEN before IS NULL OR start >= before THEN 1 ELSE 0 END)
FROM joined j JOIN grp g ON g.document_id = j.document_id GROUP BY j.theme_id, {g}"""
    if measure == "sentences":
        return (
            f"{head}\nSELECT k.theme_id, {g}, COUNT(DISTINCT u.id) FROM coded k "
            f"JOIN grp g ON g.document_id = k.document_id "
            f"JOIN bench_sentence u {overlap.format(a='u')} "
            f"GROUP BY k.theme_id, {g}"
        )
    speakers = (
        f"SELECT k.theme_id, {g}, COUNT(DISTINCT t.participant_id) AS n FROM coded k "
        f"JOIN grp g ON g.document_id = k.document_id "
        f"JOIN segment t {overlap.format(a='t')} AND t.kind = 'turn' "
        f"AND t.participant_id IS NOT NULL GROUP BY k.theme_id, {g}"
    )
    if measure == "participants":
        return f"{head}\n{speakers}"
    using = " AND ".join(f"p.{c} = q.{c}" for c in columns.split(", "))
    if measure == "share":
        return (
            f"{head},\npeople({columns}, n) AS (SELECT {g}, COUNT(DISTINCT dp.participant_id) "
            f"FROM document_participant dp JOIN grp g ON g.document_id = dp.document_id "
            f"GROUP BY {g}),\nsaid AS ({speakers})\n"
            f"SELECT p.theme_id, {', '.join('p.' + c for c in columns.split(', '))}, "
            f"p.n * 1.0 / q.n FROM said p JOIN people q ON {using}"
        )
    if measure == "coverage":
        # Gaps and islands: a coding starts a new island when it begins after the furthest
        # end of the codings before it (touching spans merge, as coder's union does).
        return f"""{head},
reach AS (
    SELECT theme_id, document_id, start, "end",
           MAX("end") OVER (PARTITION BY theme_id, document_id ORDER BY start, "end"
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
    FROM coded
),
islands AS (
    SELECT theme_id, document_id, start, "end",
           SUM(CASE WHEN before IS NULL OR start > before THEN 1 ELSE 0 END)
               OVER (PARTITION BY theme_id, document_id ORDER BY start, "end"
                     ROWS UNBOUNDED PRECEDING) AS island
    FROM reach
),
merged AS (
    SELECT theme_id, document_id, MAX("end") - MIN(start) AS length
    FROM islands GROUP BY theme_id, document_id, island
),
text_in({columns}, n) AS (
    SELECT {g}, SUM(d.length) FROM document d JOIN grp g ON g.document_id = d.id GROUP BY {g}
),
covered AS (
    SELECT m.theme_id, {g}, SUM(m.length) AS n FROM merged m
    JOIN grp g ON g.document_id = m.document_id GROUP BY m.theme_id, {g}
)
SELECT p.theme_id, {", ".join("p." + c for c in columns.split(", "))}, p.n * 1.0 / q.n
FROM covered p JOIN text_in q ON {using}"""
    raise ValueError(f"unknown measure {measure!r}")


def sentence_table(con: Any) -> None:
    """The project's sentences as rows of a plain table, `bench_sentence`, for the baselines
    to join in SQL as a hand-made schema would store them: coder keeps them only packed per
    document (`unit_bounds`: little-endian 32-bit start and end pairs, in base64). Written
    once per project, untimed, and kept with it, and analysed as the project's tables are."""
    cur = con.cursor()
    cur.execute(
        "CREATE TABLE IF NOT EXISTS bench_sentence (id INTEGER PRIMARY KEY, "
        'document_id INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL)'
    )
    cur.execute("SELECT count(*) FROM bench_sentence")
    if cur.fetchone()[0] == 0:
        rows: list[tuple[int, int, int, int]] = []
        for document, packed in run_sql(con, "SELECT document_id, sentences FROM unit_bounds"):
            spans = np.frombuffer(base64.b64decode(packed), dtype="<i4").reshape(-1, 2)
            first = len(rows) + 1
            rows += [(first + i, int(document), int(a), int(b)) for i, (a, b) in enumerate(spans)]
        mark = "?" if isinstance(con, sqlite3.Connection) else "%s"
        cur.executemany(f"INSERT INTO bench_sentence VALUES ({', '.join([mark] * 4)})", rows)
    # The overlap join reads a document's sentences from the index alone, as it read the
    # segment table's (document, kind, start, end) index when sentences were rows there.
    cur.execute(
        "CREATE INDEX IF NOT EXISTS ix_bench_sentence_span "
        'ON bench_sentence (document_id, start, "end")'
    )
    cur.execute("ANALYZE bench_sentence")
    cur.close()
    con.commit()


def run_sql(con: Any, sql: str) -> list[tuple[Any, ...]]:
    cur = con.cursor()
    cur.execute(sql)
    rows = cur.fetchall()
    cur.close()
    return [tuple(r) for r in rows]


# -- agreement -----------------------------------------------------------------------------


def _fetch_codings(con: Any, coders: Sequence[str]) -> dict[str, np.ndarray]:
    names = ", ".join(f"'{c}'" for c in coders)
    rows = run_sql(
        con,
        'SELECT c.document_id, c.code_id, k.name, c.start, c."end" FROM coding c '
        f"JOIN coder k ON k.id = c.coder_id WHERE k.name IN ({names}) "
        "AND c.origin NOT IN ('suggested', 'rejected')",
    )
    doc, code, coder, start, end = zip(*rows, strict=True) if rows else ((),) * 5
    index = {c: i for i, c in enumerate(coders)}
    return {
        "doc": np.asarray(doc, dtype=np.int64),
        "code": np.asarray(code, dtype=np.int64),
        "coder": np.asarray([index[c] for c in coder], dtype=np.int64),
        "start": np.asarray(start, dtype=np.int64),
        "end": np.asarray(end, dtype=np.int64),
    }


def _coefficients(
    n11: np.ndarray, n10: np.ndarray, n01: np.ndarray, n00: np.ndarray
) -> dict[str, Any]:
    """Two coders, present/absent: the 2 x 2 counts to the usual coefficients (vectorised)."""
    n = (n11 + n10 + n01 + n00).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        po = (n11 + n00) / n
        pa, pb = (n11 + n10) / n, (n11 + n01) / n
        pe_cohen = pa * pb + (1 - pa) * (1 - pb)
        pi = (pa + pb) / 2
        pe_scott = pi**2 + (1 - pi) ** 2
        pe_gwet = 2 * pi * (1 - pi)
        ones, zeros = 2 * n11 + n10 + n01, 2 * n00 + n10 + n01
        return {
            "n_units": n,
            "coded_by_0": n11 + n10,
            "coded_by_1": n11 + n01,
            "coded_by_all": n11,
            "percent_agreement": po,
            "percent_agreement_marked": n11 / (n11 + n10 + n01),
            "cohen_kappa": (po - pe_cohen) / (1 - pe_cohen),
            "scott_pi": (po - pe_scott) / (1 - pe_scott),
            "brennan_prediger": 2 * po - 1,
            "gwet_ac1": (po - pe_gwet) / (1 - pe_gwet),
            "krippendorff_alpha": 1 - (2 * n - 1) * (n10 + n01) / (ones * zeros),
        }


def _table(
    key: np.ndarray, mask: np.ndarray, weight: np.ndarray, size: int, totals: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sum `weight` into (cell, coder pattern) counts; n00 is the rest of each cell's units."""
    counts = [
        np.bincount(key[mask == m], weights=weight[mask == m], minlength=size) for m in (3, 1, 2)
    ]
    n11, n10, n01 = (c.astype(np.int64) for c in counts)
    return n11, n10, n01, totals - n11 - n10 - n01


def agreement(con: Any, coders: Sequence[str], unit: str) -> dict[str, Any]:
    """Per code, per document x code, and pooled coefficients for two coders.

    unit "sentence": a coder marks a sentence with a code when any of their codings with that
    code overlaps it; "character": every character is a unit.
    """
    c = _fetch_codings(con, coders)
    docs = np.unique(c["doc"])
    codes = np.unique(c["code"])
    lengths = dict(run_sql(con, "SELECT id, length FROM document"))
    doc_len = np.array([lengths[int(d)] for d in docs], dtype=np.int64)
    di = np.searchsorted(docs, c["doc"])
    ci = np.searchsorted(codes, c["code"])
    n_docs, n_codes = docs.size, codes.size
    stride = int(doc_len.max()) + 1
    if unit == "sentence":
        rows = run_sql(
            con,
            'SELECT document_id, start, "end" FROM bench_sentence ORDER BY document_id, start',
        )
        u = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
        u = u[np.isin(u[:, 0], docs)]
        u_doc = np.searchsorted(docs, u[:, 0])
        u_start, u_end = u_doc * stride + u[:, 1], u_doc * stride + u[:, 2]
        g_start, g_end = di * stride + c["start"], di * stride + c["end"]
        first = np.searchsorted(u_end, g_start, side="right")
        stop = np.searchsorted(u_start, g_end, side="left")
        count = np.maximum(stop - first, 0)
        which = np.repeat(np.arange(count.size), count)
        step = np.arange(which.size) - np.repeat(np.cumsum(count) - count, count)
        unit_of = first[which] + step
        # One entry per (code, unit, coder) marked; the coder bits of a (code, unit) add up.
        marks = np.unique((ci[which] * u_doc.size + unit_of) * 2 + c["coder"][which])
        cell, where = np.unique(marks // 2, return_inverse=True)
        mask = np.bincount(where, weights=1 << (marks % 2)).astype(np.int64)
        code_of, unit_doc = cell // u_doc.size, u_doc[cell % u_doc.size]
        weight = np.ones(cell.size)
        units_per_doc = np.bincount(u_doc, minlength=n_docs)
    else:
        # Sweep each (document, code)'s start/end events: the coders' coverage counts between
        # consecutive events say who covers each stretch of characters.
        key = di * n_codes + ci
        pos = np.concatenate([c["start"], c["end"]])
        keys = np.concatenate([key, key])
        delta = np.concatenate([np.ones(key.size), -np.ones(key.size)]).astype(np.int64)
        coder = np.concatenate([c["coder"], c["coder"]])
        order = np.lexsort((pos, keys))
        pos, keys, delta, coder = pos[order], keys[order], delta[order], coder[order]
        cover = [np.cumsum(np.where(coder == j, delta, 0)) for j in (0, 1)]
        mask = (cover[0] > 0).astype(np.int64) | ((cover[1] > 0).astype(np.int64) << 1)
        length = np.diff(pos, append=pos[-1:])
        same = np.append(keys[1:] == keys[:-1], False)
        weight = np.where(same, length, 0).astype(float)
        code_of, unit_doc = keys % n_codes, keys // n_codes
        units_per_doc = doc_len
    per_doc = _table(
        unit_doc * n_codes + code_of,
        mask,
        weight,
        n_docs * n_codes,
        np.repeat(units_per_doc, n_codes),
    )
    per_code = tuple(x.reshape(n_docs, n_codes).sum(axis=0) for x in per_doc)
    code_stats = _coefficients(*per_code)
    # Pooled (de Vries et al. 2008): observed and chance agreement averaged over codes.
    n = per_code[0] + per_code[1] + per_code[2] + per_code[3]
    pa, pb = (per_code[0] + per_code[1]) / n, (per_code[0] + per_code[2]) / n
    po = ((per_code[0] + per_code[3]) * 1.0).sum() / n.sum()
    pe = ((pa * pb + (1 - pa) * (1 - pb)) * n).sum() / n.sum()
    return {
        "codes": codes,
        "documents": docs,
        "per_code": code_stats,
        "per_document": _coefficients(*per_doc),
        "pooled_kappa": (po - pe) / (1 - pe),
    }


# -- retrieval -----------------------------------------------------------------------------


def quotes(con: Any, theme_id: int) -> list[tuple[Any, ...]]:
    """A theme's codings (with its descendants'), their speaker turn, site and role, text."""
    rows = run_sql(
        con,
        f"""WITH RECURSIVE member(code_id) AS (
            SELECT {int(theme_id)} UNION ALL
            SELECT c.id FROM code c JOIN member m ON c.parent_id = m.code_id)
        SELECT c.id, d.name, c.document_id, c.start, c."end", t.speaker, t.participant_id,
               s.value, r.value
        FROM coding c JOIN member m ON m.code_id = c.code_id
        JOIN document d ON d.id = c.document_id
        LEFT JOIN segment t ON t.document_id = c.document_id AND t.kind = 'turn'
             AND t.start <= c.start AND c.start < t."end"
        LEFT JOIN (document_attribute s JOIN attribute sa ON sa.id = s.attribute_id
                   AND sa.scope = 'document' AND sa.name = 'site') ON s.document_id = d.id
        LEFT JOIN (document_attribute r JOIN attribute ra ON ra.id = r.attribute_id
                   AND ra.scope = 'document' AND ra.name = 'role') ON r.document_id = d.id
        WHERE c.origin NOT IN ('suggested', 'rejected')
        ORDER BY d.name, c.start""",
    )
    wanted = sorted({r[2] for r in rows})
    texts: dict[int, str] = {}
    if wanted:
        ids = ", ".join(str(int(i)) for i in wanted)
        texts = dict(run_sql(con, f"SELECT id, text FROM document WHERE id IN ({ids})"))
    return [(*r, texts[r[2]][r[3] : r[4]], f"({r[7]} {r[8]})") for r in rows]


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "import":
        documents, sentences = import_corpus(Path(argv[1]), Path(argv[2]))
        print(f"{documents} documents, {sentences} sentences")
        return
    raise SystemExit("usage: python -m bench.baselines import CORPUS OUT.sqlite")


if __name__ == "__main__":
    main(sys.argv[1:])
