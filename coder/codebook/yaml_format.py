"""The YAML codebook format: read with line-accurate messages, write stable, readable files.

The format is described in docs/codebook-format.md. Reading works on PyYAML's node tree
(`compose`) instead of loaded Python values, because nodes remember where they start: every
message names the file and line of the problem. Plain scalars are taken as written, so
`version: 1.10` stays "1.10" and a code named `yes` or `2019` keeps its name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coder.codebook.checks import (
    FLAGS,
    FieldProblem,
    check_codebook,
    check_color,
    check_guid,
    check_id,
    check_key,
    check_kind,
    check_token,
    clean_keyword,
    clean_name,
    clean_text,
    did_you_mean,
)
from coder.codebook.spec import CodebookSpec, CodeSpec, Loaded
from coder.errors import InputError, ValidationError
from coder.limits import MAX_DEPTH, depth_problem, read_limited

TOP_FIELDS = ("title", "version", "source", "description", "codes")
CODE_FIELDS = (
    "name",
    "kind",
    "id",
    "guid",
    "definition",
    "include",
    "exclude",
    "examples",
    "source",
    "color",
    "key",
    "keywords",
    "patterns",
    "exclusive",
    "children",
)
_NULL = "tag:yaml.org,2002:null"
# libyaml's parser when installed: the pure-Python one takes most of the time on a big codebook.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# YAML levels: each level of codes takes two (the list and the code's mapping), and a code's
# spaCy patterns up to 24 more (patterns, tokens, and values nested up to 20 deep).
_MAX_NESTING = 2 * MAX_DEPTH + 30


def load_yaml(source: str | Path, *, path: str | Path | None = None) -> Loaded:
    """Read a YAML codebook from a file (`Path`) or from YAML text (`str`).

    `path` names the text in messages when `source` is a string. Raises `InputError` for a file
    that cannot be read or parsed and `ValidationError` for one that breaks a rule; returns the
    codebook with warnings (see `Loaded`).
    """
    if isinstance(source, Path):
        path = source
        text = read_text(source)
    else:
        text = source
    return _Reader(text, path).read()


def read_text(path: Path) -> str:
    data = read_limited(path, "codebook")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"is not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again",
            path=path,
            line=line,
        ) from None


class _Reader:
    def __init__(self, text: str, path: str | Path | None) -> None:
        self.text = text
        self.path = path
        self.loader: yaml.SafeLoader

    def fail(self, message: str, node: Node | None) -> NoReturn:
        line = node.start_mark.line + 1 if node is not None else None
        raise ValidationError(message, path=self.path, line=line)

    def read(self) -> Loaded:
        try:
            self.check_shape()
            # The loader checks for unprintable characters as soon as it is made.
            self.loader = _Loader(self.text)
            root = self.loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise self.syntax_error(exc) from None
        except yaml.reader.ReaderError as exc:
            line = self.text.count("\n", 0, max(exc.position, 0)) + 1
            raise InputError(
                f"character U+{exc.character:04X} cannot appear in a YAML file; delete it"
                if isinstance(exc.character, int)
                else f"unreadable YAML: {exc.reason}",
                path=self.path,
                line=line,
            ) from None
        if root is None:
            raise InputError(
                "the file is empty; a codebook needs a title and codes", path=self.path
            )
        spec = self.codebook(root)
        return Loaded(spec, check_codebook(spec, path=self.path))

    def check_shape(self) -> None:
        """Before composing (which recurses once per level, and in C with libyaml): refuse
        nesting deeper than any codebook needs, and aliases, which can make a small file
        expand into an enormous one ("billion laughs") and are never needed in a codebook."""
        events = _Loader(self.text)
        depth = 0
        try:
            while events.check_event():
                event = events.get_event()  # type: ignore[no-untyped-call]
                if isinstance(event, yaml.AliasEvent):
                    raise ValidationError(
                        f"this value is repeated through a YAML alias (*{event.anchor}); write "
                        "each value out (coder refuses aliases: they can expand a small file "
                        "into an enormous one)",
                        path=self.path,
                        line=_event_line(event),
                    )
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > _MAX_NESTING:
                        raise ValidationError(
                            f"the YAML is nested more than {_MAX_NESTING} levels deep here; "
                            f"coder accepts up to {MAX_DEPTH} levels of sub-codes",
                            path=self.path,
                            line=_event_line(event),
                        )
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
        finally:
            events.dispose()

    def syntax_error(self, exc: yaml.MarkedYAMLError) -> InputError:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        opened = exc.context_mark
        if opened is not None and line is not None and opened.line + 1 != line:
            problem += f" (it started on line {opened.line + 1})"
        lines = self.text.split("\n")
        if line is not None and line <= len(lines) and "\t" in lines[line - 1]:
            hint = "YAML does not allow tabs for indentation: use spaces"
        else:
            hint = (
                "check the indentation, and put quotes around values that contain ': ' "
                "or start with '#', '[', '{', '*', '&' or '!'"
            )
        return InputError(f"YAML syntax error: {problem}; {hint}", path=self.path, line=line)

    # -- structure --------------------------------------------------------------------------

    def mapping(self, node: Node, known: tuple[str, ...], what: str) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            self.fail(
                f"{what} must be a mapping of fields (field: value), not {_shape(node)}", node
            )
        fields: dict[str, Node] = {}
        firsts: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key == "<<":
                self.fail(f"{what}: field names must be plain words such as 'name'", key_node)
            if key in firsts:
                first = firsts[key].start_mark.line + 1
                self.fail(f"field {key!r} is given twice (first on line {first})", key_node)
            if key not in known:
                hint = did_you_mean(key, known) or f"; known fields: {', '.join(known)}"
                self.fail(f"unknown field {key!r}{hint}", key_node)
            firsts[key] = key_node
            fields[key] = value_node
        return fields

    def codebook(self, root: Node) -> CodebookSpec:
        if isinstance(root, ScalarNode) and root.value.endswith((".yaml", ".yml")):
            self.fail(
                f"this is the text {root.value!r}, not a codebook; "
                "to read a file, pass a Path (load_yaml(Path(...)))",
                root,
            )
        fields = self.mapping(root, TOP_FIELDS, "a codebook file")
        if "title" not in fields:
            self.fail("the codebook has no 'title'; add one, e.g. title: My study", root)
        if "codes" not in fields:
            self.fail("the codebook has no 'codes'; add the list of codes", root)
        title = self.text_field(fields, "title")
        try:
            clean_name(title, "the codebook")
        except FieldProblem as exc:
            self.fail(f"'title': {exc}", fields["title"])
        version = self.text_field(fields, "version") or None
        return CodebookSpec(
            title=title,
            version=version,
            source=self.text_field(fields, "source"),
            description=self.text_field(fields, "description"),
            codes=self.codes(fields["codes"], depth=0),
        )

    def codes(self, node: Node, depth: int) -> list[CodeSpec]:
        if _is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            self.fail(
                f"a list of codes (each starting with '- name:') is expected, not {_shape(node)}",
                node,
            )
        if problem := depth_problem(depth):
            self.fail(problem, node)
        return [self.code(item, depth) for item in node.value]

    def code(self, node: Node, depth: int) -> CodeSpec:
        fields = self.mapping(node, CODE_FIELDS, "a code")
        if "name" not in fields:
            self.fail("this code has no 'name'; every code needs one", node)
        code = CodeSpec(name=self.checked(fields, "name", clean_name), line=_line(node))
        code.kind = self.checked(fields, "kind", check_kind) if "kind" in fields else "code"
        code.definition = self.text_field(fields, "definition")
        code.include = self.text_field(fields, "include")
        code.exclude = self.text_field(fields, "exclude")
        code.examples = self.text_list(fields, "examples", clean_text)
        code.source = self.text_field(fields, "source")
        code.keywords = self.text_list(fields, "keywords", clean_keyword)
        if "color" in fields and _is_null(fields["color"]):
            self.fail(
                "'color' is empty; in YAML a '#' starts a comment, so quote the colour: "
                'color: "#d55e00"',
                fields["color"],
            )
        code.color = self.optional(fields, "color", check_color)
        code.key = self.optional(fields, "key", check_key)
        code.id = self.optional(fields, "id", check_id)
        code.guid = self.optional(fields, "guid", check_guid)
        if "patterns" in fields:
            code.patterns = self.patterns(fields["patterns"])
        if "exclusive" in fields:
            node = fields["exclusive"]
            if not isinstance(node, ScalarNode) or node.value.casefold() not in FLAGS:
                self.fail("'exclusive' is true or false", node)
            code.exclusive = FLAGS[node.value.casefold()]
        if "children" in fields:
            code.children = self.codes(fields["children"], depth + 1)
        return code

    # -- values -----------------------------------------------------------------------------

    def scalar(self, node: Node, field: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.fail(f"'{field}' must be text, not {_shape(node)}", node)
        return None if _is_null(node) else str(node.value)

    def checked(self, fields: dict[str, Node], field: str, rule: Callable[[str], str]) -> str:
        node = fields[field]
        value = self.scalar(node, field) or ""
        try:
            return rule(value)
        except FieldProblem as exc:
            # Only the text rule's messages ("contains ...") do not say which field they are about.
            message = str(exc)
            self.fail(f"'{field}' {message}" if message.startswith("contains") else message, node)

    def optional(
        self, fields: dict[str, Node], field: str, rule: Callable[[str], str]
    ) -> str | None:
        if field not in fields or _is_null(fields[field]):
            return None
        return self.checked(fields, field, rule)

    def text_field(self, fields: dict[str, Node], field: str) -> str:
        if field not in fields or _is_null(fields[field]):
            return ""
        return self.checked(fields, field, clean_text)

    def text_list(
        self, fields: dict[str, Node], field: str, rule: Callable[[str], str]
    ) -> list[str]:
        node = fields.get(field)
        if node is None or _is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            self.fail(
                f"'{field}' must be a list, not {_shape(node)}; "
                f'write {field}: ["first", "second"] or one "- item" per line',
                node,
            )
        values: list[str] = []
        for item in node.value:
            text = self.checked({field: item}, field, rule)
            if not text:
                self.fail(f"'{field}' has an empty item; remove it", item)
            values.append(text)
        return values

    def patterns(self, node: Node) -> list[list[dict[str, Any]]]:
        if _is_null(node):
            return []
        example = "e.g. - [{LOWER: meeting}, {LOWER: time}]"
        if not isinstance(node, SequenceNode):
            self.fail(f"'patterns' must be a list of patterns, not {_shape(node)}; {example}", node)
        patterns: list[list[dict[str, Any]]] = []
        for number, pattern in enumerate(node.value, 1):
            if not isinstance(pattern, SequenceNode) or not pattern.value:
                self.fail(
                    f"pattern {number} must be a non-empty list of token mappings, "
                    f"not {_shape(pattern)}; {example}",
                    pattern,
                )
            tokens: list[dict[str, Any]] = []
            for place, token in enumerate(pattern.value, 1):
                if not isinstance(token, MappingNode):
                    self.fail(
                        f"pattern {number}, token {place} must be a mapping such as "
                        f"{{LOWER: meeting}}, not {_shape(token)}",
                        token,
                    )
                value = self.loader.construct_object(token, deep=True)
                try:
                    tokens.append(check_token(value))
                except FieldProblem as exc:
                    self.fail(f"pattern {number}, token {place}: {exc}", token)
            patterns.append(tokens)
        return patterns


def _event_line(event: yaml.Event) -> int | None:
    return None if event.start_mark is None else int(event.start_mark.line) + 1


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _shape(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "empty" if _is_null(node) else f"the text {node.value!r}"


# -- writing ----------------------------------------------------------------------------------


class _Flow(list[Any]):
    """A list written on one line: keywords, and each spaCy pattern."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent lists under their key ("codes:\n  - name: ..."), as people write them.
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)


def _code_data(code: CodeSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"name": code.name}
    if code.kind != "code":
        data["kind"] = code.kind
    optional: list[tuple[str, Any]] = [
        ("id", code.id),
        ("guid", code.guid),
        ("definition", code.definition),
        ("include", code.include),
        ("exclude", code.exclude),
        ("examples", list(code.examples)),
        ("source", code.source),
        ("color", code.color.lower() if code.color else None),
        ("key", code.key),
        ("keywords", _Flow(code.keywords)),
        ("patterns", [_Flow(pattern) for pattern in code.patterns]),
        ("exclusive", code.exclusive),
        ("children", [_code_data(child) for child in code.children]),
    ]
    data.update((field, value) for field, value in optional if value)
    return data


def dump_yaml(spec: CodebookSpec) -> str:
    """The codebook as YAML: fields in a fixed order, empty ones left out, multi-line texts as
    literal blocks. `load_yaml(dump_yaml(spec))` gives back an equal codebook."""
    check_codebook(spec)
    data: dict[str, Any] = {"title": spec.title}
    if spec.version:
        data["version"] = spec.version
    if spec.source:
        data["source"] = spec.source
    if spec.description:
        data["description"] = spec.description
    data["codes"] = [_code_data(code) for code in spec.codes]
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
