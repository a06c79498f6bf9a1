"""Waiting for the workbench in Pilot tests: its reads run in workers, which post messages."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import DataTable

from coder.tui.app import CoderApp
from coder.tui.screens.coding import CodingScreen


async def settle(app: App[Any], pilot: Any) -> None:
    """Let the screen take its messages, its workers finish, and the results be shown."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await measured(app, pilot)


async def measured(app: App[Any], pilot: Any) -> None:
    """Wait until every worker is done, the screen has taken its messages and every table on
    it has measured its rows. A screen just pushed starts its reading worker when it is
    mounted, which on a busy machine can come after an earlier wait for workers has found
    none; a worker's result reaches the screen as a message, which can still be queued when
    the worker is done (a table not yet filled has nothing to measure); and a table measures
    new rows and column widths only when its own message queue is next idle."""
    for _ in range(1000):
        tables = list(app.screen.query(DataTable))
        pending: list[Any] = [w for w in app.workers if not w.is_finished]
        pending += [t for t in tables if t._require_update_dimensions or t._updated_cells]
        pending += [pump for pump in (app, app.screen, *tables) if pump.message_queue_size]
        if not pending:
            steady_cursors(app)
            return
        await pilot.pause(0.01)
    raise AssertionError(f"workers, messages or table measures still pending after 10 s: {pending}")


def steady_cursors(app: App[Any]) -> None:
    """Stop the text cursors blinking, so a picture shows them whenever it is taken: a cursor
    blinks every half second, and a busy machine can take longer than that to reach the
    picture."""
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]


async def open_coding(app: CoderApp, pilot: Any, document: str, coder: str) -> Any:
    """Open `document` in the coding screen, as `coder`, once home has settled: the screen."""
    await settle(app, pilot)
    app.push_screen(CodingScreen(app.project, document, coder))
    await settle(app, pilot)
    return app.screen


def span(project: Any, text: str, document: str = "interview") -> tuple[int, int]:
    """The offsets of `text` in `document`."""
    start = int(project.document(document).text.index(text))
    return start, start + len(text)
