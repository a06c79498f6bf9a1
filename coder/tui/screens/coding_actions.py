"""What the coding screen does when a key is pressed: applying, recoding, resizing and
removing codings, searching the transcript, memos, suggestions accepted or rejected, undo and
redo, and the list of the document's codings. `CodingActions` is the base of `CodingScreen`
(coding.py), which holds the screen's state, reads the project in its workers and draws; the
actions here ask the project through it and read the state it keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Input, Tree

from coder import model
from coder.errors import CoderError
from coder.tui import motion
from coder.tui.screens.coding_data import Row
from coder.tui.screens.palette import CodePalette
from coder.tui.undo import step_history
from coder.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from textual.worker import Worker

    from coder.codebook.tree import CodeTree
    from coder.project import Project


class CodingActions(Screen[None]):
    """The coding screen's actions and search; the state they read is set up, and the codings
    they change read again, by `CodingScreen`."""

    if TYPE_CHECKING:
        project: Project
        document_name: str
        coder: str
        showing: str
        others: list[str]
        blind: bool
        codes_tree: CodeTree
        codings: list[Row]
        suggestions: list[Row]
        search_term: str

        def refresh_codings(self, tree: bool = False) -> Worker[None]: ...

        def update_status(self) -> None: ...

        def name_of(self, code_id: int) -> str: ...

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
