"""Taguette, a web application, against coder's Python API.

The bench starts Taguette's single-user server on 127.0.0.1 (a free port, a fresh SQLite
database under bench/data/SIZE/work/peers/) and talks to it over HTTP as its web page does;
the server is stopped at the end. Taguette's side is a warm server, so coder's side is the
warm API in this process (no start-up on either side).

- import: every transcript uploaded through `POST /api/project/P/document/new`, one after the
  other as its upload form does, vs `Project.import_files` on SQLite (this run's). Taguette
  converts `.txt` files with Calibre's `ebook-convert`, which is not installed here, so each
  transcript is uploaded as the HTML Calibre would make of it, one `<p>` per line; Taguette
  then parses and sanitises it itself.
- every passage of a theme: `GET /api/project/P/highlights/THEME?page=N` for every page (the
  tag's highlights and those of the tags under it, 50 a page) vs
  `project.coding.quotes(QuoteFilter(code=THEME))`.

Taguette has no coders: both coders' codings are its highlights, one per coding, tagged with
the code's path, at Taguette's offsets (UTF-8 bytes of the text, tags not counted).
"""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from bench.generate import CODERS
from bench.peers import HERE, PeerUnavailable, environment
from bench.table import Row, Target
from bench.timing import Timing, child, measure, process_cpu
from coder.coding.quotes import Quote

TARGET = (Target("ratio", 1.0, ("M",)),)  # coder ahead: below 1


def as_html(text: str) -> str:
    """A plain-text transcript as Calibre's conversion would give it: a paragraph per line."""
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in text.split("\n") if line)


def _text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


