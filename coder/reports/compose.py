"""The methods report written out: prose paragraphs in the reference studies' style, then the
tables and the figure they cite, the codebook's dated history, and the COREQ items."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from coder.reports import coreq
from coder.reports.document import Bullets, Figure, Heading, Paragraph, Report, Table
from coder.reports.methods import Facts, agreement_table

CHOICES = {
    "a": "the first coder's version",
    "b": "the second coder's version",
    "both": "both versions",
    "neither": "neither",
    "agree": "agreed",
}
QUOTES_PER_THEME = 2


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (plural or word + 's')}"


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _day(moment: object) -> str:
    return f"{moment:%Y-%m-%d}" if moment is not None else "an unrecorded date"


def compose(facts: Facts) -> Report:
    report = Report(title=f"Methods: {facts.title}")
    report.add(Heading("Data analysis"))
    report.add(*[Paragraph(p) for p in paragraphs(facts)])
    report.add(Heading("Tables and figure"))
    report.add(*tables(facts))
    report.add(Heading("COREQ: data analysis and reporting (items 24-32)"))
    report.add(Table(coreq_table(facts), "Answers from the project; the rest is for the authors."))
    report.add(Heading("Appendix: how the codebook changed"))
    report.add(*history(facts))
    if facts.themes is not None and facts.themes.exemplars is not None:
        report.add(Heading("Appendix: exemplar quotes"))
        report.add(*quotes(facts))
    return report


# -- prose ---------------------------------------------------------------------------------


def paragraphs(facts: Facts) -> list[str]:
    out = [corpus_text(facts), codebook_text(facts)]
    if facts.double is not None:
        out.append(double_text(facts))
    if facts.reconciling is not None:
        out.append(reconcile_text(facts))
    if facts.themes is not None:
        out.append(themes_text(facts))
    if facts.saturation is not None:
        out.append(saturation_text(facts))
    return out


def corpus_text(facts: Facts) -> str:
    c = facts.corpus
    n = len(c.documents)
    counts = sorted(c.words.values())
    text = f"The analysis covered {_n(n, 'transcript')}"
    if c.by is not None:
        groups = sorted({str(d.attributes.get(c.by, "")) for d in c.documents} - {""})
        text += f" from {_n(len(groups), c.by)} ({', '.join(groups)}"
        if c.split is not None:
            kinds = Counter(str(d.attributes.get(c.split, "")) or "unknown" for d in c.documents)
            text += f"; by {c.split}: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        text += ")"
    text += f", with {_n(c.participants, 'participant')} and {c.total_words:,} words in all"
    if counts:
        median = pd.Series(counts).median()
        text += f" (median {median:,.0f} per transcript, range {counts[0]:,}-{counts[-1]:,})"
    text += ". "
    durations = c.duration_summary()
    if durations is None:
        text += "No transcript carries timestamps, so interview durations were not recorded."
    else:
        text += (
            f"Where the transcripts carry timestamps ({_n(int(durations['n']), 'transcript')}), "
            f"interviews lasted a median of {durations['median']:.0f} minutes "
            f"(range {durations['min']:.0f}-{durations['max']:.0f})."
        )
    return text


def codebook_text(facts: Facts) -> str:
    h, tree = facts.history, facts.tree
    active = [code for code, _ in tree.walk() if code.status == "active"]
    kinds = Counter(code.kind for code in active)
    text = (
        f"Coding used a codebook of {_n(len(active), 'active code')} "
        f"({_n(kinds.get('organizing-theme', 0), 'organizing theme')}, "
        f"{_n(kinds.get('theme', 0), 'theme')} and {_n(kinds.get('code', 0), 'code')} under them). "
    )
    if h.loads:
        first = h.loads[0]
        text += (
            f"{_n(h.a_priori, 'code')} came from an a-priori codebook "
            f"({first.data.get('title', 'untitled')!r}, loaded on {_day(first.at)}); "
        )
    else:
        text += "No codebook was loaded a priori; "
    added = h.counts["added"]
    text += f"{_n(added, 'code')} {'was' if added == 1 else 'were'} added during coding. "
    changed = [f"{count} {what}" for what, count in h.counts.items() if what != "added" and count]
    text += (
        f"Over the analysis codes were {', '.join(changed)} (dated list in the appendix)."
        if changed
        else "The codes were not renamed, merged, split or retired during the analysis."
    )
    return text


def double_text(facts: Facts) -> str:
    d = facts.double
    assert d is not None
    c = facts.corpus
    docs = d.report.documents
    shared_words = sum(c.words.get(name, 0) for name in docs)
    pooled = d.report.pooled.iloc[0]
    bounds = d.intervals.set_index("code").loc["(pooled)"]
    a, b = d.coders
    text = (
        f"{a} and {b} coded {_n(len(docs), 'transcript')} independently "
        f"({_pct(len(docs), len(c.documents))} of the transcripts, "
        f"{_pct(shared_words, c.total_words)} of the words: {', '.join(docs)}). "
    )
    blind = [
        e
        for e in facts.events
        if e.action == "setting.set"
        and e.data.get("key") == "phase"
        and e.data.get("after") == "blind"
    ]
    if blind:
        text += (
            f"The project was put in the blind phase on {_day(blind[0].at)}, in which each coder "
            "sees only their own codings. "
        )
    text += (
        f"Agreement was computed per code with the {d.report.unit} as the unit "
        f"({int(pooled['n_units']):,} unit-code pairs over {_n(len(d.report.per_code), 'code')}): "
        f"pooled Cohen's kappa {pooled['cohen_kappa']:.2f} "
        f"(95% bootstrap interval {bounds['low']:.2f} to {bounds['high']:.2f}), "
        f"Krippendorff's alpha {pooled['krippendorff_alpha']:.2f}, "
        f"percent agreement {100 * pooled['percent_agreement']:.1f}% "
        f"({100 * pooled['percent_agreement_marked']:.1f}% over units at least one coder marked). "
        "Per-code values and the counts behind them are in Table 3."
    )
    return text


def choice_names(decisions: pd.DataFrame) -> pd.Series:
    """Each decision's choice in words: "maya's version", both, neither, agreed."""
    words = []
    for choice, coders in zip(decisions["choice"], decisions["coders"], strict=True):
        names = list(coders) if isinstance(coders, list | tuple) else []
        if choice in ("a", "b") and len(names) == 2:
            words.append(f"{names[0 if choice == 'a' else 1]}'s version")
        else:
            words.append(CHOICES.get(str(choice), str(choice)))
    return pd.Series(words, index=decisions.index, dtype=object)


