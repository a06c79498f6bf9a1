"""Reconcile: two coders' disagreements, one at a time, decided into the consensus layer."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from coder.agreement.api import Disagreement
from coder.errors import CoderError
from coder.project import Project
from coder.reconcile.consensus import Choice
from coder.tui.screens.agreement import default_coders
from coder.tui.screens.dialogs import PromptModal
from coder.tui.undo import step_history

HELP = """\
[b]Reconcile[/b] the disagreements of two coders, one unit at a time. Each shows the
passage in its context as coder A and coder B coded it; your decision writes the
consensus coding and keeps the rationale with it. Decided disagreements leave the
queue, so you resume where you left off.

[b]a[/b]  keep A's version      [b]b[/b]  keep B's version
[b]o[/b]  keep both (their union)   [b]n[/b]  neither: the code does not apply
[b]e[/b]  edit: keep only the words you say
[b]r[/b]  write a rationale for the next decision (enter to return)
[b]s[/b]  skip to the next one   [b]ctrl+z[/b]  undo the last decision   [b]escape[/b]  back
"""

CONTEXT = 400  # characters of context shown on each side of the disputed unit


def version(d: Disagreement, text: str, codings: pd.DataFrame) -> Text:
    """The unit in context, with one coder's `codings` of the disputed code highlighted."""
    low, high = max(0, d.start - CONTEXT), min(len(text), d.end + CONTEXT)
    spans = codings[(codings["start"] < high) & (codings["end"] > low)]
    shown = Text(("…" if low else "") + text[low:high] + ("…" if high < len(text) else ""))
    shift = 1 if low else 0
    shown.stylize("bold underline", d.start - low + shift, d.end - low + shift)
    for start, end in zip(spans["start"], spans["end"], strict=True):
        shown.stylize(
            "on #7a4f00", max(int(start), low) - low + shift, min(int(end), high) - low + shift
        )
    return shown


@dataclass(frozen=True)
class Versions:
    """What the two panels show of one disagreement: the document's text and both coders'
    codings of the disputed code."""

    disagreement: Disagreement
    text: str
    codings: pd.DataFrame


def read_versions(project: Project, d: Disagreement, coders: list[str]) -> Versions:
    """One read of the text and of both coders' codings serves both panels."""
    text = project.document(d.document).text
    frame = project.coding.frame(documents=[d.document], coders=coders)
    code_id = project.codebook.tree(include_inactive=True).find(d.code).id
    return Versions(d, text, frame[frame["code_id"] == code_id])


