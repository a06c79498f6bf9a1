"""Reading REFI-QDA codebooks safely and tolerantly (the reading half of `coder.codebook.qdc`).

Files come from other people and other tools. The parser refuses DTDs and entities
(defusedxml); the reader repairs what it can (a duplicate name, a colour with an alpha channel,
a namespace variant, a missing GUID) with a warning naming the line, and refuses only what
cannot be used at all.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from coder import xmlsafe
from coder.codebook import description
from coder.codebook.checks import (
    FieldProblem,
    check_codebook,
    check_flag,
    check_guid,
    check_id,
    check_key,
    check_kind,
    check_patterns,
    clean_keyword,
    clean_name,
    clean_text,
    normal_guid,
    where,
)
from coder.codebook.spec import CodebookSpec, CodeSpec, Loaded, join_path, walk
from coder.errors import InputError
from coder.limits import MAX_BYTES, depth_problem, size_text
from coder.xmlsafe import children
from coder.xmlsafe import local as local_name

NAMESPACE = "urn:QDA-XML:codebook:1.0"
# The comment that carries the codebook's title, version, source and description.
META = "coder-codebook"
_MAX_SCHEMA_WARNINGS = 5
_T = TypeVar("_T")


@lru_cache(maxsize=1)
def _schema() -> Any:
    import xmlschema  # slow to import, and only needed here

    text = resources.files("coder.codebook").joinpath("schemas/Codebook-mrt2019.xsd")
    return xmlschema.XMLSchema(text.read_text(encoding="utf-8"))


def schema_errors(root: ET.Element) -> list[tuple[ET.Element | None, str]]:
    """Where and how a parsed codebook departs from the REFI-QDA schema ([] when valid)."""
    return [(error.elem, error.reason or str(error)) for error in _schema().iter_errors(root)]


def _parse(data: bytes, path: str | Path | None) -> tuple[ET.Element, dict[ET.Element, int]]:
    if len(data) > MAX_BYTES:
        raise InputError(
            f"is larger than the {size_text(MAX_BYTES)} limit; not a codebook", path=path
        )
    return xmlsafe.parse(data, path, what="codebook", broken="is it a .qdc file, and complete?")


def lenient_color(value: str) -> tuple[str | None, str | None]:
    """A colour as #rrggbb from the forms seen in the wild, and a note when something was lost."""
    value = value.strip()
    if match := re.fullmatch(r"#?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?", value):
        dropped = f"colour {value!r} has an alpha channel, which was dropped"
        return "#" + match.group(1).lower(), dropped if match.group(2) else None
    if match := re.fullmatch(r"#([0-9a-fA-F]{3})", value):
        return "#" + "".join(2 * c for c in match.group(1).lower()), None
    rgb = r"rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+%?\s*)?\)"
    if (match := re.fullmatch(rgb, value, re.IGNORECASE)) and all(
        int(c) < 256 for c in match.groups()
    ):
        return "#" + "".join(f"{int(c):02x}" for c in match.groups()), None
    return None, f"colour {value!r} is not a colour coder understands; it was left out"


