"""`project.matrices`: theme x group matrices, code co-occurrence, exemplar quotes, notes.

    m = project.matrices.matrix("site", measure="participants", level="themes", min_groups=2)
    m.frame.to_csv("themes-by-site.csv")
    project.matrices.report("site", fmt="md").content

See docs/matrices.md for what every measure counts. While the project is blind, a coder reads
only their own codings here too (coder/access.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import pandas as pd

from coder.access import Access
from coder.attributes.resolve import Attribute, Values
from coder.attributes.where import Selection, Where, select
from coder.codebook.tree import CodeTree
from coder.coding.citation import DEFAULT_TEMPLATE, Citer
from coder.errors import UsageError
from coder.matrix import cooccurrences, gather, measures
from coder.matrix import describe as describing
from coder.matrix import exemplars as choosing
from coder.matrix.cooccurrences import COOCCURRENCE_MEASURES, Cooccurrence
from coder.matrix.exemplars import Exemplars
from coder.matrix.measures import MEASURES, Measure
from coder.matrix.report import Report, ReportFormat, render_report
from coder.matrix.result import Matrix
from coder.matrix.rows import Rows, select_rows
from coder.storage import Store, Transaction

CooccurrenceUnit = Literal["passage", "overlap", "sentence", "turn", "paragraph"]
COOCCURRENCE_UNITS: tuple[CooccurrenceUnit, ...] = (
    "overlap",
    "passage",
    "sentence",
    "turn",
    "paragraph",
)


def _check(value: str, allowed: Sequence[str], what: str) -> None:
    if value not in allowed:
        raise UsageError(f"{what} {value!r} is not one of {', '.join(allowed)}")


def _meeting(unit: CooccurrenceUnit) -> cooccurrences.Meeting:
    if unit in ("passage", "overlap"):
        return "passage" if unit == "passage" else "overlap"
    return "units"


def _where_text(where: Where | None, where_code: Sequence[str]) -> str | None:
    """The filters as a table's caption says them: "site=A or B; role=patient; Level/Tactical"."""
    parts = [f"{name}={' or '.join(map(str, values))}" for name, values in (where or {}).items()]
    parts += list(where_code)
    return "; ".join(parts) or None


def default_level(tree: CodeTree) -> str:
    """themes when the codebook says which codes are themes, else codes."""
    kinds = {code.kind for code in tree.codes}
    return "themes" if kinds & {"theme", "organizing-theme"} else "codes"


def _in_layers(
    tx: Transaction, corpus: measures.Corpus, tree: CodeTree, where_code: Sequence[str]
) -> measures.Corpus:
    for path in where_code:
        code = tree.find(path)
        corpus = measures.within(corpus, [code.id, *(c.id for c in tree.descendants(code))])
    return corpus