class ReconcileScreen(Screen[None]):
    @dataclass
    class DisagreementsLoaded(Message):
        coders: list[str]
        queue: list[Disagreement]
        decided: int
        first: Versions | None  # the first one's panels, read in the same worker

    @dataclass
    class VersionsRead(Message):
        versions: Versions

    @dataclass
    class ReconcileFailed(Message):
        message: str

    HELP = HELP
    BINDINGS = [
        Binding("a", "decide('a')", "A", id="reconcile-a"),
        Binding("b", "decide('b')", "B", id="reconcile-b"),
        Binding("o", "decide('both')", "Both", id="reconcile-both"),
        Binding("n", "decide('neither')", "Neither", id="reconcile-neither"),
        Binding("e", "edit", "Edit", id="reconcile-edit"),
        Binding("r", "rationale", "Rationale", id="reconcile-rationale"),
        Binding("s", "skip", "Skip", id="reconcile-skip"),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, project: Project, lead: str, coders: list[str] | None = None) -> None:
        super().__init__()
        self.project = project
        self.lead = lead
        self.coders = coders or []
        self.queue: list[Disagreement] = []
        self.position = 0
        self.decided = 0
        self.versions: Versions | None = None  # the panels shown

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="reconcile"):
            yield Static("Loading disagreements…", id="reconcile-about")
            with Horizontal(id="versions"):
                for side in ("a", "b"):
                    with VerticalScroll(id=f"version-{side}", classes="version") as box:
                        box.border_title = f"Coder {side.upper()}"
                        yield Static("", id=f"version-{side}-text")
            yield Input(placeholder="rationale (r to write, enter to return)", id="rationale")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Reconcile"
        self.load()

    @work(thread=True, exclusive=True, group="reconcile")
    def load(self) -> None:
        try:
            coders = self.coders or default_coders(self.project)
            if len(coders) != 2:
                message = "Reconciling needs two coders who coded the same documents."
                self.post_message(self.ReconcileFailed(message))
                return
            queue = self.project.reconcile.pending(coders)
            decisions = self.project.reconcile.decisions()
            decided = int((decisions["choice"] != "agree").sum())
            first = read_versions(self.project, queue[0], coders) if queue else None
        except CoderError as error:
            self.post_message(self.ReconcileFailed(str(error)))
            return
        self.post_message(self.DisagreementsLoaded(coders, queue, decided, first))

    @on(ReconcileFailed)
    def explain(self, failed: ReconcileFailed) -> None:
        self.query_one("#reconcile-about", Static).update(Text(failed.message))

    @on(DisagreementsLoaded)
    def start(self, loaded: DisagreementsLoaded) -> None:
        self.coders = loaded.coders
        self.queue = loaded.queue
        self.decided = loaded.decided
        self.position = 0
        self.show(loaded.first)

    @work(thread=True, exclusive=True, group="reconcile-versions")
    def read(self, d: Disagreement) -> None:
        try:
            versions = read_versions(self.project, d, self.coders)
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(self.VersionsRead(versions))

    @on(VersionsRead)
    def versions_read(self, read: VersionsRead) -> None:
        if read.versions.disagreement == self.current:
            self.show_versions(read.versions)

    @property
    def current(self) -> Disagreement | None:
        return self.queue[self.position] if self.position < len(self.queue) else None

    def show(self, versions: Versions | None = None) -> None:
        """The current disagreement: its line at once, its panels when they are read
        (`versions`, or a worker's)."""
        d = self.current
        self.versions = None
        about = self.query_one("#reconcile-about", Static)
        a, b = self.coders
        if d is None:
            about.update(
                Text.assemble(
                    ("Nothing left to decide", "bold green"),
                    f" between {a} and {b}: {self.decided} decisions are in the consensus. "
                    "See the agreement screen, or the themes by site.",
                )
            )
            for side in ("a", "b"):
                self.query_one(f"#version-{side}-text", Static).update("")
            return
        total = self.decided + len(self.queue)
        about.update(
            Text.assemble(
                (f"{self.decided} of {total} decided", "bold"),
                f" · {len(self.queue)} to go · ",
                (d.document, "bold"),
                " · ",
                (d.code, "bold"),
                f" · marked by {', '.join(d.marked_by)}, not by {', '.join(d.not_marked_by)}",
            )
        )
        if versions is not None and versions.disagreement == d:
            self.show_versions(versions)
        else:
            self.read(d)

    def show_versions(self, versions: Versions) -> None:
        self.versions = versions
        d, text, frame = versions.disagreement, versions.text, versions.codings
        for side, coder in zip(("a", "b"), self.coders, strict=True):
            box = self.query_one(f"#version-{side}", VerticalScroll)
            marked = coder in d.marked_by
            box.border_title = f"{side.upper()}: {coder} {'coded it' if marked else 'did not'}"
            mine = frame[frame["coder"] == coder]
            self.query_one(f"#version-{side}-text", Static).update(version(d, text, mine))

    # -- decisions -----------------------------------------------------------------------------

    def action_decide(self, choice: Choice, span: tuple[int, int] | None = None) -> None:
        d = self.current
        if d is None:
            self.notify("Nothing to decide.")
            return
        rationale = self.query_one("#rationale", Input)
        try:
            self.project.reconcile.decide(
                d,
                choice,
                coders=self.coders,
                rationale=rationale.value.strip(),
                span=span,
                actor=self.lead,
            )
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        rationale.value = ""
        self.queue.pop(self.position)
        self.decided += 1
        if self.position >= len(self.queue):
            self.position = 0
        self.notify(f"Decided: {choice} for {d.code} (ctrl+z to undo)", timeout=2)
        self.show()

    def action_edit(self) -> None:
        d = self.current
        if d is None or self.versions is None or self.versions.disagreement != d:
            return
        text = self.versions.text

        def kept(words: str | None) -> None:
            if not words:
                return
            low = max(0, d.start - CONTEXT)
            found = text.find(words, low, d.end + CONTEXT)
            if found < 0:
                self.notify(
                    "Those words are not in this passage; copy them from it.", severity="error"
                )
                return
            self.action_decide("edit", (found, found + len(words)))

        self.app.push_screen(
            PromptModal("Keep only these words as the consensus coding", text[d.start : d.end]),
            kept,
        )

    def action_rationale(self) -> None:
        self.query_one("#rationale", Input).focus()

    @on(Input.Submitted, "#rationale")
    def rationale_done(self) -> None:
        self.set_focus(None)

    def action_skip(self) -> None:
        if self.queue:
            self.position = (self.position + 1) % len(self.queue)
            self.show()

    def action_undo(self) -> None:
        if step_history(self, self.project.undo, self.lead):
            self.load()

    def action_back(self) -> None:
        if self.focused is self.query_one("#rationale", Input):
            self.set_focus(None)
            return
        self.app.pop_screen()
