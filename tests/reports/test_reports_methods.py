"""Every number of the methods report, recomputed from the raw tables of the demo project with
plain SQL and Python (and scikit-learn's Cohen's kappa), never through coder's own functions."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import statistics
import struct
from collections import Counter, defaultdict

import pytest
from sklearn.metrics import cohen_kappa_score

from coder.reports import compose
from coder.reports.methods import Facts

COUNTED = "origin NOT IN ('suggested', 'rejected')"


def paths(sql: sqlite3.Connection) -> dict[int, str]:
    rows = {i: (p, n) for i, p, n in sql.execute("SELECT id, parent_id, name FROM code")}

    def path(i: int) -> str:
        parent, name = rows[i]
        return name if parent is None else f"{path(parent)}/{name}"

    return {i: path(i) for i in rows}


def attribute(sql: sqlite3.Connection, name: str) -> dict[int, str]:
    return dict(
        sql.execute(
            "SELECT da.document_id, da.value FROM document_attribute da "
            "JOIN attribute a ON a.id = da.attribute_id WHERE a.scope = 'document' AND a.name = ?",
            (name,),
        )
    )


def test_documents_by_site_and_role(facts: Facts, sql: sqlite3.Connection) -> None:
    site, role = attribute(sql, "site"), attribute(sql, "role")
    expected = Counter((site[d], role[d]) for (d,) in sql.execute("SELECT id FROM document"))
    table = facts.corpus.groups().set_index("site")
    for (s, r), n in expected.items():
        assert table.loc[s, r] == n
    assert table.loc["Total", "documents"] == sum(expected.values()) == 22
    assert int(table.drop(index="Total")["documents"].sum()) == 22


def test_participants_words_and_durations(facts: Facts, sql: sqlite3.Connection) -> None:
    (participants,) = sql.execute("SELECT count(*) FROM participant").fetchone()
    assert facts.corpus.participants == participants
    words = {
        name: len(re.findall(r"\S+", text))
        for name, text in sql.execute("SELECT name, text FROM document")
    }
    assert facts.corpus.words == words
    text = compose.corpus_text(facts)
    assert f"{sum(words.values()):,} words" in text
    assert f"median {statistics.median(words.values()):,.0f} per transcript" in text
    assert f"range {min(words.values()):,}-{max(words.values()):,}" in text
    # From the first timestamp to the last end; transcripts with start times only
    # (`[00:01:05] Name:`) end at their last start.
    spans = sql.execute(
        "SELECT document_id, min(started_at), coalesce(max(ended_at), max(started_at)) "
        "FROM segment WHERE kind = 'turn' GROUP BY document_id "
        "HAVING coalesce(max(ended_at), max(started_at)) > min(started_at)"
    ).fetchall()
    minutes = [(end - start) / 60 for _, start, end in spans]
    assert minutes  # the demo's captions carry timestamps
    summary = facts.corpus.duration_summary()
    assert summary is not None
    assert summary["n"] == len(minutes)
    assert summary["median"] == pytest.approx(statistics.median(minutes))
    assert (summary["min"], summary["max"]) == pytest.approx((min(minutes), max(minutes)))


def test_codes_by_kind_and_level_and_where_they_came_from(
    facts: Facts, sql: sqlite3.Connection
) -> None:
    parents = dict(sql.execute("SELECT id, parent_id FROM code"))

    def level(i: int) -> int:
        return 1 if parents[i] is None else 1 + level(parents[i])

    expected = Counter(
        (kind, level(i))
        for i, kind in sql.execute("SELECT id, kind FROM code WHERE status = 'active'")
    )
    table = compose.code_levels(facts).set_index("kind")
    for (kind, depth), n in expected.items():
        assert table.loc[kind, f"level {depth}"] == n
    assert int(table["codes"].sum()) == sum(expected.values())
    loads = [
        json.loads(d)
        for (d,) in sql.execute("SELECT data FROM event WHERE action = 'codebook.load'")
    ]
    assert facts.history.a_priori == sum(d["added"] for d in loads) == 61
    (added,) = sql.execute("SELECT count(*) FROM event WHERE action = 'code.add'").fetchone()
    assert facts.history.counts["added"] == added


def test_who_double_coded_what(facts: Facts, sql: sqlite3.Connection) -> None:
    per_coder: dict[str, set[str]] = defaultdict(set)
    for coder, document in sql.execute(
        "SELECT c.name, d.name FROM coding g JOIN coder c ON c.id = g.coder_id "
        f"JOIN document d ON d.id = g.document_id WHERE c.role != 'consensus' AND {COUNTED}"
    ):
        per_coder[coder].add(document)
    assert facts.double is not None
    assert set(facts.double.coders) == {"maya", "tomas"}
    both = per_coder["maya"] & per_coder["tomas"]
    assert set(facts.double.report.documents) == both
    words = {
        name: len(text.split()) for name, text in sql.execute("SELECT name, text FROM document")
    }
    share = 100 * sum(words[d] for d in both) / sum(words.values())
    text = compose.double_text(facts)
    assert f"coded {len(both)} transcripts" in text
    assert f"{100 * len(both) / 22:.0f}% of the transcripts, {share:.0f}% of the words" in text


def test_kappa_per_code_and_pooled(facts: Facts, sql: sqlite3.Connection) -> None:
    """Cohen's kappa per code by scikit-learn on sentence units marked by any overlap, and the
    pooled kappa of de Vries et al. (2008) written out: mean p_o and mean p_e over codes."""
    assert facts.double is not None
    names = paths(sql)
    documents = facts.double.report.documents
    marks: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    # Sentences are stored packed per document: (start, end) pairs of little-endian 32-bit
    # integers, in base64 (coder/storage/bounds.py); a unit is (document, its number there).
    sentences = []
    for document, packed in sql.execute(
        "SELECT b.document_id, b.sentences FROM unit_bounds b JOIN document d "
        f"ON d.id = b.document_id WHERE d.name IN ({','.join('?' * len(documents))})",
        documents,
    ):
        flat = struct.unpack(f"<{len(base64.b64decode(packed)) // 4}i", base64.b64decode(packed))
        for number in range(len(flat) // 2):
            sentences.append(((document, number), document, flat[2 * number], flat[2 * number + 1]))
    by_document = defaultdict(list)
    for unit, document, start, end in sentences:
        by_document[document].append((unit, start, end))
    for coder, code, document, start, end in sql.execute(
        'SELECT c.name, g.code_id, g.document_id, g.start, g."end" FROM coding g '
        f"JOIN coder c ON c.id = g.coder_id WHERE c.name IN ('maya', 'tomas') AND {COUNTED}"
    ):
        for unit, s, e in by_document.get(document, []):
            if start < e and end > s:
                marks[(coder, names[code])].add(unit)
    units = [u for u, _, _, _ in sentences]
    per_code = facts.double.report.per_code.set_index("code")
    p_o, p_e = [], []
    for code in per_code.index:
        a = [int(u in marks[("maya", code)]) for u in units]
        b = [int(u in marks[("tomas", code)]) for u in units]
        n = len(units)
        observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
        pa, pb = sum(a) / n, sum(b) / n
        chance = pa * pb + (1 - pa) * (1 - pb)
        p_o.append(observed)
        p_e.append(chance)
        assert per_code.loc[code, "n_units"] == n
        assert per_code.loc[code, "coded_by_all"] == sum(x & y for x, y in zip(a, b, strict=True))
        if len(set(a) | set(b)) > 1:
            assert per_code.loc[code, "cohen_kappa"] == pytest.approx(cohen_kappa_score(a, b))
    mean_o, mean_e = sum(p_o) / len(p_o), sum(p_e) / len(p_e)
    pooled = (mean_o - mean_e) / (1 - mean_e)
    assert facts.double.report.pooled.iloc[0]["cohen_kappa"] == pytest.approx(pooled)
    assert f"pooled Cohen's kappa {pooled:.2f}" in compose.double_text(facts)
    bounds = facts.double.intervals.set_index("code").loc["(pooled)"]
    assert bounds["low"] <= pooled <= bounds["high"]


def test_reconciliation_decisions(facts: Facts, sql: sqlite3.Connection) -> None:
    rows = sql.execute("SELECT choice, rationale, decided_by, coders FROM decision").fetchall()
    decided = [r for r in rows if r[0] != "agree"]
    agreed = len(rows) - len(decided)
    events = [
        json.loads(d)
        for (d,) in sql.execute("SELECT data FROM event WHERE action = 'reconcile.accept'")
    ]
    assert agreed == sum(e["accepted"] for e in events)
    text = compose.reconcile_text(facts)
    assert f"{agreed} agreed passages were accepted" in text
    assert f"{len(decided)} disagreements were decided" in text
    written = sum(1 for r in decided if r[1].strip())
    assert f"a written rationale for {written} of {len(decided)}" in text
    table = compose.decision_table(facts).set_index("choice")
    choices = Counter(r[0] for r in decided)
    first, second = json.loads(decided[0][3])
    assert table.loc[f"{first}'s version", "decisions"] == choices["a"]
    assert table.loc[f"{second}'s version", "decisions"] == choices["b"]
    assert table["decisions"].sum() == len(decided)


def test_theme_rule_counts_the_groups_in_the_table(facts: Facts) -> None:
    assert facts.themes is not None
    matrix = facts.themes.matrix
    sites = [c for c in matrix.columns if c != "groups"]
    for _, row in matrix.iterrows():
        assert row["groups"] == sum(1 for s in sites if row[s] > 0)
    kept = sum(1 for g in matrix["groups"] if g >= 2)
    assert f"{kept} were evidenced in at least 2 sites" in compose.themes_text(facts)


def test_saturation_in_date_order(facts: Facts, sql: sqlite3.Connection) -> None:
    """New codes per interview with the default rule: the consensus coder's codings in a
    document that has any, every coder's elsewhere."""
    assert facts.saturation is not None
    date = attribute(sql, "date")
    names = dict(sql.execute("SELECT id, name FROM document"))
    codings = sql.execute(
        "SELECT g.document_id, g.code_id, c.role FROM coding g JOIN coder c ON c.id = g.coder_id "
        f"WHERE {COUNTED}"
    ).fetchall()
    has_consensus = {d for d, _, role in codings if role == "consensus"}
    found = defaultdict(set)
    for document, code, role in codings:
        if (role == "consensus") == (document in has_consensus):
            found[document].add(code)
    order = sorted(names, key=lambda d: (date[d], names[d]))
    seen: set[int] = set()
    new = []
    for document in order:
        new.append(len(found[document] - seen))
        seen |= found[document]
    assert list(facts.saturation.items.documents) == [names[d] for d in order]
    assert list(facts.saturation.assessment.new) == new
    base = sum(new[:4])
    reached = next(
        (s for s in range(4, len(new) - 1) if (new[s] + new[s + 1]) / base <= 0.05), None
    )
    assert facts.saturation.assessment.reached_at == reached


def test_coreq_items(facts: Facts, sql: sqlite3.Connection) -> None:
    coders = {
        name
        for (name,) in sql.execute(
            "SELECT DISTINCT c.name FROM coding g JOIN coder c ON c.id = g.coder_id "
            "WHERE c.role != 'consensus'"
        )
    }
    table = compose.coreq_table(facts).set_index("COREQ item")["answer"]
    assert len(table) == 9  # items 24 to 32
    assert table["24. Number of data coders"].startswith(f"{len(coders)} (")
    assert table["28. Participant checking"] == "not recorded"
    assert table["30. Data and findings consistent"] == "not recorded"
    assert "coder" in table["27. Software"]
