"""Reconcile: two coders' disagreements, one passage at a time, decided into the consensus."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from coder.codebook.tree import CodeTree
from coder.errors import CoderError
from coder.project import Project
from coder.reconcile.passages import Passage, kept_by, outcomes
from coder.tui.screens.dialogs import PromptModal
from coder.tui.undo import step_history
from coder.tui.widgets.code_tree import code_colors
from coder.tui.widgets.footer import KeyFooter

HELP = """\
[b]Reconcile[/b] two coders' disagreements, one passage at a time. A passage is a stretch
of text with every code the coders disagree on there; both panes show it in context,
with every code each coder put on it. Your decision keeps or drops each disputed code
in the consensus and keeps the rationale with it. Decided passages leave the queue,
so you resume where you left off.

[b]a[/b]  keep A's version      [b]b[/b]  keep B's version
[b]o[/b]  keep both             [b]n[/b]  neither: drop every disputed code
(only the choices that give different results are offered)
[b]1-9[/b]  keep or drop one code, then [b]enter[/b] decides as marked
[b]e[/b]  edit: keep only the words you say (a passage with one disputed code)
[b]r[/b]  write a rationale for the next decision (enter to return)
[b]s[/b]  skip to the next one   [b]ctrl+z[/b]  undo the last decision   [b]escape[/b]  back
"""

BEFORE, AFTER = 120, 400  # characters of context: little before, so the passage is in view
OUTCOME_KEYS = {"a": "a", "b": "b", "both": "o", "neither": "n"}


@dataclass(frozen=True)
class Versions:
    """What the panes show of one passage: the document's text, both coders' codings near
    it (every code), and the code tree for names and colours."""

    passage: Passage
    text: str
    codings: pd.DataFrame
    tree: CodeTree


def read_versions(project: Project, passage: Passage, coders: list[str]) -> Versions:
    """One read of the text and of both coders' codings serves both panes."""
    text = project.document(passage.document).text
    frame = project.coding.frame(documents=[passage.document], coders=coders)
    low, high = passage.start - BEFORE, passage.end + AFTER
    near = frame[(frame["start"] < high) & (frame["end"] > low)]
    return Versions(passage, text, near, project.codebook.tree(include_inactive=True))


def version(v: Versions, coder: str) -> Text:
    """The passage in context, underlined, with `coder`'s codings in their colours, then a
    line per code that coder put on the passage."""
    p, text = v.passage, v.text
    line_start = text.rfind("\n", 0, p.start) + 1
    low = max(line_start, p.start - BEFORE)
    if low > line_start:  # start the context at a word, not inside one
        low = min(p.start, text.find(" ", low) + 1 or p.start)
    high = min(len(text), p.end + AFTER)
    shift = 1 if low else 0
    shown = Text(("…" if low else "") + text[low:high] + ("…" if high < len(text) else ""))
    colors = code_colors(v.tree)
    mine = v.codings[v.codings["coder"] == coder].sort_values("start")
    background = Color.parse("#1e1e1e")
    legend: dict[int, bool] = {}
    for start, end, code in zip(mine["start"], mine["end"], mine["code_id"], strict=True):
        a, b = max(int(start), low), min(int(end), high)
        color = Color.parse(colors.get(int(code), "#888888"))
        shown.stylize(f"on {color.blend(background, 0.45).hex}", a - low + shift, b - low + shift)
        if int(start) < p.end and int(end) > p.start:
            legend[int(code)] = True
    shown.stylize("bold underline", p.start - low + shift, p.end - low + shift)
    disputed = set(p.marked(coder))
    shown.append("\n")
    for code_id in legend:
        code = v.tree.by_id.get(code_id)
        if code is None:
            continue
        path = v.tree.path(code)
        shown.append("\n■ ", style=colors.get(code_id, "#888888"))
        shown.append(code.name, style="bold" if path in disputed else "")
        shown.append("  (disputed)" if path in disputed else "  (both)", style="dim")
    if not legend:
        shown.append("\nno code on this passage", style="dim italic")
    return shown


