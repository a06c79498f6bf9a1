"""Agreement: per-code coefficients with the counts behind them, colour-coded, by unit or
measure, and the code confusion table a codebook meeting reads."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from coder.agreement.api import (
    COUNTS,
    UNITS_AND_MEASURES,
    AgreementReport,
    ConfusionReport,
    Count,
    StretchReport,
    UnitOrMeasure,
    split_unit,
)
from coder.agreement.views import per_code_view, stretch_view
from coder.errors import CoderError
from coder.project import Project
from coder.tui.screens.dialogs import PromptModal
from coder.tui.widgets.footer import KeyFooter
from coder.tui.widgets.wide import WideTable

# One line per paragraph, so that the help window wraps it to its own width.
HELP = "\n\n".join(
    [
        "[b]Agreement[/b] between two coders on the documents both have coded, code by code, "
        "with the counts behind every coefficient (see docs/agreement.md).",
        "[b]u[/b] cycles what is compared. Units cut in advance (sentence, turn, paragraph, "
        "document): kappa (Conger's for three or more coders), Krippendorff's alpha, Gwet's "
        "AC1. Coded stretches, as other tools compare them: [b]character[/b], NVivo's coding "
        "comparison (characters both, one or neither coded; document kappas averaged by "
        "length, a document where neither coded a code counting as 1); [b]unitized[/b], "
        "Krippendorff's alpha_U as ATLAS.ti reports it; [b]overlap[/b], MAXQDA's segment "
        "agreement at 90% overlap.",
        "[b]x[/b] shows the code confusion table instead: where the first coder applied a "
        "code, the codes the second applied to the same text, differing pairs first; "
        "[b]n[/b] counts segments or characters there.",
        "Symbols and colours follow common readings of kappa-like coefficients: "
        "[#56b4e9]● 0.80 and above[/] strong, [#f0e442]◐ 0.60–0.80[/] moderate, "
        "[#d55e00]○ below 0.60[/] weak (the colours are told apart with any colour vision; "
        "the symbols say the same without colour). A dash means the coefficient is "
        "undefined (for example, a code neither coder used). Next to the coefficients, the "
        "counts they come from: each coder's units with the code, the units both marked "
        "and the share agreed. A parent shown in grey was not applied directly; its row "
        "only places its children in the tree.",
        "[b]c[/b]  choose the coders   [b]f5[/b]  recompute   [b]escape[/b]  back",
    ]
)

COEFFICIENTS = ("kappa", "alpha", "AC1", "alpha_U")
NAMES = {
    "unitized": "Krippendorff's alpha_U (as ATLAS.ti)",
    "character": "NVivo's character agreement",
    "overlap": "MAXQDA's segment overlap",
}
Result = AgreementReport | StretchReport | ConfusionReport


# The scale reads without colour: a symbol per band, in colours told apart by every kind of
# colour vision (Okabe and Ito's blue, yellow and vermillion).
BANDS = ((0.8, "●", "#56b4e9"), (0.6, "◐", "#f0e442"), (-math.inf, "○", "#d55e00"))


def rating(value: Any) -> Text:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Text("–", style="dim", justify="right")
    number = float(value) + 0.0  # no "-0.00"
    number = 0.0 if abs(number) < 0.005 else round(number, 2)  # the band of what is shown
    symbol, color = next((s, c) for low, s, c in BANDS if number >= low)
    return Text(f"{number:.2f} {symbol}", style=color, justify="right")


def with_ancestors(paths: list[str]) -> list[tuple[str, bool]]:
    """The codes in tree order, each preceded by any ancestor not in the list (so a child
    sits under its true parent); True marks the codes that have a row of numbers."""
    out: list[tuple[str, bool]] = []
    seen: set[str] = set()
    listed = set(paths)
    for path in paths:
        if not path.startswith("("):
            parts = path.split("/")
            for depth in range(1, len(parts)):
                prefix = "/".join(parts[:depth])
                if prefix not in seen and prefix not in listed:
                    out.append((prefix, False))
                    seen.add(prefix)
        out.append((path, True))
        seen.add(path)
    return out


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


def leaf(path: str, width: int = 32) -> str:
    """A code's own name, shortened to `width` characters."""
    name = path if path.startswith("(") else path.rsplit("/", 1)[-1]
    return name if len(name) <= width else name[: width - 1] + "…"


