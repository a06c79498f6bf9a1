"""The workbench benchmark: open a 60,000-word transcript with 3,000 codings in CodingScreen
(Textual's headless mode, 120 x 40) and page through it."""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench import generate
from bench.generate import CODEBOOK
from bench.table import Row, Target, duration
from coder import Project
from coder.ingest.api import ImportOptions

TUI_DOCUMENT = "long-interview"


def tui_project(work: Path) -> tuple[Project, list[Row]]:
    folder = generate.tui_corpus()
    path = work / "tui.coder"
    for old in work.glob("tui.coder*"):
        old.unlink()
    began = time.perf_counter()
    project = Project.create(path, title="Workbench benchmark")
    project.import_files(
        [folder / f"{TUI_DOCUMENT}.txt"], ImportOptions(manifest=folder / "manifest.csv")
    )
    project.codebook.load(CODEBOOK, actor="bench")
    added = project.coding.import_csv(folder / "codings.csv", actor="bench").added
    meta = json.loads((folder / "meta.json").read_text())
    setup = Row(
        "setup",
        "sqlite",
        f"workbench project ({meta['total_words']} words, {added} codings)",
        time.perf_counter() - began,
    )
    return project, [setup]


async def _drive(project: Project, opens: int, pages: int) -> dict[str, Any]:
    from textual import events

    from coder.tui.app import CoderApp
    from coder.tui.screens.coding import CodingScreen
    from coder.tui.widgets.transcript import TranscriptView

    rendered = [0]
    original = TranscriptView.render_line

    def counting(self: Any, y: int) -> Any:
        rendered[0] += 1
        return original(self, y)

    async def settle(app: Any, pilot: Any) -> None:
        # What Pilot.pause() does, without its idle wait (at least 20 ms of sleeping): let
        # the screen process its messages, then run the compositor update that paints it.
        for _ in range(2):
            await pilot._wait_for_screen()
            app.screen._on_timer_update()
        await pilot._wait_for_screen()

    TranscriptView.render_line = counting  # type: ignore[method-assign]
    open_times: list[float] = []
    page_times: list[float] = []
    # CPU seconds of the process (every thread: the loading worker too) beside each wall time:
    # on a shared machine the wall time grows with the load, the CPU time much less.
    open_cpu: list[float] = []
    page_cpu: list[float] = []
    open_lines: list[int] = []
    page_lines: list[int] = []
    press_times: list[float] = []
    moved: list[bool] = []
    codings = 0
    try:
        for _ in range(opens):
            app = CoderApp(project, "ana")
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                rendered[0] = 0
                gc.collect()  # as bench.timing.measure does, before each timed run
                began, cpu = time.perf_counter(), time.process_time()
                app.push_screen(CodingScreen(project, TUI_DOCUMENT, "ana"))
                await settle(app, pilot)
                await app.workers.wait_for_complete()
                await settle(app, pilot)
                open_times.append(time.perf_counter() - began)
                open_cpu.append(time.process_time() - cpu)
                open_lines.append(rendered[0])
                screen = app.screen
                codings = len(getattr(screen, "codings", []))
                view = screen.query_one(TranscriptView)
                for _ in range(pages):
                    # The key goes in as the terminal driver would send it. Pilot.press adds
                    # two idle waits of at least 20 ms each after every key; it is timed
                    # below for reference.
                    rendered[0] = 0
                    before = float(view.scroll_y)
                    began, cpu = time.perf_counter(), time.process_time()
                    key = events.Key("pagedown", None)
                    key.set_sender(app)
                    assert app._driver is not None
                    app._driver.send_message(key)
                    await settle(app, pilot)
                    page_times.append(time.perf_counter() - began)
                    page_cpu.append(time.process_time() - cpu)
                    page_lines.append(rendered[0])
                    moved.append(float(view.scroll_y) > before)
                for _ in range(pages):
                    began = time.perf_counter()
                    await pilot.press("pageup")
                    await settle(app, pilot)
                    press_times.append(time.perf_counter() - began)
                scrolled = float(view.scroll_y)
    finally:
        TranscriptView.render_line = original  # type: ignore[method-assign]
    return {
        "open": open_times,
        "page": page_times,
        "open_cpu": open_cpu,
        "page_cpu": page_cpu,
        "open_lines": open_lines,
        "page_lines": page_lines,
        "codings_shown": codings,
        "scrolled_to": scrolled,
        "pilot_press": press_times,
        "every_page_moved": all(moved),
    }


def bench_tui(work: Path, repeat: int, pages: int = 10) -> list[Row]:
    project, rows = tui_project(work)
    try:
        found = asyncio.run(_drive(project, max(1, repeat), pages))
    finally:
        project.close()
    lines = f"{min(found['open_lines'])} lines painted"
    rows += [
        Row(
            "tui",
            "sqlite",
            "open a 60,000-word transcript (3,000 codings)",
            min(found["open"]),
            targets=(Target("seconds", 0.3),),
            ours_cpu=min(found["open_cpu"]),
            notes=f"best of {len(found['open'])}; {lines}; {found['codings_shown']} codings shown",
            details={"runs": found["open"], "lines_painted": found["open_lines"]},
        ),
        Row(
            "tui",
            "sqlite",
            "page down (median)",
            statistics.median(found["page"]),
            targets=(Target("seconds", 0.05),),
            ours_cpu=statistics.median(found["page_cpu"]),
            notes=(
                f"{len(found['page'])} key events, slowest {duration(max(found['page']))}, "
                f"{statistics.median(found['page_lines']):.0f} lines painted per page"
                + ("" if found["every_page_moved"] else ", SOME PAGES DID NOT SCROLL")
                + f"; through Pilot.press (its idle waits included): median "
                f"{duration(statistics.median(found['pilot_press']))}"
            ),
            details={
                "runs": found["page"],
                "lines_painted": found["page_lines"],
                "pilot_press_runs": found["pilot_press"],
            },
        ),
    ]
    return rows