def disagreements(decisions: pd.DataFrame) -> pd.DataFrame:
    """Decisions on disagreements; accepting an agreed passage is recorded as choice 'agree'."""
    return decisions[decisions["choice"] != "agree"]


def reconcile_text(facts: Facts) -> str:
    r = facts.reconciling
    assert r is not None
    decided = disagreements(r.decisions)
    choices = Counter(choice_names(decided))
    written = int((decided["rationale"].fillna("").str.strip() != "").sum())
    deciders = sorted({str(x) for x in decided["decided_by"].dropna()})
    agreed = int((r.decisions["choice"] == "agree").sum())
    text = (
        f"Disagreements (a {facts.double.report.unit if facts.double else 'passage'} one coder "
        f"coded and the other did not) were reconciled into a consensus layer in "
        f"{_n(len(r.consensus_documents), 'transcript')}: {_n(agreed, 'agreed passage')} "
        f"{'was' if agreed == 1 else 'were'} accepted as they stood, and "
        f"{_n(len(decided), 'disagreement')} {'was' if len(decided) == 1 else 'were'} decided"
    )
    if len(decided):
        parts = ", ".join(f"{k} {v}" for k, v in sorted(choices.items()))
        text += (
            f" ({parts}), with a written rationale for {written} of {len(decided)}, "
            f"by {', '.join(deciders) or 'an unrecorded person'}"
        )
    text += f"; {_n(r.pending, 'disagreement')} remained to decide in those transcripts."
    return text


