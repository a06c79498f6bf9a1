"""`project.matrices`: theme x group matrices, code co-occurrence, exemplar quotes, notes.

    m = project.matrices.matrix("site", measure="participants", level="themes", min_groups=2)
    m.frame.to_csv("themes-by-site.csv")
    project.matrices.report("site", fmt="md").content

See docs/matrices.md for what every measure counts. While the project is blind, a coder reads
only their own codings here too (coder/access.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from coder.access import Access
from coder.coding.citation import DEFAULT_TEMPLATE, Citer
from coder.errors import UsageError
from coder.matrix import exemplars as choosing
from coder.matrix import gather, measures
from coder.matrix.exemplars import Exemplars
from coder.matrix.measures import COOCCURRENCE_MEASURES, MEASURES, Cooccurrence, Measure
from coder.matrix.report import Report, ReportFormat, render_report
from coder.matrix.result import Matrix
from coder.matrix.rows import select_rows
from coder.storage import Store

COOCCURRENCE_UNITS = ("overlap", "sentence", "turn", "paragraph")


def _check(value: str, allowed: Sequence[str], what: str) -> None:
    if value not in allowed:
        raise UsageError(f"{what} {value!r} is not one of {', '.join(allowed)}")


class Matrices:
    """Aggregate codings into tables: codes by groups of documents or participants."""

    def __init__(self, store: Store, access: Access | None = None) -> None:
        self._store = store
        self._access = access or Access()

    def matrix(
        self,
        by: str,
        *,
        split: str | None = None,
        measure: Measure = "segments",
        level: str = "codes",
        codes: Sequence[str] = (),
        coder: str | None = None,
        unit: str = "sentence",
        min_groups: int = 0,
        totals: bool = False,
    ) -> Matrix:
        """Codes (rows) by the values of attribute `by` (columns), optionally split by a second
        attribute into two-level columns, with a last column saying in how many groups each
        row is evidenced. `by` and `split` may say their scope: document:site,
        participant:role. `coder` None takes the consensus where there is one, and every
        coder's codings elsewhere."""
        _check(measure, MEASURES, "measure")
        _check(unit, gather.UNIT_KINDS, "unit")
        if min_groups < 0:
            raise UsageError("--min-groups counts groups: 0 or more")
        with self._store.read() as tx:
            coder = self._access.coder(tx, coder)
            corpus = gather.corpus(tx, coder, unit)
            groups, left_out = gather.groups(tx, corpus, by, split)
            rows = select_rows(gather.tree(tx), level, codes)
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
        )

    def cooccurrence(
        self,
        *,
        rows: str = "codes",
        columns: str | None = None,
        codes: Sequence[str] = (),
        unit: str = "overlap",
        measure: Cooccurrence = "segments",
        coder: str | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> Matrix:
        """Code x code: the rows' codes (a level, as for `matrix`) against the columns' (the
        same as the rows when None). `unit` overlap counts passages whose coded text overlaps;
        sentence, turn or paragraph counts units both codes touch. `where` keeps only the
        codings in groups with the given attribute values, e.g. {"site": ["A", "B"]}."""
        _check(unit, COOCCURRENCE_UNITS, "unit")
        _check(measure, COOCCURRENCE_MEASURES, "measure")
        with self._store.read() as tx:
            coder = self._access.coder(tx, coder)
            corpus = gather.corpus(tx, coder, "sentence" if unit == "overlap" else unit)
            for attribute, values in (where or {}).items():
                groups, _ = gather.groups(tx, corpus, attribute)
                wanted = [str(v) for v in values]
                missing = [v for v in wanted if v not in groups.labels]
                if missing:
                    shown = ", ".join(str(label) for label in groups.labels)
                    raise UsageError(
                        f"{attribute} has no value {', '.join(map(repr, missing))} "
                        f"(values: {shown})"
                    )
                corpus = measures.restrict(corpus, groups.keep(wanted))
            tree = gather.tree(tx)
            row_codes = select_rows(tree, rows, codes)
            column_codes = select_rows(tree, columns, codes) if columns else row_codes
        frame = measures.cooccurrence(
            corpus, row_codes, column_codes, by_units=unit != "overlap", measure=measure
        )
        return Matrix(
            frame,
            kind="cooccurrence",
            measure=measure,
            unit=unit,
            coder=coder,
            level=rows if columns in (None, rows) else f"{rows} x {columns}",
        )

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
    ) -> Exemplars:
        """Up to `per_cell` quotes for every row and group, chosen by the rule in
        coder/matrix/exemplars.py (complete sentences, not too short, shortest first, one per
        participant), each cited with `template` over the document's and participant's
        attributes ("{role:title}" capitalises)."""
        if per_cell < 1:
            raise UsageError("--per-cell takes 1 or more quotes")
        with self._store.read() as tx:
            coder = self._access.coder(tx, coder)
            corpus = gather.corpus(tx, coder)
            groups, _ = gather.groups(tx, corpus, by, split)
            tree = gather.tree(tx)
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

    def notes(self, attribute: str) -> pd.DataFrame:
        """Memos on the values of an attribute ("what characterised site C"): value, title,
        body, author, created."""
        with self._store.read() as tx:
            return gather.notes(tx, attribute)

    def attributes(self) -> list[str]:
        """Attribute names that matrices can group by."""
        with self._store.read() as tx:
            return gather.attribute_names(tx)
