"""Coding a transcript: read, select, apply codes from the keyboard, see what is coded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree
from textual.widgets.tree import TreeNode

from coder import model
from coder.codebook.tree import CodeTree
from coder.errors import CoderError
from coder.project import Project
from coder.tui.layout import Mark
from coder.tui.screens.palette import CodePalette
from coder.tui.undo import step_history
from coder.tui.widgets.transcript import TranscriptView

# Colour-blind-safe colours (Okabe–Ito and Paul Tol) for codes that have none.
PALETTE = [
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#f0e442",
    "#0072b2",
    "#d55e00",
    "#cc79a7",
    "#44aa99",
    "#882255",
    "#999933",
    "#aa4499",
    "#332288",
    "#117733",
    "#88ccee",
]

# How often the screen looks at the event log for others' work (a team on one server).
POLL_SECONDS = 3.0

HELP = """\
[b]Coding[/b]: select text with the keyboard, then apply a code.

[b]↑ ↓[/b]            previous / next sentence
[b]shift+↑ ↓[/b]      shrink / extend the selection by a sentence
[b]← →[/b]            shrink / extend the selection by a word
[b]space[/b]          select the whole speaker turn
[b]a letter/digit[/b] apply the code with that shortcut key (shown as \\[x] in the tree)
[b]enter[/b]          choose a code by name
[b]delete[/b]         remove your coding under the selection
[b]+ -[/b]            accept / reject the suggestion under the selection (underlined)
[b]ctrl+l[/b]         list this document's codings and jump to one
[b]ctrl+e[/b]         write a memo on that coding
[b]ctrl+n[/b]         jump to the next participant turn you have not coded
[b]ctrl+o[/b]         show other coders' codings too (not while the project is blind)
[b]ctrl+z ctrl+y[/b]  undo / redo your last change
[b]tab[/b]            move between the transcript and the code tree
[b]escape[/b]         back
"""


# Codings and pending suggestions, read together; rejected suggestions are never shown.
SHOWN_ORIGINS = tuple(o for o in model.CODING_ORIGINS if o != "rejected")


def rows_of(frame: pd.DataFrame) -> list[tuple[int, int, int, int, str]]:
    return [
        (int(r["id"]), int(r["code_id"]), int(r["start"]), int(r["end"]), str(r["coder"]))
        for r in frame.to_dict("records")
    ]


class CodingScreen(Screen[None]):
    """Reads happen in workers, which post what they read as a message (DocumentLoaded,
    CodingsRefreshed); the handlers only draw."""

    @dataclass
    class DocumentLoaded(Message):
        document: model.Document
        turns: list[model.Segment]
        sentences: list[model.Segment]
        tree: CodeTree
        blind: bool
        codings: pd.DataFrame
        # Each paragraph's own start time goes in the margin (a turn can be several).
        paragraphs: list[model.Segment]

    @dataclass
    class CodingsRefreshed(Message):
        codings: pd.DataFrame
        blind: bool
        tree: CodeTree | None = None  # a new codebook, when it changed

    HELP = HELP
    BINDINGS = [
        Binding("enter", "palette", "Apply code", id="apply-code"),
        Binding("delete,backspace", "remove", "Remove", id="remove-coding"),
        Binding("plus", "review(True)", "Accept", id="accept-suggestion"),
        Binding("minus", "review(False)", "Reject", id="reject-suggestion"),
        Binding("ctrl+e", "memo", "Memo", id="memo"),
        Binding("ctrl+l", "list_codings", "List", id="list-codings"),
        Binding("ctrl+n", "next_uncoded", "Next uncoded", id="next-uncoded"),
        Binding("ctrl+o", "toggle_others", "Others", id="toggle-others"),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
        Binding("ctrl+y", "redo", "Redo", id="redo"),
        Binding("escape", "app.pop_screen", "Back", id="back"),
    ]

    def __init__(self, project: Project, document: str, coder: str) -> None:
        super().__init__()
        self.project = project
        self.document_name = document
        self.coder = coder
        self.show_others = False
        self.blind = False
        self.codes_tree = CodeTree([])
        self.codings: list[tuple[int, int, int, int, str]] = []  # id, code, start, end, coder
        self.seen_event = 0  # the newest log entry this screen has taken into account
        self.suggestions: list[tuple[int, int, int, int, str]] = []  # the coder's pending ones

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield TranscriptView(id="transcript")
            with Vertical(id="side"):
                selection = Static("", id="selection", classes="panel")
                selection.border_title = "Selection"
                yield selection
                codes: Tree[model.Code] = Tree("Codes", id="codes")
                codes.show_root = False
                codes.border_title = "Codes"
                yield codes
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.document_name
        self.load()
        self.set_interval(POLL_SECONDS, self.poll_log)

    # -- reading (in workers) -------------------------------------------------------------------

    def read_codings(self) -> tuple[pd.DataFrame, bool]:
        """This document's codings as shown: the coder's own, or everyone's when asked for
        outside the blind phase (the API refuses others' codings while blind)."""
        blind = self.project.phase == "blind"
        coders = None if (self.show_others and not blind) else [self.coder]
        frame = self.project.coding.frame(
            documents=[self.document_name], coders=coders, origins=SHOWN_ORIGINS
        )
        return frame, blind

    @work(thread=True, exclusive=True, group="coding-load")
    def load(self) -> None:
        try:
            self.seen_event = self.project.team.last_event_id()
            document = self.project.document(self.document_name)
            turns = self.project.segments(self.document_name, "turn")
            paragraphs = self.project.segments(self.document_name, "paragraph")
            sentences = self.project.segments(self.document_name, "sentence")
            tree = self.project.codebook.tree()
            codings, blind = self.read_codings()
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(
            self.DocumentLoaded(document, turns, sentences, tree, blind, codings, paragraphs)
        )

    @on(DocumentLoaded)
    def show(self, loaded: DocumentLoaded) -> None:
        self.codes_tree = loaded.tree
        view = self.query_one(TranscriptView)
        view.load(loaded.document.text, loaded.turns, loaded.sentences, loaded.paragraphs)
        self.fill_tree()
        self.show_codings(self.CodingsRefreshed(loaded.codings, loaded.blind))
        view.focus()

    @work(thread=True, exclusive=True, group="coding-refresh")
    def refresh_codings(self, tree: bool = False) -> None:
        """Read the codings again (and the codebook, with `tree`), after a change."""
        try:
            codings, blind = self.read_codings()
            codebook = self.project.codebook.tree() if tree else None
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(self.CodingsRefreshed(codings, blind, codebook))

    @work(thread=True, exclusive=True, group="coding-poll")
    def poll_log(self) -> None:
        """Pick up what other coders and leads did since the last look, as the log tells."""
        try:
            events = self.project.team.changes_since(self.seen_event)
            if not events:
                return
            self.seen_event = events[-1].id
            if all(event.actor == self.coder for event in events):
                return
            codings, blind = self.read_codings()
            tree = self.project.codebook.tree()
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(self.CodingsRefreshed(codings, blind, tree))

    def fill_tree(self) -> None:
        widget: Tree[model.Code] = self.query_one("#codes", Tree)
        widget.clear()

        def add(node: TreeNode[model.Code], code: model.Code) -> None:
            children = self.codes_tree.children(code)
            label = Text.assemble((f"[{code.key}] ", "bold") if code.key else "", code.name)
            if children:
                branch = node.add(label, data=code, expand=True)
                for child in children:
                    add(branch, child)
            else:
                node.add_leaf(label, data=code)

        for root in self.codes_tree.roots():
            add(widget.root, root)

    def code_colors(self) -> dict[int, str]:
        return {
            code.id: code.color or PALETTE[index % len(PALETTE)]
            for index, (code, _) in enumerate(self.codes_tree.walk())
        }

    @on(CodingsRefreshed)
    def show_codings(self, refreshed: CodingsRefreshed) -> None:
        if refreshed.tree is not None and refreshed.tree.codes != self.codes_tree.codes:
            self.codes_tree = refreshed.tree
            self.fill_tree()
        self.blind = refreshed.blind
        frame = refreshed.codings
        proposed = frame["origin"] == "suggested"
        self.codings = rows_of(frame[~proposed])
        self.suggestions = rows_of(frame[proposed & (frame["coder"] == self.coder)])
        marks = [Mark(start, end, code, coding) for coding, code, start, end, _ in self.codings]
        marks += [Mark(s, e, code, coding, True) for coding, code, s, e, _ in self.suggestions]
        self.query_one(TranscriptView).set_marks(marks, self.code_colors())
        self.update_status()
        self.describe_selection()

    def update_status(self) -> None:
        mine = sum(1 for *_, who in self.codings if who == self.coder)
        mode = (
            "blind: only your codings"
            if self.blind
            else ("all coders" if self.show_others else "your codings")
        )
        self.query_one("#status", Static).update(
            f" {self.coder} · {mine} codings here · showing {mode} · ? for help"
        )

    @on(TranscriptView.SelectionChanged)
    def describe_selection(self) -> None:
        view = self.query_one(TranscriptView)
        start, end = view.selection.start, view.selection.end
        excerpt = " ".join(view.text[start:end].split())
        if len(excerpt) > 160:
            excerpt = excerpt[:157] + "…"
        here = [
            self.codes_tree.label(self.codes_tree.by_id[code])
            for _, code, s, e, _ in self.codings
            if s < end and e > start and code in self.codes_tree.by_id
        ]
        coded = ", ".join(dict.fromkeys(here)) or "not coded"
        summary = Text.assemble(excerpt, "\n\n", (f"{start}-{end}", "dim"), f" · {coded}")
        proposed = [
            self.codes_tree.label(self.codes_tree.by_id[code])
            for _, code, s, e, _ in self.suggestions
            if s < end and e > start and code in self.codes_tree.by_id
        ]
        if proposed:
            summary.append(
                f"\nsuggested: {', '.join(dict.fromkeys(proposed))} (+ accept, - reject)",
                style="italic",
            )
        self.query_one("#selection", Static).update(summary)

    # -- actions -------------------------------------------------------------------------------

    def apply_code(self, code: model.Code) -> None:
        view = self.query_one(TranscriptView)
        start, end = view.selection.start, view.selection.end
        try:
            applied = self.project.coding.apply(
                self.document_name, self.codes_tree.path(code), start, end, coder=self.coder
            )
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        verb = "Coded" if applied.created else "Already coded"
        self.notify(f"{verb} as {self.codes_tree.label(code)}", timeout=2)
        if applied.created:
            # Known at once, for the keys pressed before the refresh below comes back.
            self.codings.append((applied.coding_id, code.id, start, end, self.coder))
        self.refresh_codings()

    def on_key(self, event: Key) -> None:
        if not isinstance(self.focused, TranscriptView) or event.character is None:
            return
        for code in self.codes_tree.codes:
            if code.key and code.key == event.character and code.status == "active":
                event.stop()
                self.apply_code(code)
                return

    def action_palette(self) -> None:
        if isinstance(self.focused, Tree):
            node = self.query_one("#codes", Tree).cursor_node
            if node is not None and node.data is not None:
                self.apply_code(node.data)
            return

        def chosen(code: model.Code | None) -> None:
            if code is not None:
                self.apply_code(code)

        self.app.push_screen(CodePalette(self.codes_tree), chosen)

    def _mine_under_selection(self) -> tuple[int, int, int, int, str] | None:
        view = self.query_one(TranscriptView)
        start, end = view.selection.start, view.selection.end
        mine = [c for c in self.codings if c[4] == self.coder and c[2] < end and c[3] > start]
        return min(mine, key=lambda c: c[3] - c[2]) if mine else None

    def action_remove(self) -> None:
        target = self._mine_under_selection()
        if target is None:
            self.notify("None of your codings is under the selection.", severity="warning")
            return
        try:
            self.project.coding.remove(target[0], actor=self.coder)
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.codings.remove(target)
        name = (
            self.codes_tree.label(self.codes_tree.by_id[target[1]])
            if target[1] in self.codes_tree.by_id
            else "code"
        )
        self.notify(f"Removed {name} (ctrl+z to undo)", timeout=3)
        self.refresh_codings()

    def action_memo(self) -> None:
        from coder.tui.screens.memo import MemoModal

        target = self._mine_under_selection()
        if target is None:
            self.notify("Select one of your codings to write a memo on it.", severity="warning")
            return

        def written(text: str | None) -> None:
            if text:
                self.project.memos.add(f"coding:{target[0]}", text, actor=self.coder)
                self.notify("Memo saved", timeout=2)

        self.app.push_screen(MemoModal("Memo on this coding"), written)

    def action_next_uncoded(self) -> None:
        view = self.query_one(TranscriptView)
        mine = [(s, e) for _, _, s, e, who in self.codings if who == self.coder]
        for turn in view.turns:
            if turn.start <= view.selection.start or turn.speaker_role == "interviewer":
                continue
            if not any(s < turn.end and e > turn.start for s, e in mine):
                view.select(turn.start, turn.end)
                return
        self.notify("No uncoded participant turn after this point.", timeout=3)

    def action_toggle_others(self) -> None:
        if self.blind:
            self.notify("The project is in the blind phase: only your codings are shown.")
            return
        self.show_others = not self.show_others
        self.refresh_codings()

    def action_undo(self) -> None:
        self._history(self.project.undo)

    def action_redo(self) -> None:
        self._history(self.project.redo)

    def _history(self, step: Callable[..., str]) -> None:
        if step_history(self, step, self.coder):
            self.refresh_codings(tree=True)

    def action_review(self, accept: bool) -> None:
        view = self.query_one(TranscriptView)
        start, end = view.selection.start, view.selection.end
        under = [c for c in self.suggestions if c[2] < end and c[3] > start]
        if not under:
            self.notify("No suggestion under the selection.", severity="warning")
            return
        ids = [c[0] for c in under]
        try:
            if accept:
                self.project.coding.accept(ids, actor=self.coder)
            else:
                self.project.coding.reject(ids, actor=self.coder)
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        names = ", ".join(
            dict.fromkeys(
                self.codes_tree.label(self.codes_tree.by_id[c[1]])
                for c in under
                if c[1] in self.codes_tree.by_id
            )
        )
        verb = "Accepted" if accept else "Rejected"
        self.notify(f"{verb} {names} (ctrl+z to undo)", timeout=3)
        self.refresh_codings()

    def action_list_codings(self) -> None:
        from coder.tui.screens.codings_list import CodingsList

        text = self.query_one(TranscriptView).text
        entries = [
            (start, end, self.codes_tree.path(self.codes_tree.by_id[code]), who, text[start:end])
            for _, code, start, end, who in sorted(self.codings, key=lambda c: (c[2], c[3]))
            if code in self.codes_tree.by_id
        ]

        def chosen(span: tuple[int, int] | None) -> None:
            if span is not None:
                self.query_one(TranscriptView).select(*span)

        self.app.push_screen(CodingsList(entries), chosen)
