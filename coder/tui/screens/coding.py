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
from textual.events import Key, Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Static, Tree

from coder import model
from coder.codebook.tree import CodeTree
from coder.errors import CoderError
from coder.project import Project
from coder.tui import motion
from coder.tui.collector import Held, Unpainted
from coder.tui.screens.coding_data import code_counts, read_shown, split_suggestions, stripes_of
from coder.tui.screens.coding_help import HELP
from coder.tui.screens.palette import CodePalette
from coder.tui.undo import step_history
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


class CodingScreen(Screen[None]):
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

    # -- actions -------------------------------------------------------------------------------

    def chosen(self) -> Row | None:
        """The coding whose stripe is chosen, if any."""
        chosen = self.query_one(TranscriptView).selected_coding
        return next((c for c in self.codings if c[0] == chosen), None)

    def apply_code(self, code: model.Code) -> None:
        view = self.query_one(TranscriptView)
        chosen = self.chosen()
        if chosen is not None and not view.selecting:
            self.change(chosen, code=code)
            return
        start, end = view.selection.start, view.selection.end
        if end <= start:
            self.notify("Select some text first (move an end of the selection).")
            return
        try:
            applied = self.project.coding.apply(
                self.document_name, self.codes_tree.path(code), start, end, coder=self.coder
            )
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        verb = "Coded" if applied.created else "Already coded"
        self.notify(f"{verb} as {self.codes_tree.label(code)}", timeout=2)
        if view.selecting:
            view.action_selecting()  # coding ends the selection mode
        if applied.created:
            # Known at once, for the keys pressed before the refresh below comes back.
            self.codings.append((applied.coding_id, code.id, start, end, self.coder))
        self.refresh_codings()

    def change(self, target: Row, *, code: model.Code | None = None) -> None:
        """Recode the chosen coding, or (no `code`) give it the selection's span."""
        view = self.query_one(TranscriptView)
        if target[4] != self.coder:
            self.notify(f"That is {target[4]}'s coding; you can change only yours.")
            return
        start, end = view.selection.start, view.selection.end
        try:
            if code is not None:
                self.project.coding.change(
                    target[0], code=self.codes_tree.path(code), actor=self.coder
                )
                message = f"Recoded {self.name_of(target[1])} as {self.codes_tree.label(code)}"
            else:
                self.project.coding.change(target[0], start=start, end=end, actor=self.coder)
                message = f"Resized {self.name_of(target[1])} to {start}–{end}"
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"{message} (ctrl+z to undo)", timeout=3)
        if view.selecting:
            view.action_selecting()
        self.refresh_codings()

    def action_resize(self) -> None:
        chosen = self.chosen()
        if chosen is None:
            self.notify("Choose a stripe first ([ or ]), then ctrl+s to move its ends.")
            return
        self.change(chosen)

    def on_key(self, event: Key) -> None:
        if not isinstance(self.focused, TranscriptView) or event.character is None:
            return
        if self.search_term and event.character in ("n", "N"):
            event.stop()
            self.find_next(1 if event.character == "n" else -1)
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

        title = "Recode as" if self.chosen() is not None else "Apply code"
        self.app.push_screen(CodePalette(self.codes_tree, title), chosen)

    # -- search --------------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.value = self.search_term
        search.focus()

    @on(Input.Submitted, "#search")
    def searched(self, event: Input.Submitted) -> None:
        self.search_term = event.value.strip()
        self.close_search()
        if self.search_term:
            self.find_next(1, from_start=True)

    def close_search(self) -> None:
        self.query_one("#search", Input).display = False
        self.query_one(TranscriptView).focus()
        self.update_status()

    def find_next(self, step: int, *, from_start: bool = False) -> None:
        view = self.query_one(TranscriptView)
        here = view.moving_end if view.selecting else view.selection.start
        found = motion.find(view.text, self.search_term, here - (1 if from_start else 0), step)
        if found is None:
            self.notify(f"{self.search_term!r} is not in this document.", severity="warning")
            return
        view.jump_to(found)

    def action_back(self) -> None:
        view = self.query_one(TranscriptView)
        if self.focused is self.query_one("#search", Input):
            self.close_search()
        elif view.selecting:
            view.action_selecting()
        elif self.search_term:
            self.search_term = ""
            self.update_status()
        else:
            self.app.pop_screen()

    def _mine_under_selection(self) -> Row | None:
        chosen = self.chosen()
        if chosen is not None:
            return chosen if chosen[4] == self.coder else None
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
        self.notify(f"Removed {self.name_of(target[1])} (ctrl+z to undo)", timeout=3)
        self.refresh_codings()

    def action_memo(self) -> None:
        from coder.tui.screens.memo import MemoModal

        target = self._mine_under_selection()
        if target is None:
            self.notify("Select one of your codings to write a memo on it.", severity="warning")
            return

        def written(text: str | None) -> None:
            if not text:
                return
            try:
                self.project.memos.add(f"coding:{target[0]}", text, actor=self.coder)
            except CoderError as error:
                self.notify(str(error), severity="error")
                return
            self.notify("Memo saved", timeout=2)
            self.refresh_codings()

        self.app.push_screen(MemoModal(f"Memo on {self.name_of(target[1])}"), written)

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

    def action_cycle_shown(self) -> None:
        """Your codings, then each other coder's, everyone's, the consensus, yours again."""
        if self.blind:
            self.notify("The project is in the blind phase: only your codings are shown.")
            return
        order = ["me", *self.others, "all", model.CONSENSUS_CODER]
        self.showing = order[(order.index(self.showing) + 1) % len(order)]
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
