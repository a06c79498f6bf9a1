"""Home: what the project holds, what happened last, what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from coder import model
from coder.errors import CoderError
from coder.history import describe
from coder.project import Project
from coder.tui.widgets.footer import KeyFooter
from coder.tui.widgets.wide import MeasuredTable

HELP = """\
[b]Home[/b] shows the project at a glance: what it holds, the phase of the
analysis, the latest changes, and what to do next.

[b]d[/b]  documents (open one to code it)
[b]c[/b]  codebook: read and edit the codes
[b]a[/b]  agreement between two coders
[b]r[/b]  reconcile two coders' disagreements into a consensus
[b]t[/b]  themes by site: the matrix, and its quotes
[b]m[/b]  write the methods report (Markdown and Word, beside the project)
[b]ctrl+p[/b]  every action by name   [b]f5[/b]  refresh   [b]?[/b]  this help   [b]q[/b]  quit
"""


def next_steps(info: model.ProjectInfo) -> list[str]:
    """What a researcher would do next, given what the project holds."""
    counts = info.counts
    steps = []
    if counts.documents == 0:
        steps.append("Import transcripts (coder import)")
    if counts.codes == 0:
        steps.append("Load a codebook (coder codebook load)")
    if counts.coders == 0:
        steps.append("Add the coders who will code")
    if counts.documents and counts.codes and counts.codings == 0:
        steps.append("Open a transcript and start coding")
    if not steps:
        steps.append("Keep coding, compare coders, and explore themes by site")
    return steps


def report_path(location: str) -> Path:
    """Where the methods report goes: beside a project file, or in the working folder for a
    project on a server."""
    if "://" in location:
        return Path.cwd().resolve() / "methods.md"
    project = Path(location).resolve()
    return project.with_name(f"{project.stem}-methods.md")


class HomeScreen(Screen[None]):
    @dataclass
    class ProjectLoaded(Message):
        info: model.ProjectInfo
        events: list[model.Event]

    HELP = HELP
    BINDINGS = [
        Binding("d", "app.open('documents')", "Documents", id="open-documents"),
        Binding("c", "app.open('codebook')", "Codebook", id="open-codebook"),
        Binding("a", "app.open('agreement')", "Agreement", id="open-agreement"),
        Binding("r", "app.open('reconcile')", "Reconcile", id="open-reconcile"),
        Binding("t", "app.open('themes')", "Themes", id="open-themes"),
        Binding("m", "methods_report", "Methods", id="write-methods-report"),
        Binding("f5", "refresh", "Refresh", show=False, id="refresh"),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            with Horizontal(id="top"):
                summary = Static("Loading…", id="summary", classes="panel")
                summary.border_title = "Project"
                yield summary
                steps = Static("", id="next-steps", classes="panel")
                steps.border_title = "Next steps"
                yield steps
            activity = Vertical(id="activity", classes="panel")
            activity.border_title = "Recent activity"
            with activity:
                yield MeasuredTable(id="events", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#events", DataTable)
        table.add_columns("When (UTC)", "Who", "What")
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_methods_report(self) -> None:
        self.notify("Writing the methods report…", timeout=3)
        self.write_methods_report()

    @work(thread=True, exclusive=True, group="methods-report")
    def write_methods_report(self) -> None:
        target = report_path(self.project.location)
        try:
            report = self.project.reports.methods()
            written = [*self.project.reports.write(report, target)]
            written += self.project.reports.write(report, target.with_suffix(".docx"))
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        except OSError as error:
            self.notify(f"could not write the methods report: {error}", severity="error")
            return
        shown = "\n".join(str(path) for path in written)
        self.notify(f"Wrote the methods report:\n{shown}", timeout=12)

    @work(thread=True, exclusive=True, group="home")
    def load(self) -> None:
        try:
            info = self.project.info()
            events = self.project.events(limit=20)
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(self.ProjectLoaded(info, events))

    @on(ProjectLoaded)
    def show(self, loaded: ProjectLoaded) -> None:
        info, events = loaded.info, loaded.events
        counts = info.counts
        pairs = [
            ("Phase", info.phase),
            ("Codes", counts.codes),
            ("Documents", counts.documents),
            ("Coders", counts.coders),
            ("Participants", counts.participants),
            ("Codings", counts.codings),
            ("Memos", counts.memos),
            ("Schema", info.schema_version),
        ]
        # Two columns of counts, so an 80×24 terminal still has room for the activity.
        cells = [f"{name:<12}{value!s:>3}" for name, value in pairs]
        rows = [" ".join(cells[i : i + 2]) for i in range(0, len(cells), 2)]
        self.query_one("#summary", Static).update(
            f"[b]{escape(info.title)}[/b]\n{escape(info.location)}\n\n" + "\n".join(rows)
        )
        self.query_one("#next-steps", Static).update(
            "\n".join(f"• {step}" for step in next_steps(info))
        )
        table = self.query_one("#events", DataTable)
        table.clear()
        for entry in events:
            table.add_row(entry.at.strftime("%Y-%m-%d %H:%M"), entry.actor or "—", describe(entry))