def themes_text(facts: Facts) -> str:
    t = facts.themes
    assert t is not None
    evidence = t.matrix["groups"] if "groups" in t.matrix.columns else pd.Series(dtype=int)
    kept = int((evidence >= t.min_groups).sum())
    return (
        f"Codes were aggregated into {_n(len(t.matrix), 'theme')}; {kept} were evidenced in at "
        f"least {t.min_groups} {t.by}s (counting participants who mentioned them; Table 5), "
        "the rule used to retain themes. Exemplar quotes are cited by "
        f"{t.by}{' and ' + t.split if t.split else ''} in the appendix."
    )


def saturation_text(facts: Facts) -> str:
    s = facts.saturation
    assert s is not None
    a, spread = s.assessment, s.spread
    what = "themes" if s.items.level == "themes" else "codes"
    text = (
        f"Saturation was assessed with the method of Guest, Namey and Chen (2020): a base of "
        f"{a.base_size} interviews, runs of {a.run_length} and a new-information threshold of "
        f"{a.threshold:.0%}, with interviews in {s.items.order} order. "
    )
    text += (
        f"Saturation of {what} was reached at {a.notation} (Figure 1). "
        if a.notation
        else f"Saturation of {what} was not reached in that order (Figure 1). "
    )
    q = spread.quantiles()
    if q is not None:
        text += (
            f"Because the answer depends on order, the rule was also applied to {spread.orders:,} "
            f"random orders (seed {spread.seed}): median {q['median']:g} interviews "
            f"(interquartile range {q['q1']:g}-{q['q3']:g}); not reached in {spread.not_reached}."
        )
    return text


# -- tables --------------------------------------------------------------------------------


def tables(facts: Facts) -> list[Table | Figure]:
    c = facts.corpus
    title = f"Documents by {c.by}" + (f" and {c.split}" if c.split else "") if c.by else "Documents"
    out: list[Table | Figure] = [Table(c.groups(), f"Table 1. {title}")]
    out.append(Table(code_levels(facts), "Table 2. Codes by kind and level of the code tree"))
    if facts.double is not None:
        out.append(
            Table(
                agreement_table(facts.double),
                f"Table 3. Agreement of {' and '.join(facts.double.coders)} per code, by "
                f"{facts.double.report.unit} (counts of units each coder marked and both marked)",
            )
        )
    if facts.reconciling is not None and len(disagreements(facts.reconciling.decisions)):
        out.append(Table(decision_table(facts), "Table 4. Reconciliation decisions by choice"))
    if facts.themes is not None:
        t = facts.themes
        frame = t.matrix.reset_index() if t.matrix.index.name else t.matrix
        frame = _flat(frame)
        out.append(
            Table(
                frame,
                f"Table 5. Participants mentioning each theme by {t.by}; 'groups' counts the "
                f"{t.by}s where it is evidenced (retained at {t.min_groups} or more)",
                digits=0,
            )
        )
    if facts.saturation is not None:
        out.append(
            Figure(
                facts.saturation.figure("png"),
                "Figure 1. New codes per interview (bars) and cumulative codes (line); the "
                "shaded base and the saturation point of Guest, Namey and Chen (2020)",
                "saturation",
            )
        )
    return out


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame.columns = [
        " ".join(str(p) for p in c if str(p)) if isinstance(c, tuple) else str(c)
        for c in frame.columns
    ]
    return frame.reset_index(drop=True)


def code_levels(facts: Facts) -> pd.DataFrame:
    rows = [(code.kind, depth + 1) for code, depth in facts.tree.walk() if code.status == "active"]
    frame = pd.DataFrame(rows, columns=["kind", "level"])
    table = pd.crosstab(frame["kind"], frame["level"]) if len(frame) else pd.DataFrame()
    table.columns = [f"level {c}" for c in table.columns]
    table["codes"] = table.sum(axis=1)
    return table.reset_index()


