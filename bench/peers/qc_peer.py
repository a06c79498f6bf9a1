"""qc (`qualitative-coding`), a command-line coding tool, against coder's command line.

Both sides run as programs, so both pay their start-up. qc codes whole lines: a coder's codings
become, for each line, the codes that coder put on it. The generated transcripts keep every
paragraph on one line and every coding inside one paragraph, so qc's lines are coder's
paragraphs, and the rows compare coder's `--unit paragraph` with qc's default unit, the line.
qc counts a line once per coder, so both sides count one coder's (ana's) codings.

- import: `qc corpus import -r -i verbatim` vs `coder import --manifest` (this run's).
- counts per code and document: `qc codes stats --by-document -c ana` vs
  `coder matrix --by interview --level codes --measure sentences --unit paragraph --coder ana`.
- co-occurrence: `qc codes crosstab -c ana` vs `coder cooccurrence --unit paragraph --coder ana`.
- passages of a theme: `qc codes find THEME -r --json -B 0 -C 0` vs
  `coder quotes --code THEME --format json`.

Every workload's output is compared cell by cell before its time is reported.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bench.generate import CODERS, load_codebook
from bench.peers import HERE, VERSIONS, environment, slug
from bench.table import Row, Target
from bench.timing import child, coder_command

CODER = CODERS[0]  # qc counts a line once per coder: both sides count this coder's codings
TARGET = (Target("ratio", 1.0, ("M",)),)  # coder ahead: below 1


def _lines(text: str) -> list[int]:
    """Where each line starts, as qc splits the file (str.splitlines)."""
    starts, at = [], 0
    for line in text.splitlines(keepends=True):
        starts.append(at)
        at += len(line)
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, offset) - 1


class QC:
    def __init__(self, corpus: Path, work: Path) -> None:
        self.corpus = corpus
        self.home = work / "qc"  # the project with both coders' codings
        self.fresh = work / "qc-import"  # where the import is timed, every run
        self.stamp = self.home / ".bench-loaded"
        self.python = environment("qc")
        self.qc = str(self.python.with_name("qc"))
        self.book = load_codebook()
        self.names = {path: slug(path) for path in self.book.paths}
        if len(set(self.names.values())) != len(self.names):
            raise RuntimeError("two codes share a qc name")
        self.paths = {name: path for path, name in self.names.items()}
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    def run(self, *args: str, log: str, cwd: Path | None = None) -> tuple[float, float, float]:
        return child([self.qc, *args], self.logs / f"qc-{log}.log", cwd=cwd or self.home)

    # -- import and codings ----------------------------------------------------------------

    def import_corpus(self) -> tuple[float, float, float]:
        """A new qc project, and the timed import of the transcripts into it."""
        shutil.rmtree(self.fresh, ignore_errors=True)
        self.fresh.mkdir(parents=True)
        self.run("init", log="init", cwd=self.fresh)
        transcripts = str(self.corpus / "transcripts")
        args = ("corpus", "import", "-r", "-i", "verbatim", transcripts)
        took = self.run(*args, log="import", cwd=self.fresh)
        files = len(list((self.corpus / "transcripts").glob("*.txt")))
        with sqlite3.connect(self.fresh / "qualitative_coding.sqlite3") as con:
            (stored,) = con.execute("SELECT COUNT(*) FROM document").fetchone()
        if stored != files:
            raise RuntimeError(f"qc registered {stored} documents of {files}")
        return took

    def _codebook(self) -> list[Any]:
        def node(path: str) -> Any:
            children = [p for p in self.book.paths if self.book.parent[p] == path]
            name = self.names[path]
            return {name: [node(c) for c in children]} if children else name

        return [node(p) for p in self.book.paths if self.book.parent[p] is None]

    def loaded(self) -> tuple[float | None, str]:
        """The project with both coders' codings: kept from an earlier run while the corpus
        and qc's version are the same (loading takes minutes at M), else the project just
        imported, loaded now. Returns the seconds loading took now (None when kept) and what
        was loaded."""
        wanted = {
            "corpus": json.loads((self.corpus / "meta.json").read_text()),
            "qc": list(VERSIONS["qc"]),
        }
        if self.stamp.exists():
            found = json.loads(self.stamp.read_text())
            if {k: found.get(k) for k in wanted} == wanted:
                kept = f"kept from an earlier run, where loading took {found['seconds']:.0f} s"
                return None, f"{found['summary']}; {kept}"
        shutil.rmtree(self.home, ignore_errors=True)
        shutil.copytree(self.fresh, self.home)
        took, summary = self._load_codings()
        self.stamp.write_text(json.dumps({**wanted, "seconds": took, "summary": summary}))
        return took, summary

    def _load_codings(self) -> tuple[float, str]:
        """Both coders' codings as qc codes files, through qc's own coding session."""
        (self.home / "codebook.yaml").write_text(yaml.safe_dump(self._codebook()))
        folder = self.home.parent / "qc-codes"
        shutil.rmtree(folder, ignore_errors=True)
        per_line: dict[tuple[str, str], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        starts: dict[str, list[int]] = {}
        for coder in CODERS:
            with (self.corpus / f"codings-{coder}.csv").open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    document = row["document"]
                    if document not in starts:
                        text = (self.corpus / "transcripts" / f"{document}.txt").read_text(
                            encoding="utf-8"
                        )
                        starts[document] = _lines(text)
                    first = _line_of(starts[document], int(row["start"]))
                    last = _line_of(starts[document], int(row["end"]) - 1)
                    if first != last:
                        raise RuntimeError(f"a coding of {document} spans lines {first}-{last}")
                    per_line[coder, document][first].add(self.names[row["code"]])
        for (coder, document), lines in per_line.items():
            out = folder / coder / f"{document}.txt"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(
                "".join(
                    ", ".join(sorted(lines.get(i, ()))) + "\n" for i in range(len(starts[document]))
                )
            )
        driver = str(HERE / "drive_qc.py")
        took = child(
            [str(self.python), driver, "code", "settings.yaml", str(folder)],
            self.logs / "qc-code.log",
            cwd=self.home,
        )
        return took[0], (self.logs / "qc-code.log").read_text().strip().splitlines()[-1]


# -- the rows ------------------------------------------------------------------------------


def _matrix_csv(path: Path) -> dict[tuple[str, str], int]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    if rows[1:] and len(header) == len(rows[1]) - 1:
        header = ["", *header]  # qc's --by-document CSV has no heading over its code column
    return {
        (row[0], header[j]): int(float(value))
        for row in rows[1:]
        for j, value in enumerate(row)
        if j and header[j] not in ("groups", "Total") and value not in ("", "0", "0.0")
    }


def _differences(ours: dict[Any, int], theirs: dict[Any, int]) -> str:
    keys = sorted(set(ours) | set(theirs), key=str)
    wrong = [k for k in keys if ours.get(k, 0) != theirs.get(k, 0)]
    if not wrong:
        return ""
    k = wrong[0]
    return f"{len(wrong)} cells differ, e.g. {k}: coder {ours.get(k, 0)}, qc {theirs.get(k, 0)}"


def _row(
    case: str,
    ours: tuple[float, float, float],
    theirs: tuple[float, float, float],
    failure: str,
    notes: str,
) -> Row:
    return Row(
        "peer",
        "qc",
        case,
        ours[0],
        theirs[0],
        targets=TARGET,
        against="peer",
        ours_cpu=ours[1],
        baseline_cpu=theirs[1],
        failure=failure,
        notes=notes,
    )


def _best(run: Callable[[], tuple[float, float, float]], repeat: int) -> tuple[float, float, float]:
    return min((run() for _ in range(max(1, repeat))), key=lambda t: t[0])


def bench_qc(
    corpus: Path,
    work: Path,
    project: Path,
    theme: str,
    repeat: int,
    coder_import: Callable[[], tuple[float, float, float]],
    import_repeat: int = 1,
) -> list[Row]:
    """The qc rows. `project` is coder's project with both coders' codings; `coder_import`
    gives this run's `coder import` (wall, CPU, memory), the best of `import_repeat` runs like
    qc's."""
    qc = QC(corpus, work)
    files = len(list((corpus / "transcripts").glob("*.txt")))
    theirs = _best(qc.import_corpus, import_repeat)
    rows = [
        _row(
            f"import the transcripts ({files} files)",
            coder_import(),
            theirs,
            "",
            "coder: `coder import --manifest` (sentences, turns, speakers, attributes); "
            "qc: `qc corpus import -r -i verbatim` (copies each file and indexes its paragraphs;"
            " its default importer runs pandoc, which is not installed here)",
        )
    ]
    took, summary = qc.loaded()
    rows.append(Row("setup", "qc", f"load both coders' codings ({summary})", took))

    coder = coder_command()
    out = work / "logs"

    def ours(log: str, *args: str) -> Callable[[], tuple[float, float, float]]:
        return lambda: child([*coder, *args, "-p", str(project)], out / f"coder-{log}.log")

    # counts per code and document
    ours_csv, theirs_csv = out / "coder-stats.csv", out / "qc-stats.csv"
    mine = _best(
        ours(
            "stats",
            "matrix",
            "--by",
            "interview",
            "--level",
            "codes",
            "--measure",
            "sentences",
            "--unit",
            "paragraph",
            "--coder",
            CODER,
            "--format",
            "csv",
            "-o",
            str(ours_csv),
        ),
        repeat,
    )
    other = _best(
        lambda: qc.run(
            "codes", "stats", "--by-document", "-c", CODER, "-o", str(theirs_csv), log="stats"
        ),
        repeat,
    )
    a = _matrix_csv(ours_csv)
    b = {
        (qc.paths[code], document.removesuffix(".txt")): n
        for (code, document), n in _matrix_csv(theirs_csv).items()
    }
    rows.append(
        _row(
            f"counts per code and document ({len(a)} cells, {CODER})",
            mine,
            other,
            _differences(a, b),
            "coder: `coder matrix --by interview --level codes --measure sentences "
            "--unit paragraph`; qc: `qc codes stats --by-document` (coded lines)",
        )
    )

    # co-occurrence
    ours_csv, theirs_csv = out / "coder-crosstab.csv", out / "qc-crosstab.csv"
    mine = _best(
        ours(
            "crosstab",
            "cooccurrence",
            "--unit",
            "paragraph",
            "--coder",
            CODER,
            "--format",
            "csv",
            "-o",
            str(ours_csv),
        ),
        repeat,
    )
    other = _best(
        lambda: qc.run("codes", "crosstab", "-c", CODER, "-o", str(theirs_csv), log="crosstab"),
        1,  # qc runs one query per pair of codes: minutes at M, so once
    )
    a = _matrix_csv(ours_csv)
    b = {(qc.paths[x], qc.paths[y]): n for (x, y), n in _matrix_csv(theirs_csv).items()}
    rows.append(
        _row(
            f"code × code co-occurrence ({len(qc.names)} codes, {CODER})",
            mine,
            other,
            _differences(a, b),
            "coder: `coder cooccurrence --unit paragraph`; qc: `qc codes crosstab` "
            "(lines coded with both codes)",
        )
    )

    # every passage of a theme
    ours_json, theirs_json = out / "coder-quotes.json", out / "qc-find.json"
    mine = _best(
        ours("quotes", "quotes", "--code", theme, "--format", "json", "-o", str(ours_json)),
        repeat,
    )

    def find() -> tuple[float, float, float]:
        args = ["codes", "find", qc.names[theme], "-r", "--json", "-B", "0", "-C", "0"]
        took = qc.run(*args, log="find")
        shutil.copyfile(qc.logs / "qc-find.log", theirs_json)
        return took

    other = _best(find, repeat)
    starts = {
        d.stem: _lines(d.read_text(encoding="utf-8"))
        for d in (corpus / "transcripts").glob("*.txt")
    }
    quotes = json.loads(ours_json.read_text(encoding="utf-8"))
    a_set = {
        (q["document"], _line_of(starts[q["document"]], int(q["start"])), q["code"]) for q in quotes
    }
    found = json.loads(theirs_json.read_text(encoding="utf-8"))
    b_set = {
        (r["document"].removesuffix(".txt"), int(r["line"]), qc.paths[r["code"]]) for r in found
    }
    failure = ""
    if a_set != b_set:
        failure = (
            f"coded lines differ: {len(a_set - b_set)} only in coder, "
            f"{len(b_set - a_set)} only in qc"
        )
    rows.append(
        _row(
            f"passages of a theme ({len(quotes)} quotes on {len(a_set)} coded lines)",
            mine,
            other,
            failure,
            "coder: `coder quotes --code THEME --format json` (both coders, with speaker and "
            "citation); qc: `qc codes find THEME -r --json` (lines and their codes)",
        )
    )
    return rows
