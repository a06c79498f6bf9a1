"""Codebook files by extension: which reader or writer handles which format."""

from __future__ import annotations

from pathlib import Path

from coder.codebook.spec import CodebookSpec, Loaded
from coder.errors import InputError, UsageError

READABLE = (".yaml", ".yml", ".qdc", ".csv")
WRITABLE = ("yaml", "qdc", "md", "tex")


def read_codebook(path: Path) -> Loaded:
    if not path.is_file():
        raise InputError("no such codebook file", path=path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from coder.codebook.yaml_format import load_yaml

        return load_yaml(path)
    if suffix == ".qdc":
        from coder.codebook.qdc import read_qdc

        return read_qdc(path)
    if suffix == ".csv":
        from coder.codebook.csv_format import read_csv

        return read_csv(path)
    raise InputError(
        f"cannot read {suffix or 'files without an extension'} as a codebook; "
        f"use one of {', '.join(READABLE)}",
        path=path,
    )


def write_codebook(spec: CodebookSpec, fmt: str) -> bytes:
    if fmt == "yaml":
        from coder.codebook.yaml_format import dump_yaml

        return dump_yaml(spec).encode("utf-8")
    if fmt == "qdc":
        from coder.codebook.qdc import write_qdc

        return write_qdc(spec)
    if fmt in ("md", "tex"):
        from coder.codebook.text_formats import to_latex, to_markdown

        return (to_markdown(spec) if fmt == "md" else to_latex(spec)).encode("utf-8")
    raise UsageError(f"cannot write a codebook as {fmt!r}; use one of {', '.join(WRITABLE)}")


def format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return {"yml": "yaml", "markdown": "md", "latex": "tex"}.get(suffix, suffix)
