"""Codings in and out as CSV: `document,start,end,code,coder,memo,text`.

`code` is the code's path (`Parent/Child`); `text` is the coded passage. On import every row
is checked before anything is written: a row whose `text` differs from the document at its
offsets (shifted offsets) is refused like an unknown document or code, and the file is refused
whole with the rows at fault. A row with text but no offsets is placed where that text occurs,
if it occurs exactly once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from coder import csvsafe, model
from coder.codebook.tree import CodeTree
from coder.coding.apply import check_coder, codable, coder_for, located
from coder.errors import CoderError, ConflictError, InputError
from coder.storage import Transaction

COLUMNS = ["document", "start", "end", "code", "coder", "memo", "text"]
REQUIRED = {"document", "code", "coder"}
MAX_REPORTED = 10

T = TypeVar("T")


@dataclass
class CodingsImport:
    added: int = 0
    duplicates: int = 0
    memos: int = 0
    new_coders: list[str] = field(default_factory=list)


@dataclass
class CodingsPlan:
    """A codings file read and checked against the project, ready to write: rows point at
    documents and codes by id (with what they were checked against), and at coders by name."""

    path: Path
    # (document id, code id, start, end), coder, memo
    rows: list[tuple[tuple[int, int, int, int], str, str]] = field(default_factory=list)
    documents: dict[int, str] = field(default_factory=dict)  # id -> sha256 checked against
    codes: dict[str, int] = field(default_factory=dict)  # path -> id


def _int(value: str, column: str, path: str, line: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise InputError(
            f"{column} {value!r} is not a whole number", path=path, line=line
        ) from None


def plan_codings(tx: Transaction, path: Path) -> CodingsPlan:
    """Read and check every row, writing nothing (a read transaction will do): the slow part
    of an import, done before the import takes the project's write lock."""
    rows, lines = csvsafe.table(path, "codings file", COLUMNS, REQUIRED)
    where = str(path)
    tree = CodeTree(tx.codes())
    coders = {coder.name: coder for coder in tx.coders()}
    # Every document the file names, in one query; a name not found is looked up (and its
    # error, with the names it resembles, raised) at its first row.
    documents = tx.documents_named(row.get("document", "") for row in rows)
    errors: list[str] = []
    plan = CodingsPlan(path)
    # A file names few codes and coders over many rows: each is looked up once.
    found_codes: dict[str, model.Code | CoderError] = {}
    found_coders: dict[str, str | CoderError] = {}
    for row, line in zip(rows, lines, strict=True):
        try:
            name = row.get("document", "")
            if name not in documents:
                documents[name] = tx.document(name)
            document = documents[name]
            text = row.get("text", "")
            if row.get("start", "") == "" and row.get("end", "") == "" and text:
                start, end = located(document, text, line, where)
            else:
                start = _int(row.get("start", ""), "start", where, line)
                end = _int(row.get("end", ""), "end", where, line)
            if not 0 <= start < end <= len(document.text):
                raise InputError(
                    f"span {start}-{end} does not fit {name!r} (0 to {len(document.text)}, "
                    "start before end)",
                    path=where,
                    line=line,
                )
            if text and document.text[start:end] != text:
                found = document.text[start:end]
                raise InputError(
                    f"the text at {start}-{end} of {name!r} is {_clip(found)!r}, not "
                    f"{_clip(text)!r}: are the offsets shifted?",
                    path=where,
                    line=line,
                )
            code_path = row.get("code", "")
            code = _once(found_codes, code_path, lambda p: codable(tree, p))
            coder = _once(found_coders, row.get("coder", ""), lambda n: check_coder(n, coders))
            plan.documents[document.id] = document.sha256
            plan.codes[code_path] = code.id
            plan.rows.append(((document.id, code.id, start, end), coder, row.get("memo", "")))
        except CoderError as error:
            detail = error.detail if isinstance(error, InputError) else str(error)
            errors.append(f"line {line}: {detail}")
            if len(errors) >= MAX_REPORTED:
                break
    if errors:
        more = " (and perhaps more after these)" if len(errors) >= MAX_REPORTED else ""
        raise InputError(
            f"nothing was imported; fix these rows and try again{more}: " + "; ".join(errors),
            path=where,
        )
    return plan


def _once(seen: dict[str, T | CoderError], key: str, look_up: Callable[[str], T]) -> T:
    """`look_up(key)`, remembered with the error it raised, if any, for the next row."""
    if key not in seen:
        try:
            seen[key] = look_up(key)
        except CoderError as error:
            seen[key] = error
    found = seen[key]
    if isinstance(found, CoderError):
        raise found
    return found


def write_codings(
    tx: Transaction, plan: CodingsPlan, *, origin: model.CodingOrigin = "imported"
) -> CodingsImport:
    """Write a checked plan in one transaction: all its rows or, if the project changed in
    between (a document replaced, a code deleted), none of them."""
    _still_as_checked(tx, plan)
    result = CodingsImport()
    coders: dict[str, int] = {}
    for name in dict.fromkeys(name for _, name, _ in plan.rows):
        coders[name] = coder_for(tx, name, result.new_coders).id
    # Span keys: (document id, code id, coder id, start, end).
    keys = [
        (document_id, code_id, coders[name], start, end)
        for (document_id, code_id, start, end), name, _ in plan.rows
    ]
    created, result.duplicates = tx.add_coding_spans(keys, origin)
    result.added = len(created)
    memos: list[tuple[int, str]] = []
    for key, (_, _, memo) in zip(keys, plan.rows, strict=True):
        # pop: a row repeated in the file gets its memo once.
        coding_id = created.pop(key, None) if memo else None
        if coding_id is not None:
            memos.append((coding_id, memo))
    result.memos = len(tx.add_memos("coding", memos))
    tx.log(
        "codings.import",
        "coding",
        None,
        {"file": plan.path.name, "added": result.added, "duplicates": result.duplicates},
    )
    return result


def _still_as_checked(tx: Transaction, plan: CodingsPlan) -> None:
    documents = tx.document_hashes()
    for document_id, sha256 in plan.documents.items():
        if documents.get(document_id) != sha256:
            raise ConflictError(
                "a document of the file was replaced or deleted while the file was being "
                "checked; nothing was imported: run the import again"
            )
    tree = CodeTree(tx.codes())
    for path, code_id in plan.codes.items():
        try:
            same = codable(tree, path).id == code_id
        except CoderError:
            same = False
        if not same:
            raise ConflictError(
                f"code {path!r} changed while the file was being checked; nothing was "
                "imported: run the import again"
            )


def export_codings(tx: Transaction, *, coders: list[str] | None = None) -> str:
    frame = tx.codings_frame(coder_names=coders)
    tree = CodeTree(tx.codes(model.CODE_STATUSES))
    texts = tx.document_texts(set(frame["document_id"]))
    memos: dict[int, str] = {}
    for memo in tx.memos("coding"):
        if memo.target_id is not None:
            memos[memo.target_id] = memo.body
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in frame.to_dict("records"):
        writer.writerow(
            [
                row["document"],
                row["start"],
                row["end"],
                tree.path(tree.by_id[row["code_id"]]),
                row["coder"],
                memos.get(row["id"], ""),
                texts[row["document_id"]][row["start"] : row["end"]],
            ]
        )
    return out.getvalue()


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
