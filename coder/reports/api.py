"""`project.reports`: the methods section and its appendix, and the audit trail.

    report = project.reports.methods(by="site", split="role")
    project.reports.write(report, "methods.docx")

Every number is read through the facade whose command shows it (`coder info`, `coder
documents`, `coder agree`, `coder reconcile`, `coder matrix`, `coder exemplars`, `coder
saturation`, `coder log`); see docs/reports.md.
"""

from __future__ import annotations

from pathlib import Path

from coder.access import Access
from coder.agreement.api import Agreement
from coder.codebook.api import Codebook
from coder.errors import UsageError
from coder.matrix.api import Matrices
from coder.reconcile.api import Reconciliation
from coder.reports import audit as audits
from coder.reports import compose, document
from coder.reports import corpus as corpora
from coder.reports import history as histories
from coder.reports import methods as facts_of
from coder.reports.document import Report
from coder.saturation.api import Saturation
from coder.storage import Store
from coder.version import __version__

__all__ = ["Report", "Reports"]

CITATION = "(Site {site} {role:title})"


class Reports:
    def __init__(self, store: Store, access: Access | None = None) -> None:
        self._store = store
        self._access = access or Access()

    def facts(
        self,
        *,
        by: str | None = None,
        split: str | None = None,
        unit: str = "sentence",
        min_groups: int = 2,
        order: str | None = None,
        draws: int = 1000,
        orders: int = 1000,
    ) -> facts_of.Facts:
        """What the methods report says, as data (see `methods` for the arguments)."""
        store, access = self._store, self._access
        with store.read() as tx:
            # The report tells every coder's work: while blind, a lead's to read.
            access.everything(tx, "the methods report")
            attributes = set(tx.attributes_frame("document").columns)
            by = _known(by, attributes, "--by", "site")
            split = _known(split, attributes, "--split", "role")
            corpus = corpora.read(tx, by, split)
            events = list(reversed(tx.events(None)))
            codings = tx.codings_frame()
            names = {d.id: d.name for d in corpus.documents}
            roles = {c.name: str(c.role) for c in tx.coders()}
            title = str(tx.setting("title", ""))
        coded_by = facts_of.coders_of(codings, names)
        double = facts_of.double_coding(Agreement(store, access), coded_by, roles, unit, draws)
        consensus = tuple(
            d for c, docs in coded_by.items() if roles.get(c) == "consensus" for d in docs
        )
        reconciling = facts_of.reconciling(
            Reconciliation(store, access), double, events, names, consensus
        )
        themes = None
        if by is not None and len(corpus.documents):
            template = CITATION if {"site", "role"} <= attributes else "({" + by + "})"
            themes = facts_of.themes(Matrices(store, access), by, split, min_groups, template)
        saturation = None
        if len(corpus.documents) >= 6:
            chosen = order or ("date" if "date" in attributes else "imported")
            saturation = Saturation(store, access).assess(order=chosen, orders=orders)
        return facts_of.Facts(
            title=title,
            corpus=corpus,
            tree=Codebook(store).tree(),
            history=histories.read(events),
            double=double,
            reconciling=reconciling,
            themes=themes,
            saturation=saturation,
            events=tuple(events),
            coded_by=coded_by,
            roles=roles,
            version=__version__,
        )

    def methods(
        self,
        *,
        by: str | None = None,
        split: str | None = None,
        unit: str = "sentence",
        min_groups: int = 2,
        order: str | None = None,
        draws: int = 1000,
        orders: int = 1000,
    ) -> Report:
        """The methods section and appendix: corpus by `by` x `split` (document attributes),
        the codebook and its history, double coding with agreement by `unit` (bootstrap
        intervals from `draws` resamples), reconciliation, themes evidenced in at least
        `min_groups` groups with exemplar quotes, saturation in `order` (date when the
        documents have one) and over `orders` random orders, and COREQ items 24-32."""
        return compose.compose(
            self.facts(
                by=by,
                split=split,
                unit=unit,
                min_groups=min_groups,
                order=order,
                draws=draws,
                orders=orders,
            )
        )

    def audit(self) -> Report:
        """The audit trail: imports with their hashes, codebook changes with dates and the
        memos on the codes, reconciliation decisions with their rationales."""
        with self._store.read() as tx:
            trail = audits.read(tx)
        return audits.compose(trail)

    def write(self, report: Report, path: str | Path) -> list[Path]:
        """Write `report` as .md, .html, .tex or .docx (by the extension); returns the files."""
        return document.write(report, Path(path))


def _known(name: str | None, attributes: set[str], option: str, usual: str) -> str | None:
    """The attribute named, or when none is named the usual one if the documents have it."""
    if name is None:
        return usual if usual in attributes else None
    if name in ("", "none"):
        return None
    if name not in attributes:
        shown = ", ".join(sorted(attributes)) or "none"
        raise UsageError(f"{option} {name!r} is not a document attribute (attributes: {shown})")
    return name
