"""Suggestion commands: `coder suggest` and `coder suggestions list|accept|reject`."""

from __future__ import annotations

import click

from coder.cli.base import ChoiceOf, echo_json, names_in, project_option, terminal_width
from coder.errors import UsageError
from coder.project import Project
from coder.tables import text_table

CODER_OPTION = click.option(
    "--coder", required=True, envvar="CODER_USER", help="Whose suggestions (default $CODER_USER)."
)
FOR_OPTION = click.option(
    "--coder",
    envvar="CODER_USER",
    help="Whom to suggest for (default $CODER_USER); not needed with --evaluate.",
)


@click.command()
@project_option
@FOR_OPTION
@click.option(
    "--codes",
    "codes",
    multiple=True,
    metavar="PATH",
    help="Only this code and its sub-codes (repeatable). Default: every code with keywords.",
)
@click.option(
    "--level",
    type=ChoiceOf(names_in("coder.coding.suggestions.run", "LEVELS")),
    default="sentence",
    show_default=True,
    help="Suggest whole sentences, turns or paragraphs.",
)
@click.option("--participants-only", is_flag=True, help="Skip the interviewer's turns.")
@click.option(
    "--within",
    metavar="PATH",
    help="Only units overlapping the coder's codings of this code (autocode within code).",
)
@click.option("--document", "documents", multiple=True, help="Only this document (repeatable).")
@click.option(
    "--evaluate",
    is_flag=True,
    help="Store nothing; score what would be suggested against --against's codings.",
)
@click.option(
    "--against", metavar="CODER", help="With --evaluate: the human coder to score against."
)
@click.option("--json", "as_json", is_flag=True, help="With --evaluate: print JSON.")
def suggest(
    location: str,
    coder: str | None,
    codes: tuple[str, ...],
    level: str,
    participants_only: bool,
    within: str | None,
    documents: tuple[str, ...],
    evaluate: bool,
    against: str | None,
    as_json: bool,
) -> None:
    """Suggest codings from the codebook's keywords and patterns.

    Suggestions are stored for CODER with origin `suggested`; they count in no agreement,
    matrix or quote until accepted (`coder suggestions accept`, or in the coding screen).
    A unit the coder has already coded, been suggested or rejected for a code is skipped.

    With --evaluate --against CODER nothing is stored: the suggestions are scored against
    that coder's codings at unit level, giving precision and recall per code.
    """
    from coder.coding.suggestions.run import SuggestOptions

    options = SuggestOptions(
        codes=codes,
        level=level,
        participant_only=participants_only,
        within=within,
        documents=documents,
    )
    with Project.open(location) as project:
        if evaluate:
            if not against:
                raise UsageError("--evaluate needs --against CODER, the coder to score against")
            table = project.coding.evaluate_suggestions(against, options)
        else:
            if against:
                raise UsageError("--against only makes sense with --evaluate")
            if not coder:
                raise UsageError("say whom to suggest for with --coder NAME")
            run = project.coding.suggest(coder, options)
    if evaluate:
        if as_json:
            echo_json(table.to_dict("records"))
        else:
            click.echo(text_table(table, width=terminal_width()))
        return
    click.echo(
        f"Suggested {run.total} codings for {run.coder} over {run.units} {run.level} units "
        f"from {run.rules} codes with keywords or patterns ({run.skipped} already coded, "
        "suggested or rejected)."
    )
    for path, count in sorted(run.added.items()):
        click.echo(f"  {count:5d}  {path}")
    if run.total:
        click.echo(f"Review them with: coder suggestions list -p {location} --coder {run.coder}")


@click.group()
def suggestions() -> None:
    """Review suggested codings: list, accept or reject them."""


@suggestions.command("list")
@project_option
@CODER_OPTION
@click.option("--code", metavar="PATH", help="Only this code and its sub-codes.")
@click.option("--document", help="Only this document.")
def suggestions_list(location: str, coder: str, code: str | None, document: str | None) -> None:
    """List pending suggestions with their text."""
    with Project.open(location) as project:
        pending = project.coding.suggestions(coder, code=code, document=document)
    for s in pending:
        text = " ".join(s.text.split())
        click.echo(f"{s.coding_id:6d}  {s.document} {s.start}-{s.end}  {s.code}")
        click.echo(f"        “{text}”")
    click.echo(f"{len(pending)} pending suggestions.")


def _review(
    location: str,
    coder: str,
    ids: tuple[int, ...],
    all_: bool,
    code: str | None,
    document: str | None,
    accept: bool,
) -> None:
    if bool(ids) == all_:
        raise UsageError("give suggestion ids, or --all (with --code/--document to narrow it)")
    if ids and (code or document):
        raise UsageError("--code and --document narrow --all; they do not apply to ids")
    with Project.open(location) as project:
        chosen = list(ids) or [
            s.coding_id for s in project.coding.suggestions(coder, code=code, document=document)
        ]
        if accept:
            count = project.coding.accept(chosen, actor=coder)
        else:
            count = project.coding.reject(chosen, actor=coder)
    verb = "Accepted" if accept else "Rejected"
    click.echo(f"{verb} {count} suggestions. `coder undo -p {location} --as {coder}` reverses it.")


def _review_command(accept: bool) -> click.Command:
    verb = "accept" if accept else "reject"

    @project_option
    @CODER_OPTION
    @click.argument("ids", nargs=-1, type=int)
    @click.option("--all", "all_", is_flag=True, help=f"{verb.title()} every pending suggestion.")
    @click.option("--code", metavar="PATH", help="With --all: only this code and its sub-codes.")
    @click.option("--document", help="With --all: only this document.")
    def command(
        location: str,
        coder: str,
        ids: tuple[int, ...],
        all_: bool,
        code: str | None,
        document: str | None,
    ) -> None:
        _review(location, coder, ids, all_, code, document, accept)

    command.__doc__ = (
        f"{verb.title()} suggestions by id (see `coder suggestions list`), or all at once."
        + (
            " Accepted ones count like manual codings."
            if accept
            else " Rejected ones are kept so they are not suggested again."
        )
    )
    return click.command(verb)(command)


suggestions.add_command(_review_command(True))
suggestions.add_command(_review_command(False))
