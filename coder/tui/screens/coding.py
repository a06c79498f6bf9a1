"""Coding a transcript: read, select, apply codes from the keyboard, see what is coded.

What the keys do is in coding_actions.py (`CodingActions`, this screen's base)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.widgets import Header, Input, Static

from coder import model
from coder.codebook.tree import CodeTree
from coder.errors import CoderError
from coder.project import Project
from coder.tui import motion
from coder.tui.collector import Held, Unpainted
from coder.tui.screens.coding_actions import CodingActions
from coder.tui.screens.coding_data import code_counts, read_shown, split_suggestions, stripes_of
from coder.tui.screens.coding_help import HELP
from coder.tui.widgets.code_tree import CodeTreePanel, code_colors
from coder.tui.widgets.footer import KeyFooter
from coder.tui.widgets.transcript import TranscriptView

# How often the screen looks at the event log for others' work (a team on one server).
POLL_SECONDS = 3.0
NARROW = 100  # below this many columns the code tree starts hidden (ctrl+b shows it)
RELEASE_SECONDS = 5.0  # the longest the collector waits for the transcript to be shown
PAINT_SECONDS = 0.5  # the longest the previous screen stays up while the transcript is read


# Codings and pending suggestions, read together; rejected suggestions are never shown.
SHOWN_ORIGINS = tuple(o for o in model.CODING_ORIGINS if o != "rejected")
Row = tuple[int, int, int, int, str]  # coding id, code id, start, end, coder


def rows_of(frame: pd.DataFrame) -> list[Row]:
    columns = [frame[c].tolist() for c in ("id", "code_id", "start", "end", "coder")]
    return [
        (int(i), int(code), int(start), int(end), str(who))
        for i, code, start, end, who in zip(*columns, strict=True)
    ]


def shown_label(showing: str, me: str) -> str:
    return {
        "me": "your codings",
        "all": "all coders",
        model.CONSENSUS_CODER: "the consensus",
    }.get(showing, f"{showing}'s codings" if showing != me else "your codings")


class CodingScreen(CodingActions):
    """Reads happen in workers, which post what they read as a message (DocumentLoaded,
    CodingsRefreshed); the handlers only draw."""

    @dataclass
    class CodebookLoaded(Message):
        tree: CodeTree
        counts: dict[int, int]  # the codings shown per code

    @dataclass
    class DocumentLoaded(Message):
        document: model.Document
        turns: list[model.Segment]
        sentences: list[model.Segment]
        paragraphs: list[model.Segment]
        coders: list[str]
        refreshed: CodingScreen.CodingsRefreshed

    @dataclass
    class CodingsRefreshed(Message):
        codings: pd.DataFrame
        blind: bool
        memos: set[int]  # codings with a memo
        tree: CodeTree | None = None  # a new codebook, when it changed

    HELP = HELP
    BINDINGS = [
        Binding("enter", "palette", "Code", id="apply-code"),
        Binding("delete,backspace", "remove", "Remove", id="remove-coding"),
        Binding("slash", "search", "Search", id="search"),
        Binding("ctrl+o", "cycle_shown", "Show", id="toggle-others"),
        Binding("ctrl+b", "toggle_side", "Codes", id="toggle-side"),
        Binding("ctrl+r", "resize", "Resize", show=False, id="resize-coding"),
        Binding("plus", "review(True)", "Accept", show=False, id="accept-suggestion"),
        Binding("minus", "review(False)", "Reject", show=False, id="reject-suggestion"),
        Binding("ctrl+e", "memo", "Memo", show=False, id="memo"),
        Binding("ctrl+l", "list_codings", "List", show=False, id="list-codings"),
        Binding("ctrl+n", "next_uncoded", "Next uncoded", show=False, id="next-uncoded"),
        Binding("ctrl+t", "toggle_stripes", "Stripes", show=False, id="toggle-stripes"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="redo"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, project: Project, document: str, coder: str) -> None:
        super().__init__()
        self.project = project
        self.document_name = document
        self.coder = coder
        self.showing = "me"  # "me", another coder's name, "all", or "consensus"
        self.others: list[str] = []  # the other coders, for ctrl+o
        self.blind = False
        self.codes_tree = CodeTree([])
        self.codings: list[Row] = []
        self.memos: set[int] = set()
        self.mine_count = 0  # the coder's codings in this document, for the status line
        self.seen_event = 0  # the newest log entry this screen has taken into account
        self.suggestions: list[Row] = []  # the coder's pending ones
        self.search_term = ""
        self.side_chosen: bool | None = None  # the coder's ctrl+b, else by width
        self.collector = Held()
        self.unpainted = Unpainted()

    @property
    def show_others(self) -> bool:
        return self.showing != "me"

    def compose(self) -> ComposeResult:
        # The reading starts before the widgets are made and mounted, not after: it runs
        # beside that work instead of beside the first paint.
        self.collector.hold()
        self.unpainted.hold(self)
        self.load()
        yield Header()
        with Horizontal():
            yield TranscriptView(id="transcript")
            with Vertical(id="side"):
                selection = Static("", id="selection", classes="panel")
                selection.border_title = "Selection"
                yield selection
                codes = CodeTreePanel(id="codes")
                codes.border_title = "Codes"
                yield codes
        yield Input(placeholder="search the transcript (enter: find, escape: close)", id="search")
        yield Static("", id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = self.document_name
        self.query_one("#search", Input).display = False
        self.fit_side(self.app.size.width)
        # Until the transcript is painted (see coder/tui/collector.py); the timer lets it go
        # should the reading fail.
        self.set_timer(RELEASE_SECONDS, self.collector.release)
        self.set_timer(PAINT_SECONDS, self.unpainted.release)
        self.set_interval(POLL_SECONDS, self.poll_log)

    def _compositor_refresh(self) -> None:
        # No frame while the painting is held (Unpainted): the empty panels' frame cost as much
        # as the painted transcript's. Nothing is lost: the widgets and regions to paint stay
        # marked, and the first update after the release paints them all.
        if self.unpainted.held:
            return
        super()._compositor_refresh()

    def on_unmount(self) -> None:
        self.unpainted.release()
        self.collector.release()

    def on_resize(self, event: Resize) -> None:
        self.fit_side(event.size.width)

    def fit_side(self, width: int) -> None:
        side = self.query_one("#side")
        side.display = self.side_chosen if self.side_chosen is not None else width >= NARROW

    def action_toggle_side(self) -> None:
        side = self.query_one("#side")
        self.side_chosen = not side.display
        side.display = self.side_chosen

    def action_toggle_stripes(self) -> None:
        self.query_one(TranscriptView).toggle_stripes()

    # -- reading (in workers) -------------------------------------------------------------------

    def read_codings(self) -> CodingsRefreshed:
        """This document's codings as shown, with which have memos."""
        frame, blind, memos = read_shown(
            self.project, self.document_name, self.coder, self.showing, SHOWN_ORIGINS
        )
        return self.CodingsRefreshed(frame, blind, memos)

    @work(thread=True, exclusive=True, group="coding-load")
    def load(self) -> None:
        try:
            self.seen_event = self.project.team.last_event_id()
            # The codebook first, with its counts, and shown while the transcript is read:
            # the code tree is then laid out (its scrollbars too) before the transcript's
            # first paint, its labels made once.
            tree = self.project.codebook.tree()
            refreshed = self.read_codings()
            coded, _ = split_suggestions(refreshed.codings)
            self.post_message(
                self.CodebookLoaded(tree, code_counts(coded["code_id"].astype(int).tolist()))
            )
            document, segments = self.project.document_segments(
                self.document_name, ("turn", "sentence", "paragraph")
            )
            turns, sentences = segments["turn"], segments["sentence"]
            paragraphs = segments["paragraph"]
            coders = [
                c.name
                for c in self.project.coders()
                if c.name not in (self.coder, model.CONSENSUS_CODER)
            ]
        except CoderError as error:
            self.app.call_from_thread(self.unpainted.release)
            self.notify(str(error), severity="error")
            return
        self.post_message(
            self.DocumentLoaded(document, turns, sentences, paragraphs, coders, refreshed)
        )

    @on(CodebookLoaded)
    def show_codebook(self, loaded: CodebookLoaded) -> None:
        self.codes_tree = loaded.tree
        panel = self.query_one(CodeTreePanel)
        panel.fill(self.codes_tree, code_colors(self.codes_tree), loaded.counts)

    @on(DocumentLoaded)
    def show(self, loaded: DocumentLoaded) -> None:
        self.others = loaded.coders
        view = self.query_one(TranscriptView)
        view.load(loaded.document.text, loaded.turns, loaded.sentences, loaded.paragraphs)
        self.show_codings(loaded.refreshed)
        view.focus()
        # Painted once laid out: the widgets sized for the first time in that layout ask for
        # another, and the screen is painted after it, not before it and again.
        self.call_after_refresh(self.paint)

    def paint(self) -> None:
        self.unpainted.release()
        self.call_after_refresh(self.collector.release)

    @work(thread=True, exclusive=True, group="coding-refresh")
    def refresh_codings(self, tree: bool = False) -> None:
        """Read the codings again (and the codebook, with `tree`), after a change."""
        try:
            refreshed = self.read_codings()
            refreshed.tree = self.project.codebook.tree() if tree else None
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(refreshed)

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
            refreshed = self.read_codings()
            refreshed.tree = self.project.codebook.tree()
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(refreshed)

    @on(CodingsRefreshed)
    def show_codings(self, refreshed: CodingsRefreshed) -> None:
        panel = self.query_one(CodeTreePanel)
        self.blind = refreshed.blind
        self.memos = refreshed.memos
        coded, proposed = split_suggestions(refreshed.codings)
        self.codings = rows_of(coded)
        counts = code_counts(code for _, code, *_ in self.codings)
        if refreshed.tree is not None and refreshed.tree.codes != self.codes_tree.codes:
            self.codes_tree = refreshed.tree
            panel.fill(self.codes_tree, code_colors(self.codes_tree), counts)
        self.mine_count = sum(1 for *_, who in self.codings if who == self.coder)
        self.suggestions = rows_of(proposed[proposed["coder"] == self.coder])
        marks, colors, look = stripes_of(
            self.codings, self.suggestions, self.memos, self.codes_tree, self.coder
        )
        self.query_one(TranscriptView).set_marks(marks, colors, look)
        panel.set_counts(counts)
        self.describe_selection()

    def update_status(self) -> None:
        view = self.query_one(TranscriptView)
        start, end = view.selection.start, view.selection.end
        words = len(motion.WORD.findall(view.text[start:end])) if end > start else 0
        mine = self.mine_count
        showing = "blind: yours only" if self.blind else shown_label(self.showing, self.coder)
        parts = [f" {self.coder}", f"{words} word{'' if words == 1 else 's'} {start}–{end}"]
        if view.selecting:
            parts.append("SELECTING (tab: other end)")
        if self.search_term:
            parts.append(f"/{self.search_term} (n N)")
        parts += [f"showing {showing}", f"{mine} yours here"]
        look = view.look
        if look.several_coders:
            parts.append(" ".join(f"{p}{look.initials[c]}" for c, p in look.patterns.items()))
        self.query_one("#status", Static).update(" · ".join(parts), layout=False)

    @on(TranscriptView.SelectionChanged)
    def describe_selection(self) -> None:
        view = self.query_one(TranscriptView)
        start, end = view.selection.start, view.selection.end
        self.update_status()
        if not self.query_one("#side").display:
            return
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
        chosen = self.chosen()
        if chosen is not None:
            summary.append(
                f"\nchosen: {self.name_of(chosen[1])} by {chosen[4]}"
                " (a code key recodes, ctrl+r resizes)",
                style="bold",
            )
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
        self.query_one("#selection", Static).update(summary, layout=False)

    def name_of(self, code_id: int) -> str:
        code = self.codes_tree.by_id.get(code_id)
        return self.codes_tree.label(code) if code is not None else "code"
