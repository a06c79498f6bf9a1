"""A throwaway PostgreSQL cluster for the tests: started from the installed binaries on a free
local port, owned by an unprivileged user, removed afterwards.

`CODER_TEST_POSTGRES_URL` points the tests at an existing server instead (a superuser URL).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError(
        "PostgreSQL server binaries not found; run `make test` (it installs them) "
        "or set CODER_TEST_POSTGRES_URL"
    )


def _version_key(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


def _fast_tmp() -> str | None:
    """Memory-backed /dev/shm when there is one: creating a database there takes a tenth of
    the time it takes on disk, and the cluster is thrown away anyway."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return str(shm)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_user() -> str | None:
    """PostgreSQL refuses to run as root: use the package's `postgres` account then."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/bin/false", "postgres"],
            check=True,
        )
    return "postgres"


class ThrowawayPostgres:
    def __init__(self) -> None:
        self.admin_url = os.environ.get("CODER_TEST_POSTGRES_URL")
        self._dir: Path | None = None
        self._user: str | None = None

    def start(self) -> None:
        if self.admin_url:
            return
        bindir = _bindir()
        self._user = _server_user()
        self._dir = Path(tempfile.mkdtemp(prefix="coder-pg-", dir=_fast_tmp()))
        data = self._dir / "data"
        if self._user:
            shutil.chown(self._dir, self._user)
        port = _free_port()
        self._run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ]
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {self._dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(self._dir / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        self.admin_url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        self._watch()

    def _watch(self) -> None:
        """Stop the server and remove its folder when this process ends without `stop`: a
        test run killed outright (a timeout, kill -9) would otherwise leave a server running
        and its folder in memory. The watcher is a shell in a session of its own, so killing
        the run's process group does not take it along."""
        assert self._dir is not None
        stop = self._argv([str(_bindir() / "pg_ctl"), "-D", str(self._dir / "data")])
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 2; done; "
            f"if [ -d {shlex.quote(str(self._dir))} ]; then "
            f"{shlex.join(stop)} -m immediate stop >/dev/null 2>&1; "
            f"rm -rf {shlex.quote(str(self._dir))}; fi"
        )
        subprocess.Popen(
            ["sh", "-c", script],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def _argv(self, argv: list[str]) -> list[str]:
        return ["runuser", "-u", self._user, "--", *argv] if self._user else argv

    def _run(self, argv: list[str]) -> None:
        argv = self._argv(argv)
        result = subprocess.run(argv, capture_output=True, text=True)
        if result.returncode != 0:
            log = ""
            if self._dir and (self._dir / "server.log").exists():
                log = (self._dir / "server.log").read_text()
            raise RuntimeError(f"{argv} failed:\n{result.stdout}\n{result.stderr}\n{log}")

    @property
    def data_dir(self) -> Path | None:
        """The cluster's data folder, for a server started here (None: an existing one)."""
        return None if self._dir is None else self._dir / "data"

    def stop(self) -> None:
        if self._dir is None:
            return
        with contextlib.suppress(RuntimeError):
            self._run(
                [
                    str(_bindir() / "pg_ctl"),
                    "-D",
                    str(self._dir / "data"),
                    "-m",
                    "immediate",
                    "stop",
                ]
            )
        shutil.rmtree(self._dir, ignore_errors=True)
        self._dir = None

    def _libpq(self, database: str = "postgres") -> str:
        assert self.admin_url
        return self.admin_url.replace("+psycopg", "").rsplit("/", 1)[0] + "/" + database

    def url(self, database: str, user: str | None = None) -> str:
        """The URL of a database, as the superuser or as `user` (the cluster trusts local
        connections, so any role that may log in connects without a password)."""
        assert self.admin_url
        if user is not None:
            url = make_url(self.admin_url).set(username=user, password=None, database=database)
            return url.render_as_string(hide_password=False)
        return self.admin_url.rsplit("/", 1)[0] + "/" + database

    def create_database(self, template: str | None = None, name: str | None = None) -> str:
        name = name or "t_" + uuid.uuid4().hex[:16]
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            query = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        with psycopg.connect(self._libpq(), autocommit=True) as conn:
            conn.execute(query)
        return name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self._libpq(), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def drop_roles(self, *names: str) -> None:
        """Drop roles made by a test (after dropping the databases they had privileges on)."""
        with psycopg.connect(self._libpq(), autocommit=True) as conn:
            for name in names:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        name = self.create_database()
        try:
            yield self.url(name)
        finally:
            self.drop_database(name)
