"""A team project on the throwaway PostgreSQL server: the superuser owns it (the administrator),
lena leads, amira and bruno code. Each connects with a role of their own."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from postgres_server import ThrowawayPostgres

from coder import Project

INTERVIEW = """Interviewer: What got in the way?
Dana: Time, mostly. Meetings were at noon. I work days. The jargon was hard too. Nobody explained PDSA.
Interviewer: What helped?
Dana: A glossary. And the coach. She came every month.
"""

MEMBERS = {"lena": "lead", "amira": "coder", "bruno": "coder"}


@dataclass
class TeamStudy:
    server: ThrowawayPostgres
    database: str
    admin: Project
    roles: dict[str, str] = field(default_factory=dict)  # coder name -> database role
    opened: list[Project] = field(default_factory=list)

    @property
    def admin_url(self) -> str:
        return self.server.url(self.database)

    def url(self, name: str) -> str:
        return self.server.url(self.database, user=self.roles[name])

    def open(self, name: str) -> Project:
        project = Project.open(self.url(name))
        self.opened.append(project)
        return project

    def sql(self, name: str) -> psycopg.Connection[tuple[object, ...]]:
        """A raw connection as `name`'s role, outside coder altogether."""
        conninfo = self.url(name).replace("+psycopg", "")
        return psycopg.connect(conninfo, autocommit=True)

    def add(self, name: str, role: str, suffix: str | None = None) -> str:
        """Add a team member with a role name unique on the server; returns the role."""
        suffix = suffix or uuid.uuid4().hex[:8]
        added = self.admin.team.add_coder(name, role, db_role=f"{name}_{suffix}")  # type: ignore[arg-type]
        self.roles[name] = added.member.db_role or ""
        return self.roles[name]

    def span(self, text: str) -> tuple[int, int]:
        start = INTERVIEW.index(text)
        return start, start + len(text)

    def code(self, project: Project, code: str, text: str) -> int:
        start, end = self.span(text)
        who = project.team.me()
        assert who is not None
        return project.coding.apply("interview", code, start, end, coder=who.name).coding_id


@contextlib.contextmanager
def team_study(server: ThrowawayPostgres, folder: Path) -> Iterator[TeamStudy]:
    database = server.create_database()
    suffix = uuid.uuid4().hex[:8]
    admin = Project.create(server.url(database), title="Team study")
    study = TeamStudy(server, database, admin)
    try:
        (folder / "interview.txt").write_text(INTERVIEW)
        admin.import_files([folder / "interview.txt"])
        for name in ("Time", "Jargon", "Support"):
            admin.codebook.add(name)
        for name, role in MEMBERS.items():
            study.add(name, role, suffix)
        yield study
    finally:
        for project in study.opened:
            project.close()
        admin.close()
        server.drop_database(database)
        server.drop_roles(*study.roles.values(), f"{database}_coders", f"{database}_leads")