def screen_view(result: Result) -> pd.DataFrame:
    """What the screen shows: per code with the pooled rows last; the coefficient of a
    stretch-based measure first, so that it stays in view on a narrow terminal."""
    if isinstance(result, ConfusionReport):
        a, b = result.coders
        pairs = result.pairs()
        return pd.DataFrame(
            {
                result.count: pairs[result.count],
                a: pairs[a].map(lambda p: leaf(str(p))),
                b: pairs[b].map(lambda p: leaf(str(p))),
            }
        )
    if isinstance(result, AgreementReport):
        view = per_code_view(result)
        constant = ["units"]
    else:
        view = stretch_view(result, "code")
        constant = ["length"]
    per_code = view[~view["code"].astype(str).str.startswith("(")]
    for column in constant:  # the same for every code: said above the table
        if column in view.columns and per_code[column].nunique() <= 1:
            view = view.drop(columns=column)
    first = [c for c in ("kappa", "alpha", "AC1", "alpha_U", "agree") if c in view.columns]
    rest = [c for c in view.columns if c not in ("code", *first)]
    return view[["code", *first, *rest]]


class AgreementScreen(Screen[None]):
    @dataclass
    class AgreementComputed(Message):
        request: int
        coders: list[str]
        result: Result | None  # None: fewer than two coders to compare

    @dataclass
    class AgreementFailed(Message):
        request: int
        message: str

    HELP = HELP
    BINDINGS = [
        Binding("u", "next_unit", "Unit", id="agreement-unit"),
        Binding("x", "toggle_confusion", "Confusion", id="agreement-confusion"),
        Binding("n", "next_count", "Count", id="agreement-count"),
        Binding("c", "choose_coders", "Coders", id="agreement-coders"),
        Binding("f5", "compute", "Recompute", id="agreement-refresh"),
        Binding("escape", "app.pop_screen", "Back", id="back"),
    ]

    def __init__(self, project: Project, coders: list[str] | None = None) -> None:
        super().__init__()
        self.project = project
        self.coders = coders or []
        self.unit: UnitOrMeasure = "sentence"
        self.mode: Literal["tables", "confusion"] = "tables"
        self.count: Count = "segments"
        # Which request the table should show: a slow answer to an earlier one (a thread
        # cannot be stopped) must not overwrite a newer one.
        self.request = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="agreement"):
            yield Static("", id="agreement-about")
            yield WideTable(id="agreement-table", zebra_stripes=True, cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Agreement"
        self.action_compute()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`u` belongs to the agreement tables, `n` to the confusion table."""
        if action == "next_unit":
            return self.mode == "tables"
        if action == "next_count":
            return self.mode == "confusion"
        return True

    def action_next_unit(self) -> None:
        self.unit = UNITS_AND_MEASURES[(UNITS_AND_MEASURES.index(self.unit) + 1) % 7]
        self.action_compute()

    def action_next_count(self) -> None:
        self.count = COUNTS[(COUNTS.index(self.count) + 1) % len(COUNTS)]
        self.action_compute()

    def action_toggle_confusion(self) -> None:
        self.mode = "confusion" if self.mode == "tables" else "tables"
        self.refresh_bindings()
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
        what = "the code confusion" if self.mode == "confusion" else f"agreement by {self.unit}"
        about.update(Text(f"Computing {what} of {' and '.join(self.coders) or 'two coders'}…"))
        self.request += 1
        self.compute(self.request, list(self.coders), self.unit, self.mode, self.count)

    @work(thread=True, exclusive=True, group="agreement")
    def compute(
        self,
        request: int,
        coders: list[str],
        unit: UnitOrMeasure,
        mode: Literal["tables", "confusion"],
        count: Count,
    ) -> None:
        """The table asked for, of `coders` (none: the two with the most codings)."""
        agreement = self.project.agreement
        result: Result
        try:
            coders = coders or self.project.agreement.default_coders()
            cut, measure = split_unit(unit)
            if len(coders) < 2:
                self.post_message(self.AgreementComputed(request, coders, None))
                return
            if mode == "confusion":
                result = agreement.confusion(coders, count=count)
            elif measure == "unitized":
                result = agreement.unitized(coders)
            elif measure == "character":
                result = agreement.character(coders)
            elif measure == "overlap":
                result = agreement.overlap(coders)
            else:
                assert cut is not None
                result = agreement(coders, cut)
        except CoderError as error:
            self.post_message(self.AgreementFailed(request, str(error)))
            return
        self.post_message(self.AgreementComputed(request, coders, result))

    @on(AgreementFailed)
    def failed(self, failed: AgreementFailed) -> None:
        if failed.request != self.request:
            return
        self.query_one("#agreement-about", Static).update(Text(failed.message, style="red"))
        self.notify(failed.message, severity="error")

    @on(AgreementComputed)
    def show(self, computed: AgreementComputed) -> None:
        if computed.request != self.request:
            return
        self.coders, result = computed.coders, computed.result
        if result is None:
            self.query_one("#agreement-about", Static).update(
                Text(
                    "Agreement needs two coders who have coded the same documents. "
                    "Double-code a few transcripts, then come back (c chooses the coders)."
                )
            )
            return
        view = screen_view(result)
        table = self.query_one("#agreement-table", WideTable)
        table.clear(columns=True)
        for column in view.columns:
            table.add_column(str(column), key=str(column))
        records = view.to_dict("records")
        if isinstance(result, ConfusionReport):
            for i, record in enumerate(records):
                table.add_row(*(cell(str(k), v) for k, v in record.items()), key=str(i))
        else:
            by_path = {str(r["code"]): r for r in records}
            for i, (path, numbers) in enumerate(with_ancestors(list(by_path))):
                name = Text(short_code(path), style="" if numbers else "dim italic")
                if numbers:
                    values = [cell(str(k), v) for k, v in by_path[path].items()][1:]
                else:  # a parent nobody applied directly: its place in the tree only
                    values = [Text("")] * (len(view.columns) - 1)
                table.add_row(name, *values, key=str(i))
        self.query_one("#agreement-about", Static).update(Text(self.about(result)))
        table.focus()
        self.call_after_refresh(table.mark_wide)

    def about(self, result: Result) -> str:
        who = " and ".join(result.coders)
        documents = f"{len(result.documents)} documents"
        if len(result.documents) <= 3:
            documents += f": {', '.join(result.documents)}"
        if isinstance(result, ConfusionReport):
            a, b = result.coders
            return (
                f"Codes {b} applied where {a} applied each code, counting {result.count}, "
                f"over {documents}. Differing pairs first; (none): left uncoded.\n"
                "x back to the tables, n counts segments or characters."
            )
        hint = "u changes the unit, x shows the code confusion, c the coders; ? explains."
        if isinstance(result, StretchReport):
            size = ""
            if "length" in result.per_code.columns and len(result.per_code):
                size = f"{int(result.per_code['length'].max())} characters of "
            return f"{NAMES[result.measure]} of {who} over {size}{documents}\n{hint}"
        per_code = result.per_code["n_units"]
        units = list(per_code.unique())
        counted = f"{int(units[0])} {result.unit}s" if len(units) == 1 else f"{result.unit}s"
        return f"Agreement of {who} over {counted} of {documents}\n{hint}"
