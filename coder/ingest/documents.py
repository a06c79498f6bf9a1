"""Word processor and PDF files to lines of text: .docx, .odt, .rtf, .pdf.

Each function returns the document's paragraphs as lines, in reading order, with an empty
line for an empty paragraph; speaker labels are found afterwards, exactly as for plain text.
Table rows become lines too, because transcription services often deliver `Speaker | Text` or
`Time | Speaker | Text` tables.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from coder.errors import InputError
from coder.ingest.labels import is_role_word, plausible_name, seconds
from coder.limits import Budget
from coder.xmlsafe import check_office_file

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_SKIP = frozenset(f"{_W}{name}" for name in ("del", "moveFrom", "txbxContent"))
_HEADER_CELLS = frozenset(
    ("speaker", "name", "text", "transcript", "time", "timestamp", "utterance", "content")
)
# pypdf logs the damage it repairs; without a handler of its own, Python would print it.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
_PAGE_NUMBER = re.compile(r"(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s+(?:of|/)\s+\d{1,4})?", re.I)


def _damaged(kind: str, path: Path, error: Exception) -> InputError:
    return InputError(
        f"cannot open this {kind} file, it is damaged or not really a {kind} file "
        f"({type(error).__name__}); open it in your word processor and save it again",
        path=path,
    )


def docx_lines(data: bytes, path: Path) -> list[str]:
    import docx
    from docx.table import Table

    check_office_file(data, path, "Word (.docx)")
    try:
        document = docx.Document(io.BytesIO(data))
        items = list(document.iter_inner_content())
    except Exception as error:  # python-docx raises zip, XML and key errors for a bad file
        raise _damaged("Word (.docx)", path, error) from None
    lines: list[str] = []
    bold: list[tuple[int, str, str]] = []
    for item in items:
        if isinstance(item, Table):
            lines.extend(_table_lines([[c.text for c in _unique(row.cells)] for row in item.rows]))
            lines.append("")
            continue
        text = _paragraph_text(item._p)
        prefix = _bold_prefix(item, text)
        if prefix is not None:
            bold.append((len(lines), *prefix))
        lines.extend(text.split("\n"))
    return _apply_bold_labels(lines, bold)


def _paragraph_text(element: Any) -> str:
    """A Word paragraph as the reader sees it, tracked insertions included.

    python-docx's `Paragraph.text` skips runs inside `w:ins`, which would lose a transcriber's
    tracked corrections; deleted and moved-away text and text boxes are not part of the flow.
    """
    parts: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        if any(a.tag in _W_SKIP for a in node.iterancestors()):
            continue
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("\u2011")
        else:
            parts.append("\n")
    return "".join(parts)


def _unique(cells: Sequence[Any]) -> list[Any]:
    # python-docx repeats a merged cell once per grid column it spans.
    seen: dict[int, Any] = {}
    for cell in cells:
        seen.setdefault(id(cell._tc), cell)
    return list(seen.values())


def _bold_prefix(paragraph: Any, text: str) -> tuple[str, str] | None:
    """A bold run at the start with no colon after it: perhaps a speaker label set in bold."""
    prefix = ""
    for run in paragraph.runs:
        if not run.text:
            continue
        if not (run.bold or (run.bold is None and run.style is not None and run.style.font.bold)):
            break
        prefix += run.text
    label = prefix.strip()
    rest = text[len(prefix) :] if text.startswith(prefix) else ""
    if not label or not rest.strip() or label.endswith(":") or rest.lstrip().startswith(":"):
        return None
    if seconds(rest.strip()) is not None:
        return None  # `Name  0:03`: Otter's header line, a label already
    return label, rest.strip()


def _apply_bold_labels(lines: list[str], bold: Sequence[tuple[int, str, str]]) -> list[str]:
    """Give bold labels a colon when they recur (or are role words), so detection sees them."""
    counts = Counter(label for _, label, _ in bold)
    for index, label, rest in bold:
        if plausible_name(label) and (counts[label] >= 2 or is_role_word(label)):
            lines[index] = f"{label}: {rest}"
    return lines


def _table_lines(rows: Sequence[Sequence[str]]) -> Iterator[str]:
    for number, row in enumerate(rows):
        cells = [" ".join(cell.split()) for cell in row]
        cells = [cell for cell in cells if cell]
        if not cells:
            continue
        if number == 0 and all(cell.casefold() in _HEADER_CELLS for cell in cells):
            continue
        if len(cells) == 2 and plausible_name(cells[0]):
            yield f"{cells[0]}: {cells[1]}"
        elif len(cells) == 3 and seconds(cells[0]) is not None and plausible_name(cells[1]):
            yield f"[{cells[0]}] {cells[1]}: {cells[2]}"
        else:
            yield " ".join(cells)


def odt_lines(data: bytes, path: Path) -> list[str]:
    from odf.opendocument import load

    check_office_file(data, path, "OpenDocument (.odt)")
    lines: list[str] = []
    try:
        # odfpy prints a part it cannot parse, whole, to stdout: keep it off the report.
        with contextlib.redirect_stdout(io.StringIO()):
            document = load(io.BytesIO(data))
        _odt_walk(document.text, lines, Budget(path, "the document's text"))
    except InputError:
        raise
    except Exception as error:  # odfpy raises zip, XML and key errors for a bad file
        raise _damaged("OpenDocument (.odt)", path, error) from None
    return lines


def _odt_walk(element: Any, lines: list[str], budget: Budget) -> None:
    for child in element.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        namespace, name = child.qname
        if namespace == _TEXT_NS and name in ("p", "h"):
            lines.extend(_odt_text(child, budget).split("\n"))
        elif namespace == _TABLE_NS and name == "table":
            rows = [
                [
                    _odt_text(cell, budget)
                    for cell in row.childNodes
                    if cell.qname[1] == "table-cell"
                ]
                for row in _descendants(child, _TABLE_NS, "table-row")
            ]
            lines.extend(_table_lines(rows))
            lines.append("")
        elif namespace in (_TEXT_NS, _OFFICE_NS, _TABLE_NS) and name not in ("tracked-changes",):
            _odt_walk(child, lines, budget)


def _descendants(element: Any, namespace: str, name: str) -> Iterator[Any]:
    for child in element.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname == (namespace, name):
            yield child
        else:
            yield from _descendants(child, namespace, name)


def _odt_text(element: Any, budget: Budget) -> str:
    """A paragraph's text; footnotes and comments are not part of what was said. `<text:s
    text:c="N"/>` stands for N spaces: the text it expands to is counted against `budget`."""
    parts: list[str] = []
    for child in element.childNodes:
        if child.nodeType == child.TEXT_NODE:
            budget.take(len(child.data))
            parts.append(child.data)
            continue
        if child.nodeType != child.ELEMENT_NODE:
            continue
        namespace, name = child.qname
        if (namespace, name) in ((_TEXT_NS, "note"), (_OFFICE_NS, "annotation")):
            continue
        if namespace == _TEXT_NS and name == "line-break":
            parts.append("\n")
        elif namespace == _TEXT_NS and name == "tab":
            parts.append("\t")
        elif namespace == _TEXT_NS and name == "s":
            count = str(child.getAttribute("c") or "1").strip()
            # Digits only; any count longer than 12 digits is past the budget anyway.
            valid = count.isascii() and count.isdigit()
            spaces = int(count[:13]) if valid else 1
            budget.take(spaces)
            parts.append(" " * spaces)
        elif namespace == _TABLE_NS and name == "table-cell":
            parts.append(" " + _odt_text(child, budget))
        else:
            parts.append(_odt_text(child, budget))
    return "".join(parts)


def rtf_lines(data: bytes, path: Path) -> list[str]:
    from striprtf import striprtf

    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError(
            "this is not an RTF file (it does not start with '{\\rtf'); "
            "check the file or give it its real extension",
            path=path,
        )
    # RTF is 7-bit text; the code page named in its header decodes its \'xx escapes.
    page = re.search(rb"\\ansicpg(\d+)", data[:2000])
    encoding = f"cp{int(page.group(1))}" if page else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        convert = cast(Callable[..., str], striprtf.rtf_to_text)
        text = convert(data.decode("latin-1"), encoding=encoding, errors="replace")
    except Exception as error:  # striprtf raises assorted errors on a damaged file
        raise _damaged("RTF", path, error) from None
    return text.split("\n")


def pdf_lines(data: bytes, path: Path) -> list[str]:
    from pypdf import PdfReader

    try:
        # pypdf reports what it repairs as it reads (logging and warnings); none of it is the
        # researcher's to act on, and it would break the one-line-per-file report.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError(
                    "the PDF is password-protected; save an unprotected copy and import that",
                    path=path,
                )
            pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as error:  # pypdf raises PdfReadError, and others on a damaged file
        raise _damaged("PDF", path, error) from None
    if not any(page.strip() for page in pages):
        raise InputError(
            "the PDF has no text layer (it is probably a scan); run OCR on it first "
            "(for example with ocrmypdf) or import the transcript as .docx or .txt",
            path=path,
        )
    lines: list[str] = []
    for page in pages:
        lines.extend(_without_page_numbers(page.split("\n")))
    return lines


def _without_page_numbers(lines: list[str]) -> list[str]:
    """Drop a page number printed as the first or last line of a page."""
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and _PAGE_NUMBER.fullmatch(lines[-1].strip()):
        lines.pop()
    if lines and _PAGE_NUMBER.fullmatch(lines[0].strip()):
        lines.pop(0)
    return lines
