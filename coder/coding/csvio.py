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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coder import model
from coder.codebook.tree import CodeTree
from coder.coding.apply import codable, coder_for, located
from coder.errors import CoderError, InputError
from coder.storage import Transaction

COLUMNS = ["document", "start", "end", "code", "coder", "memo", "text"]
REQUIRED = {"document", "code", "coder"}
MAX_REPORTED = 10


@dataclass
class CodingsImport:
    added: int = 0
    duplicates: int = 0
    memos: int = 0
    new_coders: list[str] = field(default_factory=list)


def _int(value: str, column: str, path: str, line: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise InputError(
            f"{column} {value!r} is not a whole number", path=path, line=line
        ) from None


def _read(path: Path) -> tuple[list[dict[str, str]], list[int]]:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path) from None
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = REQUIRED - set(header)
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(sorted(missing))}; found {', '.join(header) or 'none'} "
            f"(expected {','.join(COLUMNS)})",
            path=path,
            line=1,
        )
    unknown = set(header) - set(COLUMNS)
    if unknown:
        raise InputError(f"unknown column(s) {', '.join(sorted(unknown))}", path=path, line=1)
    rows, lines = [], []
    for row in reader:
        rows.append({k.strip(): (v or "").strip("\r") for k, v in row.items() if k is not None})
        lines.append(reader.line_num)
    return rows, lines


def import_codings(
    tx: Transaction, path: Path, *, origin: model.CodingOrigin = "imported"
) -> CodingsImport:
    rows, lines = _read(path)
    where = str(path)
    tree = CodeTree(tx.codes())
    documents: dict[str, model.Document] = {}
    errors: list[str] = []
    planned: list[tuple[dict[str, Any], str]] = []
    result = CodingsImport()
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
            code = codable(tree, row.get("code", ""))
            coder = coder_for(tx, row.get("coder", ""), result.new_coders)
            planned.append(
                (
                    {
                        "document_id": document.id,
                        "code_id": code.id,
                        "coder_id": coder.id,
                        "start": start,
                        "end": end,
                        "origin": origin,
                    },
                    row.get("memo", ""),
                )
            )
        except CoderError as error:
            detail = error.detail if isinstance(error, InputError) else str(error)
            errors.append(f"line {line}: {detail}")
            if len(errors) >= MAX_REPORTED:
                break
    if errors:
        raise InputError(
            "nothing was imported; fix these rows and try again:\n  " + "\n  ".join(errors),
            path=where,
        )
    created, result.duplicates = tx.add_codings([values for values, _ in planned])
    result.added = len(created)
    for values, memo in planned:
        key = tuple(values[k] for k in ("document_id", "code_id", "coder_id", "start", "end"))
        # pop: a row repeated in the file gets its memo once.
        coding_id = created.pop(key, None) if memo else None
        if coding_id is not None:
            tx.add_memo("coding", coding_id, memo)
            result.memos += 1
    tx.log(
        "codings.import",
        "coding",
        None,
        {"file": path.name, "added": result.added, "duplicates": result.duplicates},
    )
    return result


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