def decision_table(facts: Facts) -> pd.DataFrame:
    r = facts.reconciling
    assert r is not None
    d = disagreements(r.decisions)
    d = d.assign(choice=choice_names(d), written=d["rationale"].fillna("").str.strip() != "")
    grouped = d.groupby("choice").agg(decisions=("id", "size"), rationales=("written", "sum"))
    return grouped.reset_index()


def coreq_table(facts: Facts) -> pd.DataFrame:
    answers = coreq_answers(facts)
    rows = [(f"{n}. {name}", answers.get(n, coreq.NOT_RECORDED)) for n, name, _ in coreq.ITEMS]
    return pd.DataFrame(rows, columns=["COREQ item", "answer"])


def coreq_answers(facts: Facts) -> dict[int, str]:
    answers: dict[int, str] = {}
    coders = [c for c in facts.coded_by if facts.roles.get(c) != "consensus"]
    if coders:
        answers[24] = f"{len(coders)} ({', '.join(coders)})"
    active = sum(1 for code, _ in facts.tree.walk() if code.status == "active")
    depth = max((d + 1 for _, d in facts.tree.walk()), default=0)
    answers[25] = f"yes: {active} codes over {depth} levels (Table 2; the codebook appendix)"
    h = facts.history
    if h.loads or h.counts["added"]:
        answers[26] = (
            f"both: {h.a_priori} codes in advance (a-priori codebook), "
            f"{h.counts['added']} derived from the data during coding"
        )
    answers[27] = f"coder {facts.version}"
    if facts.themes is not None and facts.themes.exemplars is not None:
        shown = sum(len(b.items) for b in quotes(facts) if isinstance(b, Bullets))
        answers[29] = (
            f"yes: {shown} exemplar quotes (appendix), each identified by "
            f"{facts.themes.by}{' and ' + facts.themes.split if facts.themes.split else ''}"
        )
    if facts.themes is not None:
        t = facts.themes
        kept = int((t.matrix["groups"] >= t.min_groups).sum())
        answers[31] = f"{kept} themes evidenced in at least {t.min_groups} {t.by}s (Table 5)"
        answers[32] = f"{len(t.matrix) - kept} themes evidenced in fewer {t.by}s (Table 5)"
    return answers


# -- appendices ----------------------------------------------------------------------------


def history(facts: Facts) -> list[Paragraph | Bullets]:
    h = facts.history
    items = [
        f"{_day(e.at)} ({e.actor or 'unknown'}): loaded codebook {e.data.get('title')!r}, "
        f"{e.data.get('added', 0)} codes"
        for e in h.loads
    ]
    items += [f"{_day(e.at)} ({e.actor or 'unknown'}): added {e.data.get('path')}" for e in h.added]
    items += [f"{_day(c.event.at)} ({c.event.actor or 'unknown'}): {c.text}" for c in h.changes]
    items.sort()
    if not items:
        return [Paragraph("The log records no codebook changes.")]
    return [Bullets(tuple(items))]


def quotes(facts: Facts) -> list[Heading | Bullets]:
    t = facts.themes
    assert t is not None and t.exemplars is not None
    chosen = t.exemplars.chosen
    out: list[Heading | Bullets] = []
    for row_index, label in enumerate(t.exemplars.rows):
        picked = chosen[(chosen["row"] == row_index) & (chosen["rank"] == 1)]
        picked = picked.sort_values("column").head(QUOTES_PER_THEME)
        if picked.empty:
            continue
        out.append(Heading(label, level=3))
        out.append(
            Bullets(
                tuple(
                    f"“{text.strip()}” {citation}"
                    for text, citation in zip(picked["text"], picked["citation"], strict=True)
                )
            )
        )
    return out
