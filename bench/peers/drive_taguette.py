"""Run inside Taguette's own virtual environment (bench/peers/.venv-taguette), never coder's.

    python drive_taguette.py serve PORT DATABASE
    python drive_taguette.py highlights DATABASE PROJECT_ID HIGHLIGHTS.jsonl

`serve` starts Taguette's single-user server on 127.0.0.1 exactly as `taguette --no-browser`
does, with one change: Taguette asks its project's message server for news at start-up and
every day, and this machine must not reach out, so that request is replaced by nothing.

`highlights` writes coded passages into a Taguette database through Taguette's own models:
one highlight per coding, tagged with its code's path. Taguette's own route (one HTTP request
per highlight) re-parses the whole document to cut each snippet, which at 50,000 codings takes
the better part of an hour; the snippet of a passage inside one paragraph is that paragraph's
`<p>` around the passage's text, so it is written directly, and a sample is checked against
Taguette's own `extract` so that the rows are what Taguette would have stored.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from typing import Any


def serve(port: str, database: str) -> None:
    base = importlib.import_module("taguette.web.base")
    base.Application.check_messages = lambda self: None
    sys.argv = ["taguette", "--no-browser", "--bind", "127.0.0.1", "--port", port]
    sys.argv += ["--database", database]
    importlib.import_module("taguette.main").main()


def highlights(database: str, project_id: str, path: str) -> None:
    db: Any = importlib.import_module("taguette.database")
    extract = importlib.import_module("taguette.extract").extract

    session = db.connect("sqlite:///" + database)()
    project = int(project_id)
    with open(path, encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    tags: dict[str, int] = {}
    for row in rows:
        if row["tag"] not in tags:
            tag = db.Tag(project_id=project, path=row["tag"], description="")
            session.add(tag)
            session.flush()
            tags[row["tag"]] = tag.id
    contents: dict[int, str] = {}
    checked = 0
    for number, row in enumerate(rows):
        if number % max(1, len(rows) // 25) == 0:  # a sample across the corpus
            document = row["document"]
            if document not in contents:
                contents[document] = session.query(db.Document).get(document).contents
            found = extract(contents[document], row["start"], row["end"])
            if found != row["snippet"]:
                sys.exit(
                    f"snippet of highlight {number} differs from Taguette's extract: "
                    f"{found[:200]!r} != {row['snippet'][:200]!r}"
                )
            checked += 1
    first = (session.query(db.Highlight.id).order_by(db.Highlight.id.desc()).first() or (0,))[0]
    session.execute(
        db.Highlight.__table__.insert(),
        [
            {
                "id": first + i + 1,
                "document_id": row["document"],
                "start_offset": row["start"],
                "end_offset": row["end"],
                "snippet": row["snippet"],
            }
            for i, row in enumerate(rows)
        ],
    )
    session.execute(
        db.highlight_tags.insert(),
        [{"highlight_id": first + i + 1, "tag_id": tags[row["tag"]]} for i, row in enumerate(rows)],
    )
    session.commit()
    print(f"{len(rows)} highlights, {len(tags)} tags; {checked} snippets checked")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    commands: dict[str, Callable[..., None]] = {"serve": serve, "highlights": highlights}
    commands[command](*args)