class ReconcileScreen(Screen[None]):
    @dataclass
    class PassagesLoaded(Message):
        coders: list[str]
        queue: list[Passage]
        decided: int
        first: Versions | None  # the first one's panes, read in the same worker

    @dataclass
    class VersionsRead(Message):
        versions: Versions

    @dataclass
    class ReconcileFailed(Message):
        message: str

    HELP = HELP
    BINDINGS = [
        Binding("a", "decide('a')", "A's", id="reconcile-a"),
        Binding("b", "decide('b')", "B's", id="reconcile-b"),
        Binding("o", "decide('both')", "Both", id="reconcile-both"),
        Binding("n", "decide('neither')", "Neither", id="reconcile-neither"),
        Binding("enter", "decide_marked", "As marked", id="reconcile-marked"),
        Binding("e", "edit", "Edit", show=False, id="reconcile-edit"),
        Binding("r", "rationale", "Why", id="reconcile-rationale"),
        Binding("s", "skip", "Skip", id="reconcile-skip"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="undo"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, project: Project, lead: str, coders: list[str] | None = None) -> None:
        super().__init__()
        self.project = project
        self.lead = lead
        self.coders = coders or []
        self.queue: list[Passage] = []
        self.position = 0
        self.decided = 0
        self.kept: set[str] = set()  # the codes marked to keep (1-9)
        self.versions: Versions | None = None  # the panes shown

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="reconcile"):
            yield Static("Loading disagreements…", id="reconcile-about")
            yield Static("", id="reconcile-choices")
            with Horizontal(id="versions"):
                for side in ("a", "b"):
                    with VerticalScroll(id=f"version-{side}", classes="version") as box:
                        box.border_title = f"Coder {side.upper()}"
                        yield Static("", id=f"version-{side}-text")
            yield Input(placeholder="rationale (r to write, enter to return)", id="rationale")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Reconcile"
        self.load()

    @work(thread=True, exclusive=True, group="reconcile")
    def load(self) -> None:
        try:
            coders = self.coders or self.project.agreement.default_coders()
            if len(coders) != 2:
                message = "Reconciling needs two coders who coded the same documents."
                self.post_message(self.ReconcileFailed(message))
                return
            queue = self.project.reconcile.passages(coders)
            decisions = self.project.reconcile.decisions()
            decided = int((decisions["choice"] != "agree").sum())
            first = read_versions(self.project, queue[0], coders) if queue else None
        except CoderError as error:
            self.post_message(self.ReconcileFailed(str(error)))
            return
        self.post_message(self.PassagesLoaded(coders, queue, decided, first))

    @on(ReconcileFailed)
    def explain(self, failed: ReconcileFailed) -> None:
        self.query_one("#reconcile-about", Static).update(Text(failed.message))

    @on(PassagesLoaded)
    def start(self, loaded: PassagesLoaded) -> None:
        self.coders = loaded.coders
        self.queue = loaded.queue
        self.decided = loaded.decided
        self.position = 0
        self.show(loaded.first)

    @work(thread=True, exclusive=True, group="reconcile-versions")
    def read(self, passage: Passage) -> None:
        try:
            versions = read_versions(self.project, passage, self.coders)
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(self.VersionsRead(versions))

    @on(VersionsRead)
    def versions_read(self, read: VersionsRead) -> None:
        if read.versions.passage == self.current:
            self.show_versions(read.versions)

    @property
    def current(self) -> Passage | None:
        return self.queue[self.position] if self.position < len(self.queue) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the outcomes that differ: with one coder's codes only, `o` and `n` would
        repeat `a` and `b`; editing words is for a passage with one disputed code."""
        p = self.current
        if action == "decide" and p is not None and len(self.coders) == 2:
            return str(parameters[0]) in outcomes(p, self.coders)
        if action == "edit":
            return p is not None and len(p.items) == 1
        if action == "decide_marked":
            return p is not None and len(p.codes) > 1
        return True

    def show(self, versions: Versions | None = None) -> None:
        """The current passage: its lines at once, its panes when they are read
        (`versions`, or a worker's)."""
        p = self.current
        self.versions = None
        about = self.query_one("#reconcile-about", Static)
        choices = self.query_one("#reconcile-choices", Static)
        a, b = self.coders
        self.refresh_bindings()
        if p is None:
            about.update(
                Text.assemble(
                    ("Nothing left to decide", "bold green"),
                    f" between {a} and {b}: {self.decided} decisions are in the consensus. "
                    "See the agreement screen, or the themes by site.",
                )
            )
            choices.update("")
            for side in ("a", "b"):
                self.query_one(f"#version-{side}-text", Static).update("")
            return
        self.kept = set(kept_by(p, "a", self.coders))
        total = self.decided + sum(len(q.items) for q in self.queue)
        about.update(
            Text.assemble(
                (f"{self.decided} of {total} decided", "bold"),
                f" · {len(self.queue)} passages to go · ",
                (p.document, "bold"),
                f" {p.start}–{p.end}",
            )
        )
        self.show_choices()
        if versions is not None and versions.passage == p:
            self.show_versions(versions)
        else:
            self.read(p)

    def show_choices(self) -> None:
        """Each disputed code with who put it there (1-9 marks it kept or dropped), then the
        outcomes on offer in words."""
        p = self.current
        if p is None:
            return
        lines = Text()
        for index, code in enumerate(p.codes[:9], start=1):
            who = [c for c in self.coders if code in p.marked(c)]
            mark = "keep" if code in self.kept else "drop"
            lines.append(f"{index} ", style="bold")
            lines.append(f"[{mark}] ", style="green" if mark == "keep" else "red")
            lines.append(code.rsplit("/", 1)[-1], style="bold")
            lines.append(f"  by {' and '.join(who)}\n", style="dim")
        offered = outcomes(p, self.coders)
        words = []
        for outcome, kept in offered.items():
            names = ", ".join(c.rsplit("/", 1)[-1] for c in p.codes if c in kept) or "nothing"
            words.append(f"{OUTCOME_KEYS[outcome]}: keep {names}")
        lines.append(" · ".join(words), style="italic")
        self.query_one("#reconcile-choices", Static).update(lines)

    def show_versions(self, versions: Versions) -> None:
        self.versions = versions
        p = versions.passage
        for side, coder in zip(("a", "b"), self.coders, strict=True):
            box = self.query_one(f"#version-{side}", VerticalScroll)
            marked = p.marked(coder)
            box.border_title = f"{side.upper()}: {coder}" + ("" if marked else " (none of these)")
            self.query_one(f"#version-{side}-text", Static).update(version(versions, coder))
            box.scroll_home(animate=False)

    # -- decisions -----------------------------------------------------------------------------

    def on_key(self, event: Key) -> None:
        p = self.current
        if p is None or event.character is None or not event.character.isdigit():
            return
        index = int(event.character) - 1
        if 0 <= index < len(p.codes):
            event.stop()
            code = p.codes[index]
            self.kept ^= {code}
            self.show_choices()

    def action_decide(self, outcome: str) -> None:
        p = self.current
        if p is None:
            self.notify("Nothing to decide.")
            return
        self.decide(kept_by(p, outcome, self.coders))

    def action_decide_marked(self) -> None:
        if self.current is not None:
            self.decide(frozenset(self.kept))

    def decide(self, kept: frozenset[str], span: tuple[int, int] | None = None) -> None:
        p = self.current
        assert p is not None
        rationale = self.query_one("#rationale", Input)
        try:
            if span is not None:
                self.project.reconcile.decide(
                    p.items[0],
                    "edit",
                    coders=self.coders,
                    rationale=rationale.value.strip(),
                    span=span,
                    actor=self.lead,
                )
                words = (
                    f"kept only “{self.versions.text[span[0] : span[1]]}”" if self.versions else ""
                )
            else:
                words = self.project.reconcile.decide_passage(
                    p,
                    sorted(kept),
                    coders=self.coders,
                    rationale=rationale.value.strip(),
                    actor=self.lead,
                )
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        rationale.value = ""
        self.queue.pop(self.position)
        self.decided += len(p.items)
        if self.position >= len(self.queue):
            self.position = 0
        self.notify(f"{words[:1].upper()}{words[1:]} (ctrl+z to undo)", timeout=4)
        self.show()

    def action_edit(self) -> None:
        p = self.current
        if p is None or self.versions is None or self.versions.passage != p:
            return
        text = self.versions.text

        def kept(words: str | None) -> None:
            if not words:
                return
            found = text.find(words, max(0, p.start - BEFORE), p.end + AFTER)
            if found < 0:
                self.notify(
                    "Those words are not in this passage; copy them from it.", severity="error"
                )
                return
            self.decide(frozenset(), (found, found + len(words)))

        self.app.push_screen(
            PromptModal("Keep only these words as the consensus coding", text[p.start : p.end]),
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
