"""Agreement: per-code coefficients with the counts behind them, colour-coded, by unit."""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from coder.agreement.api import UNITS, AgreementReport, per_code_view
from coder.errors import CoderError
from coder.project import Project
from coder.tui.screens.dialogs import PromptModal

HELP = """\
[b]Agreement[/b] between two coders on the documents both have coded, code by code,
with the counts behind every coefficient (see docs/agreement.md).

Colours follow common readings of kappa-like coefficients: [green]0.80 and above[/green]
strong, [yellow]0.60–0.80[/yellow] moderate, [red]below 0.60[/red] weak. A dash means the
coefficient is undefined (for example, a code neither coder used).

[b]u[/b]  next unit (sentence, turn, paragraph, character, document)
[b]c[/b]  choose the coders   [b]f5[/b]  recompute   [b]escape[/b]  back
"""

COEFFICIENTS = ("kappa", "alpha", "AC1")


def rating(value: Any) -> Text:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Text("–", style="dim", justify="right")
    number = float(value) + 0.0  # no "-0.00"
    number = 0.0 if abs(number) < 0.005 else number
    style = "green" if number >= 0.8 else "yellow" if number >= 0.6 else "red"
    return Text(f"{number:.2f}", style=style, justify="right")


def cell(column: str, value: Any) -> Text:
    if column in COEFFICIENTS:
        return rating(value)
    if isinstance(value, float):
        if math.isnan(value):
            return Text("–", style="dim", justify="right")
        return Text(
            f"{value:.0%}" if column.startswith("agree") else f"{value:.2f}", justify="right"
        )
    if isinstance(value, int) or hasattr(value, "item"):
        return Text(str(value), justify="right")
    return Text(str(value))


def short_code(path: str) -> str:
    """A code as its name indented by depth: full paths push the numbers off screen."""
    if path.startswith("("):
        return path
    parts = path.split("/")
    return "  " * (len(parts) - 1) + parts[-1]


def default_coders(project: Project) -> list[str]:
    """The two coders (not the consensus) with the most codings."""
    frame = project.coding.frame()
    counts = frame[frame["coder"] != "consensus"]["coder"].value_counts()
    return [str(name) for name in counts.index[:2]]


class AgreementScreen(Screen[None]):
    HELP = HELP
    BINDINGS = [
        Binding("u", "next_unit", "Unit", id="agreement-unit"),
        Binding("c", "choose_coders", "Coders", id="agreement-coders"),
        Binding("f5", "compute", "Recompute", id="agreement-refresh"),
        Binding("escape", "app.pop_screen", "Back", id="back"),
    ]

    def __init__(self, project: Project, coders: list[str] | None = None) -> None:
        super().__init__()
        self.project = project
        self.coders = coders or []
        self.unit = "sentence"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="agreement"):
            yield Static("", id="agreement-about")
            yield DataTable(id="agreement-table", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Agreement"
        if not self.coders:
            self.coders = default_coders(self.project)
        self.action_compute()

    def action_next_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.action_compute()

    def action_choose_coders(self) -> None:
        def chosen(answer: str | None) -> None:
            if answer:
                self.coders = [c.strip() for c in answer.split(",") if c.strip()]
                self.action_compute()

        self.app.push_screen(
            PromptModal("Coders to compare", ",".join(self.coders), "maya,tomas"), chosen
        )

    def action_compute(self) -> None:
        about = self.query_one("#agreement-about", Static)
        if len(self.coders) < 2:
            about.update(
                Text(
                    "Agreement needs two coders who have coded the same documents. "
                    "Double-code a few transcripts, then come back (c chooses the coders)."
                )
            )
            return
        about.update(Text(f"Computing agreement of {' and '.join(self.coders)} by {self.unit}…"))
        self.compute(list(self.coders), self.unit)

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self, coders: list[str], unit: str) -> None:
        try:
            report = self.project.agreement(coders, unit)  # type: ignore[arg-type]
        except CoderError as error:
            self.app.call_from_thread(self.failed, str(error))
            return
        self.app.call_from_thread(self.show, report)

    def failed(self, message: str) -> None:
        self.query_one("#agreement-about", Static).update(Text(message, style="red"))
        self.notify(message, severity="error")

    def show(self, report: AgreementReport) -> None:
        view = per_code_view(report)
        units = list(view["units"].dropna().unique()) if "units" in view else []
        if len(units) == 1:  # the same for every code: say it once, above the table
            view = view.drop(columns="units")
        table = self.query_one("#agreement-table", DataTable)
        table.clear(columns=True)
        for column in view.columns:
            table.add_column(str(column), key=str(column))
        for record in view.to_dict("records"):
            record["code"] = short_code(str(record["code"]))
            table.add_row(*(cell(str(k), v) for k, v in record.items()), key=str(record["code"]))
        documents = ", ".join(report.documents)
        counted = f"{int(units[0])} {report.unit}s" if len(units) == 1 else f"{report.unit}s"
        self.query_one("#agreement-about", Static).update(
            Text(
                f"Agreement of {' and '.join(report.coders)} over {counted} of "
                f"{len(report.documents)} documents: {documents}\n"
                "u changes the unit, c the coders; ? explains the colours."
            )
        )
        table.focus()