class Matrices:
    """Aggregate codings into tables: codes by groups of documents or participants.

    Every table takes `where` (attribute filters: {"site": ["A", "B"], "role": ["patient"]},
    see coder/attributes/where.py) and `where_code` (code paths: only the codings that share
    text with a coding of each, e.g. one level of a three-way table; `layers` lists a
    dimension's codes)."""

    def __init__(self, store: Store, access: Access | None = None) -> None:
        self._store = store
        self._access = access or Access()

    def _read(
        self,
        tx: Transaction,
        coder: str | None,
        unit: str,
        where: Where | None,
        where_code: Sequence[str],
        *,
        with_units: bool = True,
        needs: Callable[[Selection, pd.DataFrame], tuple[bool, bool]] | None = None,
    ) -> tuple[str | None, measures.Corpus, Selection, CodeTree]:
        """The reader's coder view, its corpus narrowed by `where` and `where_code`. `needs`
        says, for the selection and who speaks where, whether the turns and every coding's
        span must be read (both by default)."""
        coder = self._access.coder(tx, coder)
        speakers = gather.who_speaks(tx)
        selection = select(tx, where, speakers)
        with_turns, spans = (True, True) if needs is None else needs(selection, speakers)
        corpus = gather.corpus(
            tx,
            coder,
            unit,
            with_units=with_units,
            with_turns=with_turns,
            spans=spans or bool(where_code),
            speakers=speakers,
        )
        tree = gather.tree(tx)
        corpus = _in_layers(tx, gather.narrow(corpus, selection), tree, where_code)
        return coder, corpus, selection, tree

    def layers(self, dimension: str) -> list[str]:
        """The codes of a dimension (the children of a code path, e.g. "Level"), as
        `where_code` takes them: the layers of a three-way table, one per code."""
        with self._store.read() as tx:
            return select_rows(gather.tree(tx), dimension).labels

    def matrix(
        self,
        by: str,
        *,
        split: str | None = None,
        measure: Measure = "segments",
        level: str | None = None,
        codes: Sequence[str] = (),
        coder: str | None = None,
        unit: str = "sentence",
        min_groups: int = 0,
        totals: bool = False,
        where: Where | None = None,
        where_code: Sequence[str] = (),
    ) -> Matrix:
        """Codes (rows) by the values of attribute `by` (columns), optionally split by a second
        attribute into two-level columns, with a last column saying in how many groups each
        row is evidenced. `by` and `split` may say their scope: document:site,
        participant:role. `coder` None takes the consensus where there is one, and every
        coder's codings elsewhere. `level` None: themes when the codebook has theme kinds,
        else codes."""
        _check(measure, MEASURES, "measure")
        _check(unit, gather.UNIT_KINDS, "unit")
        if min_groups < 0:
            raise UsageError("--min-groups counts groups: 0 or more")

        named: tuple[Attribute, ...] = ()

        def needs(selection: Selection, speakers: pd.DataFrame) -> tuple[bool, bool]:
            nonlocal named
            named = gather.attributes(tx, by, split, speakers, read)
            scope = gather.scope(named, participants=selection.participants is not None)
            by_document = scope == "document"
            with_turns = measure in ("participants", "share") or not by_document
            return with_turns, not (by_document and measure in ("documents", "presence"))

        with self._store.read() as tx:
            read = Values(tx)  # resolving `by` reads the values that grouping needs
            coder, corpus, selection, tree = self._read(
                tx, coder, unit, where, where_code, with_units=measure == "sentences", needs=needs
            )
            groups, left_out = gather.groups(
                tx, corpus, named, participants=selection.participants is not None, read=read
            )
            level = level or default_level(tree)
            rows = select_rows(tree, level, codes)
            sizes = gather.group_sizes(corpus, groups)
        frame = measures.matrix(corpus, rows, groups, measure, min_groups=min_groups, totals=totals)
        return Matrix(
            frame,
            kind="matrix",
            measure=measure,
            by=groups.names[0],
            split=groups.names[1] if len(groups.names) == 2 else None,
            scope=groups.scope,
            totals=totals,
            level=level,
            coder=coder,
            unit=unit if measure == "sentences" else None,
            min_groups=min_groups,
            left_out=left_out,
            where=_where_text(where, where_code),
            sizes=sizes,
        )

    def cooccurrence(
        self,
        *,
        rows: str = "codes",
        columns: str | None = None,
        codes: Sequence[str] = (),
        unit: CooccurrenceUnit = "overlap",
        measure: Cooccurrence = "segments",
        coder: str | None = None,
        where: Where | None = None,
        where_code: Sequence[str] = (),
    ) -> Matrix:
        """Code x code: the rows' codes (a level, as for `matrix`) against the columns' (the
        same as the rows when None). `unit` passage counts passages (one coded span, however
        many codes it carries: a quotation, an activity) carrying codes of both; overlap
        counts stretches whose coded text overlaps; sentence, turn or paragraph counts units
        both codes touch."""
        _check(measure, COOCCURRENCE_MEASURES, "measure")
        row_codes, column_codes, corpus, coder = self._code_pairs(
            rows, columns, codes, unit, coder, where, where_code
        )
        frame = cooccurrences.cooccurrence(
            corpus, row_codes, column_codes, how=_meeting(unit), measure=measure
        )
        return Matrix(
            frame,
            kind="cooccurrence",
            measure=measure,
            unit=unit,
            coder=coder,
            level=rows if columns in (None, rows) else f"{rows} x {columns}",
            where=_where_text(where, where_code),
        )

    def passages(
        self,
        *,
        rows: str = "codes",
        columns: str | None = None,
        codes: Sequence[str] = (),
        unit: CooccurrenceUnit = "overlap",
        coder: str | None = None,
        where: Where | None = None,
        where_code: Sequence[str] = (),
    ) -> pd.DataFrame:
        """What each cell of `cooccurrence` counts, one line per passage, shared stretch or
        unit: row, column (code paths), document, start, end, text, codes (the codes of the
        view's codings on that text, as paths joined with "; "). Lind's figure lists the
        activities in each cell this way."""
        row_codes, column_codes, corpus, _ = self._code_pairs(
            rows, columns, codes, unit, coder, where, where_code
        )
        found = cooccurrences.meetings(corpus, row_codes, column_codes, _meeting(unit))
        with self._store.read() as tx:
            tree = gather.tree(tx)
            return gather.describe_passages(
                tx, found, corpus, row_codes.labels, column_codes.labels, tree
            )

    def _code_pairs(
        self,
        rows: str,
        columns: str | None,
        codes: Sequence[str],
        unit: CooccurrenceUnit,
        coder: str | None,
        where: Where | None,
        where_code: Sequence[str],
    ) -> tuple[Rows, Rows, measures.Corpus, str | None]:
        _check(unit, COOCCURRENCE_UNITS, "unit")
        units = unit if unit in gather.UNIT_KINDS else "sentence"
        with self._store.read() as tx:
            coder, corpus, _, tree = self._read(tx, coder, units, where, where_code)
            row_codes = select_rows(tree, rows, codes)
            column_codes = select_rows(tree, columns, codes) if columns else row_codes
        return row_codes, column_codes, corpus, coder

    def exemplars(
        self,
        by: str,
        *,
        split: str | None = None,
        level: str = "themes",
        codes: Sequence[str] = (),
        coder: str | None = None,
        per_cell: int = 2,
        min_words: int = 5,
        template: str = DEFAULT_TEMPLATE,
        where: Where | None = None,
    ) -> Exemplars:
        """Up to `per_cell` quotes for every row and group, chosen by the rule in
        coder/matrix/exemplars.py (complete sentences, not too short, shortest first, one per
        participant), each cited with `template` over the document's and participant's
        attributes ("{role:title}" capitalises)."""
        if per_cell < 1:
            raise UsageError("--per-cell takes 1 or more quotes")
        with self._store.read() as tx:
            coder, corpus, selection, tree = self._read(tx, coder, "sentence", where, ())
            groups, _ = gather.groups(
                tx, corpus, by, split, participants=selection.participants is not None
            )
            rows = select_rows(tree, level, codes)
            paths = {code.id: tree.path(code) for code in tree.codes}
            row_of: dict[str, list[int]] = {}
            for code, row in zip(rows.members["code"], rows.members["row"], strict=True):
                row_of.setdefault(paths[int(code)], []).append(int(row))
            candidates = gather.quote_candidates(tx, coder, row_of, groups)
        citer = Citer(template)
        candidates = candidates.assign(
            citation=[citer(values) for values in candidates["attributes"]]
        )
        chosen = choosing.choose(
            candidates.drop(columns="attributes"), per_cell=per_cell, min_words=min_words
        )
        return Exemplars(chosen=chosen, rows=rows.labels, labels=groups.labels, names=groups.names)

    def report(
        self,
        by: str,
        *,
        split: str | None = None,
        measures: Sequence[Measure] = ("segments", "participants", "share"),
        level: str = "themes",
        codes: Sequence[str] = (),
        coder: str | None = None,
        min_groups: int = 0,
        totals: bool = False,
        per_cell: int = 1,
        template: str = DEFAULT_TEMPLATE,
        fmt: ReportFormat = "xlsx",
        where: Where | None = None,
    ) -> Report:
        """A report of themes by group: a matrix per measure, `per_cell` exemplar quotes per
        theme and group (0: none), and the memos written on each group, as one Excel
        workbook (xlsx), Markdown (md) or HTML document (`Report.content`)."""
        if not measures:
            raise UsageError("a report needs at least one measure")
        if per_cell < 0:
            raise UsageError("--quotes takes 0 or more quotes per cell")
        matrices = [
            self.matrix(
                by,
                split=split,
                measure=measure,
                level=level,
                codes=codes,
                coder=coder,
                min_groups=min_groups,
                totals=totals,
                where=where,
            )
            for measure in measures
        ]
        quotes = (
            self.exemplars(
                by,
                split=split,
                level=level,
                codes=codes,
                coder=coder,
                per_cell=per_cell,
                template=template,
                where=where,
            )
            if per_cell
            else None
        )
        notes = self.notes(by)
        with self._store.read() as tx:
            title = str(tx.setting("title", ""))
        named = list(zip(measures, matrices, strict=True))
        content = render_report(title, named, quotes, notes, fmt)
        return Report(content=content, matrices=matrices, quotes=quotes, notes=notes)

    def describe(
        self, by: str | None = None, *, split: str | None = None, where: Where | None = None
    ) -> pd.DataFrame:
        """Documents, participants, words and minutes of interview by group (the studies'
        Table 1 and Table 2), with a Total row; `by` None: the whole corpus. Groups as for
        `matrix`: participant attributes make participant groups, whose words and minutes
        are those of their own turns."""
        with self._store.read() as tx:
            corpus = gather.corpus(tx, None)
            selection = select(tx, where, corpus.speakers)
            corpus = gather.narrow(corpus, selection)
            participants = selection.participants is not None
            if by is None:
                groups = gather.everything(corpus, participants=participants)
            else:
                groups, _ = gather.groups(tx, corpus, by, split, participants=participants)
            documents = describing.per_document(tx)
            speakers = describing.per_speaker(tx) if groups.scope == "participant" else None
        return describing.describe(corpus, groups, documents, speakers)

    def notes(self, attribute: str) -> pd.DataFrame:
        """Memos on the values of an attribute ("what characterised site C"): value, title,
        body, author, created."""
        with self._store.read() as tx:
            return gather.notes(tx, attribute)

    def attributes(self) -> list[str]:
        """Attribute names that matrices can group by."""
        with self._store.read() as tx:
            return gather.attribute_names(tx)
