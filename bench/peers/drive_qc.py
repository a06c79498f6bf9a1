"""Run inside qc's own virtual environment (bench/peers/.venv-qc), never coder's.

    python drive_qc.py code SETTINGS CODES_DIR

Loads codings the way `qc code CODER` does, in qc's own format: for each document and coder,
qc writes its codes file (one line of comma-separated codes per line of the document), opens
the "editor", parses what the editor left and stores the coded lines. The editor here is `cp`
of the codes file the bench prepared (CODES_DIR/CODER/DOCUMENT), so every document goes
through qc's parser and `update_coded_lines` as a coder's session would, in one process
instead of one `qc code` per document.
"""

from __future__ import annotations

import importlib
import shlex
import sys
from collections.abc import Callable
from pathlib import Path


def code(settings: str, folder: str) -> None:
    corpus = importlib.import_module("qualitative_coding.corpus").QCCorpus(settings)
    viewer = importlib.import_module("qualitative_coding.views.viewer").QCCorpusViewer(corpus)
    done = 0
    for coder_dir in sorted(Path(folder).iterdir()):
        for prepared in sorted(coder_dir.iterdir()):
            source = shlex.quote(str(prepared.resolve()))
            viewer.settings["editors"] = {
                "bench": {
                    "name": "bench",
                    "code_command": f'cp {source} "{{codes_file_path}}"',
                    "memo_command": "true",
                }
            }
            viewer.settings["editor"] = "bench"
            viewer.open_editor(prepared.name, coder_dir.name)
            done += 1
    print(f"{done} coding sessions")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    commands: dict[str, Callable[..., None]] = {"code": code}
    commands[command](*args)
