"""Draw every screen of the workbench on the demo project into docs/screens/*.svg.

    .venv/bin/python docs/screenshots.py        (or: make screenshots)

Each picture is the screen as Textual renders it, driven by the keys listed below, so the
pictures in docs/tui.md are never drawn by hand and are redrawn after a change of the look.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from coder import Project
from coder.demo import build
from coder.tui.app import CoderApp
from coder.tui.screens.coding import CodingScreen

HERE = Path(__file__).resolve().parent / "screens"

# name: (who, a document to code or None, keys, size)
SHOTS: dict[str, tuple[str, str | None, tuple[str, ...], tuple[int, int]]] = {
    "home": ("lead", None, (), (100, 30)),
    "documents": ("maya", None, ("d", *"prov d"), (100, 30)),
    "coding": (
        "maya",
        "site-a-patient",
        ("ctrl+o", "ctrl+o", "slash", *"terrifying", "enter"),
        (120, 36),
    ),
    "coding-80x24": (
        "maya",
        "site-a-patient",
        ("ctrl+o", "ctrl+o", "slash", *"terrifying", "enter"),
        (80, 24),
    ),
    "coding-select": (
        "maya",
        "site-a-patient",
        ("slash", *"evening clinic", "enter", "ctrl+s", "ctrl+right", "ctrl+right", "ctrl+right"),
        (100, 30),
    ),
    "coding-help": ("maya", "site-a-patient", ("question_mark",), (100, 40)),
    "coding-palette": ("maya", "site-a-patient", ("down", "down", "enter", *"time"), (100, 30)),
    "coding-list": ("maya", "site-a-patient", ("ctrl+l",), (100, 30)),
    "coding-memo": (
        "maya",
        "site-a-patient",
        ("slash", *"terrifying", "enter", "ctrl+e", *"Fear, then relief"),
        (100, 30),
    ),
    "codebook": ("lead", None, ("c", "down", "down"), (100, 30)),
    "agreement": ("lead", None, ("a",), (100, 30)),
    "agreement-confusion": ("lead", None, ("a", "x"), (100, 30)),
    "reconcile": ("lead", None, ("r",), (100, 30)),
    "themes": ("lead", None, ("t",), (100, 30)),
}


async def shoot(
    project: Project, who: str, document: str | None, keys: tuple[str, ...], size: tuple[int, int]
) -> str:
    app = CoderApp(project, who)
    async with app.run_test(size=size) as pilot:

        async def settle() -> None:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()

        await settle()
        if document is not None:
            app.push_screen(CodingScreen(project, document, who))
            await settle()
        for key in keys:
            await pilot.press(key)
            await settle()
        app.clear_notifications()
        await pilot.pause()
        svg: Any = app.export_screenshot()
        return str(svg)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder) / "demo.coder")
        os.chdir(folder)  # the project shows as "demo.coder", not a temporary path
        for name, (who, document, keys, size) in SHOTS.items():
            with Project.open("demo.coder", as_coder=who) as project:
                svg = asyncio.run(shoot(project, who, document, keys, size))
            (HERE / f"{name}.svg").write_text(svg, encoding="utf-8")
            print(f"wrote docs/screens/{name}.svg", file=sys.stderr)


if __name__ == "__main__":
    main()
