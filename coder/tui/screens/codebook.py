"""The codebook: the code tree with definitions, and every edit the CLI offers, undoable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree

from coder import model
from coder.codebook.tree import CodeTree
from coder.errors import CoderError
from coder.project import Project
from coder.tui.screens.dialogs import ConfirmModal, PromptModal
from coder.tui.screens.memo import MemoModal
from coder.tui.screens.palette import TOP, CodePalette
from coder.tui.undo import step_history

HELP = """\
[b]Codebook[/b]: the code tree, with each code's definition, criteria, examples and how
often it has been applied. Every change is logged and can be undone.

[b]↑ ↓ ← →[/b]   move in the tree, fold and unfold
[b]a[/b]         add a code under the highlighted one   [b]A[/b]  add a top-level code
[b]r[/b]         rename                                 [b]e[/b]  edit the definition
[b]k[/b]         set the shortcut key                   [b]m[/b]  move under another code
[b]g[/b]         merge into another code (its codings move there)
[b]x[/b]         retire (kept with its codings, no longer offered)
[b]delete[/b]    delete (only a code nobody has applied)
[b]h[/b]         show or hide retired and merged codes
[b]ctrl+z ctrl+y[/b]  undo / redo   [b]escape[/b]  back
"""


def describe_code(tree: CodeTree, code: model.Code, count: int) -> Text:
    """The detail panel: everything a coder needs to apply the code alike."""
    text = Text()
    text.append(tree.path(code), style="bold")
    facts = [code.kind.replace("-", " ")]
    if code.key:
        facts.append(f"key {code.key}")
    if code.status != "active":
        facts.append(code.status)
    facts.append(f"{count} coding{'' if count == 1 else 's'}")
    text.append("\n" + " · ".join(facts) + "\n", style="dim")
    for label, value in (
        ("Definition", code.definition),
        ("Use when", code.include),
        ("Do not use when", code.exclude),
    ):
        if value:
            text.append(f"\n{label}\n", style="bold")
            text.append(value.strip() + "\n")
    if code.examples:
        text.append("\nExamples\n", style="bold")
        for example in code.examples:
            text.append(f"“{example.strip()}”\n", style="italic")
    if code.source:
        text.append("\nSource\n", style="bold")
        text.append(code.source.strip() + "\n")
    if code.keywords:
        text.append("\nKeywords for suggestions\n", style="bold")
        text.append(", ".join(code.keywords) + "\n")
    if not (code.definition or code.include or code.exclude or code.examples):
        text.append("\nNo definition yet: press e to write one.", style="dim")
    return text


class CodebookScreen(Screen[None]):
    @dataclass
    class CodebookLoaded(Message):
        tree: CodeTree
        counts: dict[int, int]
        keep: int | None  # the code the cursor stays on

    HELP = HELP
    BINDINGS = [
        Binding("a", "add(False)", "Add", id="code-add"),
        Binding("A", "add(True)", "Add top", show=False, id="code-add-top"),
        Binding("r", "rename", "Rename", id="code-rename"),
        Binding("e", "definition", "Define", id="code-define"),
        Binding("k", "key", "Key", show=False, id="code-key"),
        Binding("m", "move", "Move", id="code-move"),
        Binding("g", "merge", "Merge", id="code-merge"),
        Binding("x", "retire", "Retire", id="code-retire"),
        Binding("delete", "delete", "Delete", id="code-delete"),
        Binding("h", "toggle_hidden", "Retired", show=False, id="code-hidden"),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
        Binding("ctrl+y", "redo", "Redo", id="redo"),
        Binding("escape", "app.pop_screen", "Back", id="back"),
    ]

    def __init__(self, project: Project, coder: str) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.show_hidden = False
        self.codes_tree = CodeTree([])
        self.counts: dict[int, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="codebook"):
            codes: Tree[model.Code] = Tree("Codebook", id="codebook-tree")
            codes.show_root = False
            codes.border_title = "Codes"
            yield codes
            with VerticalScroll(id="code-detail") as detail:
                detail.border_title = "Code"
                yield Static("", id="code-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Codebook"
        self.reload()
        self.query_one(Tree).focus()

    def reload(self, keep: int | None = None) -> None:
        """Read the codebook again, keeping the cursor on `keep` (default: where it is)."""
        current = self.current()
        self.read(keep if keep is not None else (current.id if current else None))

    @work(thread=True, exclusive=True, group="codebook")
    def read(self, keep: int | None) -> None:
        try:
            tree = self.project.codebook.tree(include_inactive=self.show_hidden)
            counts = self.project.codebook.coding_counts()
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(self.CodebookLoaded(tree, counts, keep))

    @on(CodebookLoaded)
    def show(self, loaded: CodebookLoaded) -> None:
        self.codes_tree, self.counts, keep = loaded.tree, loaded.counts, loaded.keep
        widget: Tree[model.Code] = self.query_one(Tree)
        widget.clear()
        lines: dict[int, int] = {}

        def add(node: Any, code: model.Code) -> None:
            label = Text()
            if code.key:
                label.append(f"[{code.key}] ", style="bold")
            label.append(code.name, style="dim strike" if code.status == "merged" else "")
            if code.status in ("retired", "split"):
                label.append(f"  {code.status}", style="dim italic")
            if self.counts.get(code.id):
                label.append(f"  {self.counts[code.id]}", style="dim")
            children = self.codes_tree.children(code)
            child = (
                node.add(label, data=code, expand=True)
                if children
                else node.add_leaf(label, data=code)
            )
            lines[code.id] = child.line
            for grandchild in children:
                add(child, grandchild)

        for root in self.codes_tree.roots():
            add(widget.root, root)
        if not self.codes_tree.codes:
            self.query_one("#code-text", Static).update(
                Text(
                    "The codebook is empty. Press A to add a first code, or load one from "
                    "the command line: coder codebook load -p PROJECT codebooks/alidina-2021.yaml"
                )
            )
            return
        self.call_after_refresh(self._restore_cursor, keep)

    def _restore_cursor(self, keep: int | None) -> None:
        widget: Tree[model.Code] = self.query_one(Tree)
        widget.cursor_line = max(widget.cursor_line, 0)
        for line in range(widget.last_line + 1):
            node = widget.get_node_at_line(line)
            if node is not None and node.data is not None and node.data.id == keep:
                widget.cursor_line = line
                break
        self.show_detail()

    def current(self) -> model.Code | None:
        node = self.query_one(Tree).cursor_node
        return node.data if node is not None else None

    @on(Tree.NodeHighlighted)
    def show_detail(self) -> None:
        code = self.current()
        if code is None or code.id not in self.codes_tree.by_id:
            return
        self.query_one("#code-text", Static).update(
            describe_code(self.codes_tree, code, self.counts.get(code.id, 0))
        )

    # -- editing -------------------------------------------------------------------------------

    def run(self, what: Callable[[], object], done: str, keep: int | None = None) -> None:
        """Do one edit; report it, or the reason it was refused."""
        try:
            what()
        except CoderError as error:
            self.notify(str(error), severity="error", timeout=6)
            return
        self.notify(f"{done} (ctrl+z to undo)", timeout=3)
        self.reload(keep)

    def _selected(self) -> model.Code | None:
        code = self.current()
        if code is None:
            self.notify("Highlight a code first.", severity="warning")
        return code

    def action_add(self, top: bool) -> None:
        parent = None if top else self.current()
        where = f"under {self.codes_tree.path(parent)}" if parent else "at the top level"

        def named(name: str | None) -> None:
            if name:
                path = self.codes_tree.path(parent) if parent else None
                self.run(
                    lambda: self.project.codebook.add(name, parent=path, actor=self.coder),
                    f"Added {name}",
                )

        self.app.push_screen(PromptModal(f"New code {where}", placeholder="name"), named)

    def action_rename(self) -> None:
        code = self._selected()
        if code is None:
            return
        path = self.codes_tree.path(code)

        def named(name: str | None) -> None:
            if name and name != code.name:
                self.run(
                    lambda: self.project.codebook.rename(
                        path, name, seen_version=code.version, actor=self.coder
                    ),
                    f"Renamed to {name}",
                    code.id,
                )

        self.app.push_screen(PromptModal(f"Rename {path}", value=code.name), named)

    def action_definition(self) -> None:
        code = self._selected()
        if code is None:
            return
        path = self.codes_tree.path(code)

        def written(text: str | None) -> None:
            if text is not None and text != code.definition:
                self.run(
                    lambda: self.project.codebook.edit(
                        path, definition=text, seen_version=code.version, actor=self.coder
                    ),
                    "Definition saved",
                    code.id,
                )

        self.app.push_screen(MemoModal(f"Definition of {path}", code.definition), written)

    def action_key(self) -> None:
        code = self._selected()
        if code is None:
            return
        path = self.codes_tree.path(code)

        def keyed(key: str | None) -> None:
            if key is not None:
                self.run(
                    lambda: self.project.codebook.edit(
                        path, key=key, seen_version=code.version, actor=self.coder
                    ),
                    f"Key {key} set",
                    code.id,
                )

        self.app.push_screen(
            PromptModal(f"Shortcut key for {path}", value=code.key or "", placeholder="one key"),
            keyed,
        )

    def action_move(self) -> None:
        code = self._selected()
        if code is None:
            return
        path = self.codes_tree.path(code)
        inside = frozenset({code.id, *(c.id for c in self.codes_tree.descendants(code))})

        def chosen(parent: model.Code | None) -> None:
            if parent is None:
                return
            target = None if parent is TOP else self.codes_tree.path(parent)
            self.run(
                lambda: self.project.codebook.move(path, target, actor=self.coder),
                f"Moved {code.name}",
                code.id,
            )

        self.app.push_screen(
            CodePalette(self.codes_tree, f"Move {path} under…", top_level=True, leave_out=inside),
            chosen,
        )

    def action_merge(self) -> None:
        code = self._selected()
        if code is None:
            return
        path = self.codes_tree.path(code)

        def chosen(target: model.Code | None) -> None:
            if target is None or target is TOP:
                return
            into = self.codes_tree.path(target)
            count = self.counts.get(code.id, 0)

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.run(
                        lambda: self.project.codebook.merge(path, into, actor=self.coder),
                        f"Merged {code.name} into {target.name}",
                        target.id,
                    )

            self.app.push_screen(
                ConfirmModal(
                    f"Merge {path} into {into}?",
                    f"Its {count} codings move to {into}; {code.name} stays in the history "
                    "as merged.",
                ),
                confirmed,
            )

        self.app.push_screen(
            CodePalette(self.codes_tree, f"Merge {path} into…", leave_out=frozenset({code.id})),
            chosen,
        )

    def action_retire(self) -> None:
        code = self._selected()
        if code is None:
            return
        path = self.codes_tree.path(code)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: self.project.codebook.retire(path, actor=self.coder), f"Retired {path}"
                )

        self.app.push_screen(
            ConfirmModal(
                f"Retire {path}?",
                "It keeps its codings but is no longer offered for coding (h shows it).",
            ),
            confirmed,
        )

    def action_delete(self) -> None:
        code = self._selected()
        if code is None:
            return
        path = self.codes_tree.path(code)
        count = self.counts.get(code.id, 0)
        if count:
            self.notify(
                f"{path} has {count} codings: merge it (g) or retire it (x) instead.",
                severity="warning",
                timeout=6,
            )
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: self.project.codebook.delete(path, actor=self.coder),
                    f"Deleted {path}",
                )

        self.app.push_screen(ConfirmModal(f"Delete {path}?", "Nobody has applied it."), confirmed)

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self.reload()
        self.notify("Showing retired and merged codes" if self.show_hidden else "Active codes only")

    def action_undo(self) -> None:
        self._history(self.project.undo)

    def action_redo(self) -> None:
        self._history(self.project.redo)

    def _history(self, step: Callable[..., str]) -> None:
        if step_history(self, step, self.coder):
            self.reload()
