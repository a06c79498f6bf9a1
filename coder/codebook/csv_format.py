"""A codebook from a spreadsheet: one row per code, with a header row.

    name,parent,definition
    Challenges,,Obstacles to working with patients
    Time,Challenges/Material,Talk about meeting times
    Material,Challenges,Money and time

`name` is required; `parent` names the parent code by its name, or by its path when a name is
used twice ("Challenges/Other"); empty means a top-level code. Rows may come in any order;
siblings keep the order of their rows. Optional columns: definition, include, exclude, example,
source, kind, id, color, key, exclusive. Comma, semicolon or tab separated (as the header shows),
UTF-8 with or without a byte-order mark. Messages give the spreadsheet row: the header is row 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coder import csvsafe
from coder.codebook.checks import (
    FieldProblem,
    check_codebook,
    check_color,
    check_flag,
    check_id,
    check_key,
    check_kind,
    clean_name,
    clean_text,
    did_you_mean,
)
from coder.codebook.spec import CodebookSpec, CodeSpec, Loaded, join_path, split_path
from coder.codebook.yaml_format import read_text
from coder.errors import InputError, UsageError, ValidationError
from coder.limits import depth_problem

COLUMNS = (
    "name",
    "parent",
    "definition",
    "include",
    "exclude",
    "example",
    "source",
    "kind",
    "id",
    "color",
    "key",
    "exclusive",
)


@dataclass(eq=False)
class _Row:
    number: int  # spreadsheet row; the header is row 1
    line: int  # line in the file where the row starts
    code: CodeSpec
    parent: str
    parent_row: _Row | None = None
    path: list[str] = field(default_factory=list)


def read_csv(
    source: str | Path, *, path: str | Path | None = None, title: str | None = None
) -> Loaded:
    """Read a codebook table from a file (`Path`) or CSV text (`str`). `title` defaults to the
    file name."""
    if isinstance(source, Path):
        path = source
        text = read_text(source)
    else:
        text = source.removeprefix("\ufeff")
    rows = _Table(text, path).rows()
    by_name: dict[str, list[_Row]] = {}
    for row in rows:
        by_name.setdefault(row.code.name.casefold(), []).append(row)
    resolver = _Resolver(by_name, path)
    for row in rows:
        resolver.path_of(row, [])
    roots: list[CodeSpec] = []
    siblings: dict[int, dict[str, _Row]] = {}
    for row in rows:
        family = siblings.setdefault(id(row.parent_row), {})
        twin = family.setdefault(row.code.name.casefold(), row)
        if twin is not row:
            under = f"under {join_path(row.path[:-1])!r}" if row.parent_row else "at the top level"
            raise _fail(
                path, row, f"duplicate code {row.code.name!r} {under} (first on row {twin.number})"
            )
        (row.parent_row.code.children if row.parent_row else roots).append(row.code)
    stem = Path(path).stem if path is not None else "Codebook"
    spec = CodebookSpec(title=title or stem or "Codebook", codes=roots)
    return Loaded(spec, check_codebook(spec, path=path))


def _fail(path: str | Path | None, row: _Row, message: str) -> ValidationError:
    return ValidationError(f"row {row.number}: {message}", path=path, line=row.line)


class _Table:
    def __init__(self, text: str, path: str | Path | None) -> None:
        self.text = text
        self.path = path

    def rows(self) -> list[_Row]:
        # Spreadsheets in many European locales save with ';'; tab-separated is common too.
        found = csvsafe.records(self.text, self.path, csvsafe.sniff_delimiter(self.text))
        try:
            first = next(found, None)
        except InputError as exc:
            raise ValidationError(f"row 1: {exc.detail}", path=self.path, line=1) from None
        header = [cell.strip().lower() for cell in first[1]] if first else []
        if "name" not in header:
            raise ValidationError(
                "row 1: the header needs a 'name' column (and usually 'parent' and 'definition')",
                path=self.path,
                line=1,
            )
        for number, column in enumerate(header):
            if column in header[:number]:
                raise ValidationError(
                    f"row 1: column {column!r} appears twice", path=self.path, line=1
                )
            if column not in COLUMNS:
                hint = did_you_mean(column, COLUMNS) or f"; known columns: {', '.join(COLUMNS)}"
                raise ValidationError(
                    f"row 1: unknown column {column!r}{hint}", path=self.path, line=1
                )
        rows: list[_Row] = []
        for number, (start, cells) in enumerate(found, 2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise ValidationError(
                    f"row {number} has {len(cells)} cells but the header has {len(header)}; "
                    "put quotes around cells that contain the separator",
                    path=self.path,
                    line=start,
                )
            values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
            rows.append(self.row(number, start, values))
        return rows

    def row(self, number: int, line: int, values: dict[str, str]) -> _Row:
        row = _Row(number, line, CodeSpec(name="", line=line), values.get("parent", ""))
        code = row.code
        try:
            code.name = clean_name(values.get("name", ""))
            code.definition = clean_text(values.get("definition", ""))
            code.include = clean_text(values.get("include", ""))
            code.exclude = clean_text(values.get("exclude", ""))
            if example := clean_text(values.get("example", "")):
                code.examples = [example]
            code.source = clean_text(values.get("source", ""))
            code.kind = check_kind(values.get("kind") or "code")
            code.id = check_id(values["id"]) if values.get("id") else None
            code.color = check_color(values["color"]) if values.get("color") else None
            code.key = check_key(values["key"]) if values.get("key") else None
            code.exclusive = check_flag(values.get("exclusive", ""))
        except FieldProblem as exc:
            raise _fail(self.path, row, str(exc)) from None
        return row


class _Resolver:
    """Finds each row's parent row, by name or by path, refusing cycles and trees deeper than
    `coder.limits.MAX_DEPTH`. It follows parents in a loop, never by recursion, so that no
    file is deep enough to exhaust the stack."""

    def __init__(self, by_name: dict[str, list[_Row]], path: str | Path | None) -> None:
        self.by_name = by_name
        self.path = path
        self.done: set[int] = set()

    def path_of(self, row: _Row, visiting: list[_Row]) -> list[str]:
        """The row's path (names from the top), resolving its ancestors on the way.
        `visiting` holds the rows whose parents are being looked for further up the call."""
        chain = [row]  # the row, its parent, its grandparent... up to a known or a top code
        current = row
        while id(current) not in self.done and current.parent:
            parent = self.parent_of(current, [*visiting, *chain])
            loop = [*visiting, *chain]
            if parent in loop:
                names = [r.code.name for r in [*loop[loop.index(parent) :], parent]]
                raise _fail(
                    self.path,
                    parent,
                    f"code {parent.code.name!r} is its own ancestor ({' → '.join(names)}); "
                    "fix 'parent'",
                )
            current.parent_row = parent
            chain.append(parent)
            if problem := depth_problem(len(chain) - 1):
                raise _fail(self.path, row, problem)
            current = parent
        top = chain[-1]
        if id(top) not in self.done:
            top.path = [top.code.name]
            self.done.add(id(top))
        for lower, upper in zip(reversed(chain[:-1]), reversed(chain[1:]), strict=True):
            lower.path = [*upper.path, lower.code.name]
            self.done.add(id(lower))
        if problem := depth_problem(len(row.path) - 1):
            raise _fail(self.path, row, problem)
        return row.path

    def parent_of(self, row: _Row, visiting: list[_Row]) -> _Row:
        try:
            wanted = split_path(row.parent)
        except UsageError as exc:
            raise _fail(self.path, row, f"parent: {exc}") from None
        if problem := depth_problem(len(wanted)):
            raise _fail(self.path, row, f"parent: {problem}")
        candidates = self.by_name.get(wanted[-1].casefold(), [])
        if len(wanted) > 1:
            folded = [part.casefold() for part in wanted]
            candidates = [
                c for c in candidates if [p.casefold() for p in self.path_of(c, visiting)] == folded
            ]
        if not candidates:
            names = [r.code.name for rows in self.by_name.values() for r in rows]
            hint = did_you_mean(wanted[-1], names)
            raise _fail(
                self.path,
                row,
                f"unknown parent {row.parent!r}{hint}; add a row for it or fix the name",
            )
        if len(candidates) > 1:
            numbers = ", ".join(str(c.number) for c in candidates)
            raise _fail(
                self.path,
                row,
                f"parent {row.parent!r} is ambiguous: several codes have that name "
                f"(rows {numbers}); write its path instead, e.g. 'Parent/Child'",
            )
        return candidates[0]
