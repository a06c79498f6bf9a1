"""`coder team`: coders and their database roles on a PostgreSQL server (docs/team.md)."""

from __future__ import annotations

import click

from coder import model
from coder.cli.base import ChoiceOf, actor_option, echo_json, names_in, project_option
from coder.project import Project


@click.group()
def team() -> None:
    """A team on a PostgreSQL server: each coder logs in with their own database role, and
    the database keeps blind coding blind. See docs/team.md."""


@team.command("init")
@project_option
@actor_option
def init(location: str, actor: str) -> None:
    """Create the project's group roles and grant them its tables.

    Run it as the project's owner (a role with CREATEROLE), once after `coder init` and again
    after upgrading coder. `add-coder` runs it too.
    """
    with Project.open(location) as project:
        coders, leads = project.team.setup(actor=actor)
    click.echo(f"Granted the project to group roles {coders} (coders) and {leads} (leads).")


@team.command("add-coder")
@project_option
@actor_option
@click.argument("name")
@click.option(
    "--role",
    type=ChoiceOf(names_in("coder.team.api", "TEAM_ROLES")),
    default="coder",
    show_default=True,
    help="A lead sees everything, edits the codebook and reconciles; a coder codes.",
)
@click.option(
    "--db-role",
    metavar="ROLE",
    help="The database role to log in as (default: NAME in lower case). An existing role, "
    "such as your own, is mapped as it is.",
)
@click.option(
    "--password",
    envvar="CODER_NEW_PASSWORD",
    help="Password of a new role (or $CODER_NEW_PASSWORD); without one, the server's own "
    "authentication (pg_hba.conf) decides.",
)
@click.option(
    "--no-login",
    is_flag=True,
    help="Create the role without the right to log in; an administrator enables it later.",
)
def add_coder(
    location: str,
    actor: str,
    name: str,
    role: model.CoderRole,
    db_role: str | None,
    password: str | None,
    no_login: bool,
) -> None:
    """Add a coder or lead NAME with a database role of their own, and print the URL they
    connect with. Needs the project's owner, with CREATEROLE."""
    with Project.open(location) as project:
        added = project.team.add_coder(
            name,
            role,
            db_role=db_role,
            password=password,
            login=not no_login,
            actor=actor,
        )
    member = added.member
    made = "created" if added.created_role else "existing"
    click.echo(f"Added {member.role} {member.name!r}, logging in as {made} role {member.db_role}.")
    if no_login:
        click.echo("The role cannot log in yet: ALTER ROLE ... LOGIN PASSWORD '...' enables it.")
    click.echo(f"They connect with: {added.url}")


@team.command("list")
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def list_(location: str, as_json: bool) -> None:
    """The project's coders, their database roles, and whether those can log in."""
    with Project.open(location) as project:
        members = project.team.members()
    if as_json:
        echo_json(
            [
                {
                    "name": m.name,
                    "role": m.role,
                    "db_role": m.db_role,
                    "can_login": m.can_login,
                    "groups": list(m.groups),
                }
                for m in members
            ]
        )
        return
    for m in members:
        if m.db_role is None:
            state = "no database role"
        elif m.can_login is None:
            state = f"role {m.db_role} (missing on this server)"
        else:
            login = "can log in" if m.can_login else "cannot log in"
            state = f"role {m.db_role}, {login}, in {', '.join(m.groups) or 'no group'}"
        click.echo(f"{m.name:<16} {m.role:<9} {state}")


@team.command()
@project_option
def whoami(location: str) -> None:
    """Who this connection codes as."""
    with Project.open(location) as project:
        role = project.team.database_role()
        me = project.team.me()
    if role is None:
        click.echo("A SQLite project: you code under the name given by --as or $CODER_USER.")
    elif me is None:
        click.echo(f"Database role {role}, which is no coder of this project.")
    else:
        click.echo(f"{me.name} ({me.role}), logged in as database role {role}.")


@team.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
def copy(source: str, target: str) -> None:
    """Copy a whole project, its history included, to a new place: a .coder file to a
    PostgreSQL database (postgresql+psycopg://owner@host/db), or a database to a file.

    TO must not exist yet (or be an empty database). Database roles are not copied: run
    `coder team add-coder` on the server afterwards.
    """
    from coder.team.api import copy_project

    counts = copy_project(source, target)
    click.echo(
        f"Copied {counts.get('document', 0)} documents, {counts.get('code', 0)} codes, "
        f"{counts.get('coding', 0)} codings and {counts.get('event', 0)} log entries to {target}."
    )