class QdcReader:
    def __init__(self, data: bytes, path: str | Path | None) -> None:
        self.data = data
        self.path = path
        self.warnings: list[str] = []
        self.lines: dict[ET.Element, int] = {}
        self.extras = False

    def warn(self, element: ET.Element | None, message: str) -> None:
        line = self.lines.get(element) if element is not None else None
        self.warnings.append(f"{where(self.path, line)}{message}")

    def read(self, title: str | None, split_names: str | None) -> Loaded:
        root, self.lines = _parse(self.data, self.path)
        namespace, local = local_name(root.tag)
        codebook = root
        if local == "Project":
            found = children(root, "CodeBook")
            if not found:
                raise InputError("is a REFI-QDA project without a codebook", path=self.path)
            codebook = found[0]
            self.warn(root, "this is a project file; only its codebook was read")
        elif local != "CodeBook":
            raise InputError(
                f"starts with <{local}>, not <CodeBook>: it is not a REFI-QDA codebook (.qdc)",
                path=self.path,
                line=self.lines.get(root),
            )
        if local == "CodeBook" and namespace != NAMESPACE:
            self.warn(
                root,
                f"namespace {namespace!r} is not the standard {NAMESPACE!r} "
                "(some tools write a variant); the file was read anyway",
            )
        elif local == "CodeBook":
            self.schema_warnings(root)
        self.extras = (root.get("origin") or "").startswith("coder")
        codes_element = children(codebook, "Codes")
        if not codes_element:
            raise InputError("has no <Codes> element: there is nothing to read", path=self.path)
        for other in codebook:
            if local_name(other.tag)[1] not in ("Codes", ""):
                self.warn(
                    other, f"<{local_name(other.tag)[1]}> is not kept (coder has no place for it)"
                )
        codes = [self.code(child, 0) for child in children(codes_element[0], "Code")]
        if split_names:
            codes = _split_names(codes, split_names, set())
            for visit in walk(codes):  # splitting names nests codes deeper
                if problem := depth_problem(visit.depth):
                    raise InputError(problem, path=self.path, line=visit.code.line)
        self.repair(codes, ())
        self.drop_duplicates(codes)
        spec = self.metadata(codebook, codes, title)
        return Loaded(spec, self.warnings + check_codebook(spec, path=self.path))

    def schema_warnings(self, root: ET.Element) -> None:
        problems = schema_errors(root)
        for element, reason in problems[:_MAX_SCHEMA_WARNINGS]:
            self.warn(element, f"does not follow the REFI-QDA schema: {reason}")
        if len(problems) > _MAX_SCHEMA_WARNINGS:
            self.warn(None, f"{len(problems) - _MAX_SCHEMA_WARNINGS} more schema problems")

    def metadata(
        self, codebook: ET.Element, codes: list[CodeSpec], title: str | None
    ) -> CodebookSpec:
        meta: dict[str, Any] = {}
        for comment in codebook:
            text = comment.text or ""
            # Comments are the children whose tag is not a name.
            if not isinstance(comment.tag, str) and text.strip().startswith(META):
                try:
                    meta = json.loads(text.strip()[len(META) :])
                except json.JSONDecodeError:
                    self.warn(codebook, "the codebook's title and source could not be read")
                if not isinstance(meta, dict):
                    meta = {}
        texts = {
            field: self.tolerant(clean_text, value, codebook, field) or ""
            for field, value in meta.items()
            if isinstance(value, str)
        }
        stem = Path(self.path).stem if self.path is not None else ""
        name = title or texts.get("title") or stem or "Imported codebook"
        return CodebookSpec(
            title=self.tolerant(clean_name, name, codebook, "title") or "Imported codebook",
            codes=codes,
            version=texts.get("version") or None,
            source=texts.get("source", ""),
            description=texts.get("description", ""),
        )

    def tolerant(
        self, rule: Callable[[str], _T], value: str, element: ET.Element | None, what: str
    ) -> _T | None:
        try:
            return rule(value)
        except FieldProblem as exc:
            # Only the text rule's messages ("contains ...") do not say which field they are about.
            message = str(exc)
            if message.startswith("contains"):
                message = f"{what} {message}"
            self.warn(element, f"{message}; it was left out")
        except ValueError as exc:  # malformed JSON in coder's own fields
            self.warn(element, f"{what} could not be read ({exc}); it was left out")
        return None

    def code(self, element: ET.Element, depth: int) -> CodeSpec:
        if problem := depth_problem(depth):
            raise InputError(problem, path=self.path, line=self.lines.get(element))
        # A name is one line: line breaks and tabs (from character references) become spaces.
        name = re.sub(r"[\n\r\t]", " ", element.get("name") or "").strip()
        if not name:
            self.warn(element, "a code has no name; it was called 'Unnamed code'")
            name = "Unnamed code"
        code = CodeSpec(name=self.tolerant(clean_name, name, element, "name") or "Unnamed code")
        code.line = self.lines.get(element)
        if guid := element.get("guid"):
            code.guid = self.tolerant(check_guid, guid, element, "guid")
        if color := element.get("color"):
            code.color, note = lenient_color(color)
            if note:
                self.warn(element, note)
        text = "".join("".join(d.itertext()) for d in children(element, "Description"))
        self.texts(code, description.parse(text, extras=self.extras), element)
        if code.kind == "code" and (element.get("isCodable") or "").strip() in ("false", "0"):
            code.kind = "organizing-theme" if depth == 0 else "theme"
        for child in element:
            local = local_name(child.tag)[1]
            if local == "Code":
                code.children.append(self.code(child, depth + 1))
            elif local not in ("Description", ""):
                self.warn(child, f"<{local}> inside code {code.name!r} is not kept")
        return code

    def texts(self, code: CodeSpec, found: description.DescriptionFields, at: ET.Element) -> None:
        keep = self.tolerant
        code.definition = keep(clean_text, found.definition, at, "definition") or ""
        code.include = keep(clean_text, found.include, at, "include") or ""
        code.exclude = keep(clean_text, found.exclude, at, "exclude") or ""
        code.source = keep(clean_text, found.source, at, "source") or ""
        code.examples = [
            e for e in (keep(clean_text, x, at, "example") for x in found.examples) if e
        ]
        if found.kind is not None:
            code.kind = keep(check_kind, found.kind, at, "kind") or "code"
        if found.id is not None:
            code.id = keep(check_id, found.id, at, "id")
        if found.key is not None:
            code.key = keep(check_key, found.key, at, "shortcut key")
        if found.keywords is not None:
            for keyword in keep(description.parse_keywords, found.keywords, at, "keywords") or []:
                if (cleaned := keep(clean_keyword, keyword, at, "keyword")) is not None:
                    code.keywords.append(cleaned)
        if found.patterns is not None:
            code.patterns = keep(_patterns, found.patterns, at, "patterns") or []
        if found.exclusive is not None:
            code.exclusive = bool(keep(check_flag, found.exclusive, at, "exclusive"))

    def repair(self, codes: list[CodeSpec], parents: tuple[str, ...]) -> None:
        """Rename codes whose name a sibling already has (other tools allow it; coder cannot)."""
        seen: set[str] = set()
        for code in codes:
            base, number = code.name, 2
            while code.name.casefold() in seen:
                code.name, number = f"{base} ({number})", number + 1
            if code.name != base:
                where_ = join_path(parents) or "the top level"
                self.warnings.append(
                    f"{where(self.path, code.line)}a second code {base!r} under {where_} "
                    f"was renamed {code.name!r}"
                )
            seen.add(code.name.casefold())
            self.repair(code.children, (*parents, code.name))

    def drop_duplicates(self, codes: list[CodeSpec]) -> None:
        seen: dict[str, set[str]] = {"key": set(), "id": set(), "guid": set()}
        for visit in walk(codes):
            code, at = visit.code, where(self.path, visit.code.line)
            for attribute in ("key", "id", "guid"):
                value = getattr(code, attribute)
                if value is None:
                    continue
                folded = normal_guid(value) if attribute == "guid" else value
                if folded in seen[attribute]:
                    setattr(code, attribute, None)
                    self.warnings.append(
                        f"{at}{attribute} {value!r} of {visit.path!r} is already used; left out"
                    )
                seen[attribute].add(folded)


def _patterns(value: str) -> list[list[dict[str, Any]]]:
    return check_patterns(json.loads(value))


def _split_names(codes: list[CodeSpec], separator: str, made: set[int]) -> list[CodeSpec]:
    """Nest "A::B" under "A", making "A" when it does not exist (and filling it in when the
    real "A" comes later)."""
    result: list[CodeSpec] = []
    for code in codes:
        code.children = _split_names(code.children, separator, made)
        parts = [part.strip() for part in code.name.split(separator)]
        if not all(parts):
            parts = [code.name]
        level = result
        for part in parts[:-1]:
            holder = next((c for c in level if c.name.casefold() == part.casefold()), None)
            if holder is None:
                holder = CodeSpec(name=part, line=code.line)
                made.add(id(holder))
                level.append(holder)
            level = holder.children
        code.name = parts[-1]
        twin = next((c for c in level if c.name.casefold() == code.name.casefold()), None)
        if twin is not None and id(twin) in made:
            made.discard(id(twin))
            code.children = twin.children + code.children
            level[level.index(twin)] = code
        else:
            level.append(code)
    return result
