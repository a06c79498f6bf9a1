"""docs/tui.md shows every screen with a picture drawn by docs/screenshots.py, and names
every key a screen binds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coder.tui.screens.agreement import AgreementScreen
from coder.tui.screens.codebook import CodebookScreen
from coder.tui.screens.coding import CodingScreen
from coder.tui.screens.documents import DocumentsScreen
from coder.tui.screens.home import HomeScreen
from coder.tui.screens.reconcile import ReconcileScreen
from coder.tui.screens.themes import ThemesScreen
from coder.tui.widgets.transcript import TranscriptView

DOCS = Path(__file__).resolve().parents[2] / "docs"
TEXT = (DOCS / "tui.md").read_text(encoding="utf-8")


def test_every_picture_exists_and_every_screen_has_one() -> None:
    pictures = re.findall(r"\]\((screens/[\w-]+\.svg)\)", TEXT)
    for picture in pictures:
        assert (DOCS / picture).is_file(), picture
    names = {Path(p).stem for p in pictures}
    assert {"home", "documents", "coding", "codebook", "agreement", "reconcile", "themes"} <= names
    script = (DOCS / "screenshots.py").read_text(encoding="utf-8")
    for name in names:
        assert f'"{name}"' in script, f"{name}.svg is not drawn by docs/screenshots.py"


def display(key: str) -> str:
    names = {
        "question_mark": "?",
        "slash": "/",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "plus": "+",
        "minus": "-",
    }
    arrows = {"down": "↓", "up": "↑", "left": "←", "right": "→"}
    key = names.get(key, key)
    modifier, _, name = key.rpartition("+")
    return f"{modifier}+{arrows.get(name, name)}" if modifier else arrows.get(name, name)


@pytest.mark.parametrize(
    "screen",
    [
        HomeScreen,
        DocumentsScreen,
        CodingScreen,
        TranscriptView,
        CodebookScreen,
        AgreementScreen,
        ReconcileScreen,
        ThemesScreen,
    ],
)
def test_every_key_is_in_the_docs(screen: type) -> None:
    for binding in screen.BINDINGS:
        keys = [display(k) for k in binding.key.split(",")]
        if binding.action in ("app.pop_screen", "back", "move(1)", "move(-1)") or binding.key in (
            "pagedown",
            "pageup",
            "home",
            "end",
            "f5",
        ):
            continue
        assert any(
            f"`{key}`" in TEXT or f"`{key} " in TEXT or f" {key}`" in TEXT for key in keys
        ), (
            screen.__name__,
            binding.key,
        )