class Taguette:
    def __init__(self, corpus: Path, work: Path) -> None:
        self.corpus = corpus
        self.home = work / "taguette"
        self.python = environment("taguette")
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.server: subprocess.Popen[bytes] | None = None
        self.cookies = CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.base = ""
        self.project = 0
        self.documents: dict[str, int] = {}

    # -- the server ------------------------------------------------------------------------

    def start(self) -> float:
        """Start a server on a fresh database, log in, create the project; seconds to ready."""
        for old in self.home.glob("taguette.sqlite3*"):
            old.unlink()
        self.home.mkdir(parents=True, exist_ok=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = self.logs / "taguette-server.log"
        began = time.perf_counter()
        with log.open("w") as out:
            database = str(self.home / "taguette.sqlite3")
            self.server = subprocess.Popen(
                [str(self.python), str(HERE / "drive_taguette.py"), "serve", str(port), database],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        token = None
        while token is None:
            if self.server.poll() is not None or time.perf_counter() - began > 120:
                tail = log.read_text(errors="replace")[-1500:]
                self.stop()
                raise PeerUnavailable(f"Taguette's server did not start:\n{tail}")
            time.sleep(0.1)
            found = re.search(r"\?token=([0-9a-f]+)", log.read_text(errors="replace"))
            token = found.group(1) if found else None
        ready = time.perf_counter() - began
        self.base = f"http://127.0.0.1:{port}"
        self.http.open(f"{self.base}/?token={token}").read()
        self.http.open(f"{self.base}/project/new").read()  # sets the _xsrf cookie
        form = urllib.parse.urlencode(
            {"name": "bench", "description": "", "_xsrf": self._xsrf()}
        ).encode()
        landed = self.http.open(f"{self.base}/project/new", data=form)
        landed.read()
        self.project = int(landed.geturl().rstrip("/").rsplit("/", 1)[1])
        return ready

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.terminate()
        try:
            self.server.wait(10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        self.server = None

    def server_cpu(self) -> float:
        assert self.server is not None
        return process_cpu(self.server.pid)

    def _xsrf(self) -> str:
        return next(c.value or "" for c in self.cookies if c.name == "_xsrf")

    def _post_file(self, url: str, fields: dict[str, str], name: str, body: bytes) -> Any:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/html\r\n\r\n".encode()
            + body
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            url,
            data=b"".join(parts),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-XSRFToken": self._xsrf(),
            },
        )
        return json.loads(self.http.open(request).read())

    def get(self, path: str) -> Any:
        return json.loads(self.http.open(f"{self.base}{path}").read())

    # -- the workloads ---------------------------------------------------------------------

    def upload_all(self) -> None:
        for path in sorted((self.corpus / "transcripts").glob("*.txt")):
            body = as_html(path.read_text(encoding="utf-8")).encode()
            url = f"{self.base}/api/project/{self.project}/document/new"
            made = self._post_file(
                url, {"name": path.stem, "description": ""}, f"{path.stem}.html", body
            )
            self.documents[path.stem] = int(made["created"])

    def check_import(self) -> str:
        """'' when Taguette holds every transcript with the text it was given."""
        files = sorted((self.corpus / "transcripts").glob("*.txt"))
        if len(self.documents) != len(files):
            return f"Taguette created {len(self.documents)} documents of {len(files)}"
        for path in (files[0], files[-1]):
            got = self.get(
                f"/api/project/{self.project}/document/{self.documents[path.stem]}/contents"
            )
            text = "".join(chunk["contents"] for chunk in got["contents"])
            expected = "".join(line for line in path.read_text(encoding="utf-8").split("\n"))
            if _text_of(text) != expected:
                return f"Taguette's text of {path.stem} differs from the transcript"
        return ""

    def load_highlights(self) -> tuple[float, str]:
        """Both coders' codings as Taguette highlights, through its own models."""
        import csv

        rows = []
        texts: dict[str, list[str]] = {}
        for coder in CODERS:
            with (self.corpus / f"codings-{coder}.csv").open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    name = row["document"]
                    if name not in texts:
                        path = self.corpus / "transcripts" / f"{name}.txt"
                        texts[name] = path.read_text(encoding="utf-8").split("\n")
                    start, end = int(row["start"]), int(row["end"])
                    before, at = 0, 0  # UTF-8 bytes of the text before the line, its start
                    for line in texts[name]:
                        if at + len(line) >= start:
                            break
                        before += len(line.encode())
                        at += len(line) + 1
                    if end > at + len(line):
                        raise RuntimeError(f"a coding of {name} spans lines at {start}")
                    head = len(line[: start - at].encode())
                    passage = line[start - at : end - at]
                    rows.append(
                        {
                            "document": self.documents[name],
                            "start": before + head,
                            "end": before + head + len(passage.encode()),
                            "tag": row["code"],
                            "snippet": f"<p>{html.escape(passage, quote=False)}</p>",
                        }
                    )
        jsonl = self.home / "highlights.jsonl"
        jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        driver = [str(self.python), str(HERE / "drive_taguette.py"), "highlights"]
        database = str(self.home / "taguette.sqlite3")
        took = child(
            [*driver, database, str(self.project), str(jsonl)],
            self.logs / "taguette-highlights.log",
        )
        return took[0], (self.logs / "taguette-highlights.log").read_text().strip().splitlines()[-1]

    def highlights(self, path: str) -> list[dict[str, Any]]:
        """Every highlight of tag `path` and the tags under it, page by page."""
        quoted = urllib.parse.quote(path, safe="")
        found: list[dict[str, Any]] = []
        page, pages = 1, 1
        while page <= pages:
            got = self.get(f"/api/project/{self.project}/highlights/{quoted}?page={page}")
            found += got["highlights"]
            pages = int(got["pages"])
            page += 1
        return found


def _row(case: str, ours: Timing | None, theirs: Timing | None, failure: str, notes: str) -> Row:
    return Row(
        "peer",
        "taguette",
        case,
        None if ours is None else ours.wall,
        None if theirs is None else theirs.wall,
        targets=TARGET if ours is not None else (),
        against="peer",
        ours_cpu=None if ours is None else ours.cpu,
        baseline_cpu=None if theirs is None else theirs.cpu,
        failure=failure,
        notes=notes,
    )


def bench_taguette(
    corpus: Path,
    work: Path,
    quotes: Callable[[], list[Quote]],
    theme: str,
    repeat: int,
    coder_import: Callable[[], Timing],
) -> list[Row]:
    """The Taguette rows. `quotes` retrieves the theme's quotes through coder's API;
    `coder_import` gives this run's `import_files` on SQLite."""
    peer = Taguette(corpus, work)
    ready = peer.start()
    try:
        files = len(list((corpus / "transcripts").glob("*.txt")))
        cpu = peer.server_cpu()
        began = time.perf_counter()
        peer.upload_all()
        theirs = Timing(time.perf_counter() - began, peer.server_cpu() - cpu)
        rows = [
            _row(
                f"import the transcripts ({files} files)",
                coder_import(),
                theirs,
                peer.check_import(),
                "coder: `Project.import_files` on SQLite, with the manifest; Taguette: one "
                "upload per transcript as HTML (its .txt import needs Calibre, not installed "
                f"here); server ready in {ready:.1f} s, not counted; peer CPU is the server's",
            )
        ]
        took, summary = peer.load_highlights()
        rows.append(Row("setup", "taguette", f"load both coders' codings ({summary})", took))
        mine, found = measure(quotes, repeat)

        fetches = 0

        def fetch() -> list[dict[str, Any]]:
            nonlocal fetches
            fetches += 1
            return peer.highlights(theme)

        cpu = peer.server_cpu()
        other, got = measure(fetch, repeat)
        server = (peer.server_cpu() - cpu) / fetches
        # A passage both coders coded alike is one quote in coder's view and two highlights
        # in Taguette: compare the codings behind the quotes.
        ours_texts = Counter(q.text for q in found for _ in q.coder.split(", "))
        theirs_texts = Counter(_text_of(h["content"]) for h in got)
        behind = sum(ours_texts.values())
        failure = ""
        if behind != len(got):
            failure = f"coder found {behind} codings, Taguette {len(got)} highlights"
        elif ours_texts != theirs_texts:
            failure = f"{sum((ours_texts - theirs_texts).values())} passages' texts differ"
        rows.append(
            _row(
                f"passages of a theme ({len(got)} highlights)",
                mine,
                Timing(other.wall, server),
                failure,
                f"coder: `project.coding.quotes` ({len(found)} quotes for {behind} codings, "
                "with speaker, participant and citation); "
                f"Taguette: {-(-len(got) // 50)} pages of /api/project/P/highlights/THEME; "
                "peer CPU is the server's, averaged over the runs",
            )
        )
        for case in ("counts per code and document", "code × code co-occurrence"):
            rows.append(
                _row(
                    case,
                    None,
                    None,
                    "",
                    "not offered: Taguette shows one highlight count per tag for the whole "
                    "project, with no per-document or co-occurrence counts",
                )
            )
        return rows
    finally:
        peer.stop()
