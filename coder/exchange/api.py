"""`project.exchange`: REFI-QDA project exchange (.qdpx) with ATLAS.ti, NVivo, MAXQDA, QualCoder.

    project.exchange.export_qdpx("study.qdpx")            # the whole project
    project.exchange.import_qdpx("from-nvivo.qdpx")       # into this project
    import_project("from-maxqda.qdpx", "study.coder")      # a new project from a package

Reading checks the whole file before anything is written, and writing is one transaction, so
a file that fails leaves the project as it was (and a new project is not left behind). Each
call returns an `ExchangeReport` saying what was carried and what could not be.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from coder.access import Access
from coder.errors import ConflictError
from coder.exchange.archive import Limits, Package, looks_like_zip, read_capped, read_head
from coder.exchange.model import ProjectData
from coder.exchange.report import ExchangeReport
from coder.lifecycle import create_store
from coder.storage import Store

__all__ = ["Exchange", "ExchangeReport", "Limits", "import_project", "read_file"]


class Exchange:
    def __init__(self, store: Store, access: Access | None = None) -> None:
        self._store = store
        self._access = access or Access()

    def export_qdpx(self, target: str | Path) -> ExchangeReport:
        """Write the project to `target` as a .qdpx package (replacing the file atomically).
        It holds every coder's codings: while the project is blind, only a lead exports it."""
        from coder.exchange.archive import write_package
        from coder.exchange.gather import gather
        from coder.exchange.writer import write_project

        report = ExchangeReport()
        with self._store.read() as tx:
            self._access.everything(tx, "a REFI-QDA project")
            data = gather(tx, report)
        xml, files = write_project(data, report)
        write_package(Path(target), xml, files, when=datetime.now(UTC))
        _count(data, report)
        return report

    def import_qdpx(
        self, source: str | Path, *, actor: str | None = None, limits: Limits | None = None
    ) -> ExchangeReport:
        """Add a .qdpx package (or a bare project.qde) to this project: documents already here
        (same text) receive its codings and memos, everything else is added."""
        data, report = read_file(Path(source), limits or Limits())
        self.load(data, report, into=True, actor=actor, file=Path(source).name)
        return report

    def load(
        self,
        data: ProjectData,
        report: ExchangeReport,
        *,
        into: bool,
        actor: str | None = None,
        file: str = "",
    ) -> None:
        """Write what `read_file` read, in one transaction."""
        from coder.exchange.load import load

        with self._store.write(actor) as tx:
            load(tx, data, report, into=into, file=file)


def read_file(path: Path, limits: Limits) -> tuple[ProjectData, ExchangeReport]:
    """Read and check a .qdpx package, a bare project.qde, or a .qdc codebook, writing nothing."""
    from coder.exchange.reader import read_project

    if looks_like_zip(read_head(path)):
        package = Package(path, limits)
        try:
            return read_project(package.project_xml(), package.where(package.qde_name), package)
        finally:
            package.close()
    with path.open("rb") as handle:
        data = read_capped(handle, min(limits.max_bytes, limits.max_part), path)
    if b"<CodeBook" in data[:4096] and b"<Project" not in data[:4096]:
        return _codebook_only(data, path)
    return read_project(data, path, None)


def _codebook_only(data: bytes, path: Path) -> tuple[ProjectData, ExchangeReport]:
    from coder.codebook.qdc import read_qdc
    from coder.exchange.model import derived_guid

    spec, warnings = read_qdc(data, path=path)
    for visit in spec.walk():
        guid = (visit.code.guid or "").strip().strip("{}")
        visit.code.guid = guid or derived_guid("code", path.name, visit.path)
    report = ExchangeReport(warnings=list(warnings))
    return ProjectData(title=spec.title, codebook=spec), report


def import_project(
    source: str | Path,
    location: str | Path,
    *,
    actor: str | None = None,
    limits: Limits | None = None,
    title: str | None = None,
) -> ExchangeReport:
    """Create a project at `location` (a file or a PostgreSQL URL) from a .qdpx package.

    The file is read and checked first; if anything fails after the project was created, a
    new SQLite file is removed again (a new PostgreSQL database is left empty)."""
    target = str(location)
    path = None if "://" in target else Path(target)
    if path is not None and path.exists() and path.stat().st_size > 0:
        raise ConflictError(
            f"{path} already exists; choose a new file name, or add the package to that "
            f"project with --into {path}"
        )
    data, report = read_file(Path(source), limits or Limits())
    store = create_store(target, title=title or data.title)
    try:
        Exchange(store).load(data, report, into=False, actor=actor, file=Path(source).name)
    except BaseException:
        store.close()
        if path is not None:
            _remove(path)
        raise
    store.close()
    return report


def _remove(path: Path) -> None:
    """A project file and what SQLite keeps beside it."""
    for extra in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def _count(data: ProjectData, report: ExchangeReport) -> None:
    report.carry("documents", len(data.sources))
    report.carry("codes", len(data.codebook))
    report.carry("coders", len(data.users))
    report.carry("codings", sum(len(s.codings) for s in data.sources))
    report.carry("participants", len(data.cases))
    report.carry("memos", len(data.notes))
