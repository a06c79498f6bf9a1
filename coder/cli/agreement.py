"""`coder agree`: inter-coder agreement (coder.agreement)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeAlias

import click

from coder import model
from coder.cli.base import (
    ChoiceOf,
    coder_list,
    echo_json,
    names_in,
    project_option,
    reader_option,
    terminal_width,
    where_option,
)
from coder.errors import UsageError
from coder.project import Project
from coder.tables import json_ready, markdown_table, text_table

if TYPE_CHECKING:
    import pandas as pd

    from coder.agreement.api import (
        AgreementReport,
        Average,
        By,
        ConfusionReport,
        Count,
        Measure,
        Method,
        StretchReport,
        UnitOrMeasure,
    )
    from coder.agreement.gather import Speech

    IntervalChoice: TypeAlias = Method | Literal["none"]


UNIT_HELP = (
    "What is compared. Units cut in advance: sentence, turn, paragraph or document, with "
    "every coefficient. Coded stretches, as other tools compare them: character = NVivo's "
    "coding comparison (per document, characters both/one/neither coded, kappa); unitized = "
    "Krippendorff's alpha_U (2004), the unitizing alpha ATLAS.ti reports; overlap = MAXQDA's "
    "segment agreement (segments match when they overlap by --threshold)."
)
ABOUT: dict[Measure, str] = {
    "unitized": "Unitized agreement (Krippendorff's alpha_U, 2004; ATLAS.ti reports this family)",
    "character": "Character agreement (NVivo's coding comparison)",
    "overlap": "Segment overlap agreement (MAXQDA's intercoder agreement on segments)",
}
AVERAGES: dict[Average, str] = {
    "size_weighted": "document kappas weighted by length",
    "unweighted": "document kappas averaged unweighted",
    "pooled": "kappa of the characters summed over documents",
}
CUT_UNITS = "sentence, turn, paragraph or document units"
SPEECH_NAMES = {"all": "", "participants": " in the participants' speech"}
INTERVAL_NAMES = {
    "analytic": "Gwet's analytic standard errors",
    "bootstrap": "bootstrap over units",
}


def report_json(report: AgreementReport) -> dict[str, object]:
    pooled = json_ready(report.pooled)
    return {
        "unit": report.unit,
        "speech": report.speech,
        "coders": list(report.coders),
        "documents": list(report.documents),
        "per_code": json_ready(report.per_code),
        "pooled": pooled[0] if pooled else {},
        "per_document": json_ready(report.per_document),
        "intervals": json_ready(report.intervals),
    }


def stretch_json(report: StretchReport) -> dict[str, object]:
    pooled = json_ready(report.pooled)
    out: dict[str, object] = {
        "unit": report.measure,
        "coders": list(report.coders),
        "documents": list(report.documents),
    }
    if report.threshold is not None:
        out["threshold"] = report.threshold
    if report.average is not None:
        out["average"] = report.average
    out |= {
        "per_code": json_ready(report.per_code),
        "pooled": pooled[0] if pooled else {},
        "per_document": json_ready(report.per_document),
    }
    if report.measure == "unitized" and len(pooled) > 1:
        out["binary"] = pooled[1]
    return out


def confusion_json(report: ConfusionReport) -> dict[str, object]:
    table = report.table
    return {
        "coders": list(report.coders),
        "documents": list(report.documents),
        "count": report.count,
        "rows": [str(c) for c in table.index],
        "columns": [str(c) for c in table.columns],
        "table": table.to_numpy().tolist(),
        "pairs": json_ready(report.pairs()),
    }


def write(output: Path, view: pd.DataFrame, data: pd.DataFrame) -> None:
    """The view as Markdown, or the full table as CSV."""
    suffix = output.suffix.lower()
    if suffix == ".md":
        output.write_text(markdown_table(view) + "\n", encoding="utf-8")
    elif suffix == ".csv":
        data.to_csv(output, index=False)
    else:
        raise UsageError(f"cannot write {output.suffix or 'that'}: use a .csv or .md file")
    click.echo(f"Wrote {output}.", err=True)


def refuse(given: dict[str, object], allowed: str) -> None:
    """Options that only some units take must not be silently ignored."""
    extra = [name for name, value in given.items() if value is not None]
    if extra:
        raise UsageError(f"{', '.join(extra)} applies only to {allowed}")


@click.command()
@project_option
@reader_option
@click.option(
    "--coders",
    help="Coders to compare, comma-separated: maya,tomas (default: the two who coded the most "
    "documents in common).",
)
@click.option(
    "--unit",
    type=ChoiceOf(names_in("coder.agreement.api", "UNITS_AND_MEASURES")),
    default="sentence",
    show_default=True,
    help=UNIT_HELP,
)
@click.option(
    "--by",
    type=ChoiceOf(names_in("coder.agreement.api", "BYS")),
    default="code",
    show_default=True,
    help="Rows: per code (with the pooled rows last), per document and code, or pooled only.",
)
@click.option(
    "--documents", help="Comma-separated documents (default: those all the coders coded)."
)
@where_option
@click.option(
    "--speech",
    type=ChoiceOf(names_in("coder.agreement.gather", "SPEECH")),
    help="Whose speech the units cover: all, or only the participants' (sentences, turns "
    "or paragraphs inside the interviewer's turns left out).  [default: all]",
)
@click.option(
    "--min-share",
    type=float,
    help="Share of a unit a coding must cover to mark it; sentence, turn, paragraph or "
    "document units (default 0: any overlap).",
)
@click.option(
    "--interval",
    type=ChoiceOf(names_in("coder.agreement.intervals", "METHODS", "none")),
    help="Confidence intervals of kappa, alpha and AC1 on units cut in advance: analytic "
    "(Gwet's standard errors, as irrCAC) or bootstrap (resampling units; also gives the "
    "pooled row's).  [default: analytic]",
)
@click.option("--level", type=float, default=0.95, show_default=True, help="Interval coverage.")
@click.option("--draws", type=int, default=1000, show_default=True, help="Bootstrap resamples.")
@click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed.")
@click.option(
    "--threshold",
    type=float,
    help="--unit overlap: the share of two segments' union their overlap must reach to match "
    "(MAXQDA's minimum overlap).  [default: 0.9]",
)
@click.option(
    "--average",
    type=ChoiceOf(names_in("coder.agreement.character", "HOWS")),
    help="--unit character: how per-document kappas become one per code: size_weighted (by "
    "document length, as NVivo's help advises), unweighted, or pooled (one 2 x 2 table).  "
    "[default: size_weighted]",
)
@click.option(
    "--confusion",
    is_flag=True,
    help="Instead: which codes the second coder applied where the first applied each code "
    "(a code x code table over overlapping text).",
)
@click.option(
    "--count",
    type=ChoiceOf(names_in("coder.agreement.api", "COUNTS")),
    help="--confusion: count passages (segments) or characters.  [default: segments]",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON (every table).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the table to FILE.csv (every column) or FILE.md (as shown).",
)
def agree(
    location: str,
    reader: str | None,
    coders: str | None,
    unit: UnitOrMeasure,
    by: By,
    documents: str | None,
    where: tuple[str, ...],
    speech: Speech | None,
    min_share: float | None,
    interval: IntervalChoice | None,
    level: float,
    draws: int,
    seed: int,
    threshold: float | None,
    average: Average | None,
    confusion: bool,
    count: Count | None,
    as_json: bool,
    output: Path | None,
) -> None:
    """Inter-coder agreement per code, per document or pooled, with the counts behind it.

    On units cut in advance (sentences by default), every coefficient with its counts:
    percent agreement over all units and over the units at least one coder marked (so rare
    codes are not flattered), Cohen's kappa (Conger's for three or more coders),
    Krippendorff's alpha and Gwet's AC1, with confidence intervals. On coded stretches, the
    measures NVivo, ATLAS.ti and MAXQDA report (--unit character|unitized|overlap). See
    docs/agreement.md for every definition.
    """
    from coder.agreement.api import split_unit
    from coder.attributes.where import parse as parse_where

    names = [d.strip() for d in documents.split(",")] if documents else None
    filters = parse_where(where)
    named = coder_list(coders) if coders else None
    source = click.get_current_context().get_parameter_source("unit")
    if confusion:
        explicit_unit = unit if source == click.core.ParameterSource.COMMANDLINE else None
        refuse(
            {"--unit": explicit_unit, "--min-share": min_share, "--interval": interval}
            | {"--speech": speech}
            | {"--threshold": threshold, "--average": average},
            "agreement tables, not --confusion",
        )
        with Project.open(location, as_coder=reader) as project:
            found = project.agreement.confusion(
                named or chosen_pair(project),
                documents=names,
                where=filters,
                count=count or "segments",
            )
        show_confusion(found, as_json, output)
        return
    refuse({"--count": count}, "--confusion")
    cut, measure = split_unit(unit)
    if measure is not None:
        refuse({"--min-share": min_share, "--interval": interval, "--speech": speech}, CUT_UNITS)
        if measure != "overlap":
            refuse({"--threshold": threshold}, "--unit overlap")
        if measure != "character":
            refuse({"--average": average}, "--unit character")
        with Project.open(location, as_coder=reader) as project:
            pair = named or chosen_pair(project)
            if measure == "unitized":
                stretch = project.agreement.unitized(pair, documents=names, where=filters)
            elif measure == "character":
                stretch = project.agreement.character(
                    pair, documents=names, where=filters, average=average or "size_weighted"
                )
            else:
                stretch = project.agreement.overlap(
                    pair,
                    documents=names,
                    where=filters,
                    threshold=0.9 if threshold is None else threshold,
                )
        show_stretch(stretch, by, as_json, output)
        return
    assert cut is not None
    refuse({"--threshold": threshold, "--average": average}, "--unit overlap or character")
    method = None if interval == "none" else (interval or "analytic")
    with Project.open(location, as_coder=reader) as project:
        report = project.agreement(
            named or chosen_pair(project),
            cut,
            documents=names,
            where=filters,
            min_share=min_share or 0.0,
            interval=method,
            level=level,
            draws=draws,
            seed=seed,
            speech=speech or "all",
        )
    show_report(report, by, as_json, output)


def chosen_pair(project: Project) -> list[str]:
    """The two coders compared when --coders is not given, said on stderr."""
    pair = project.agreement.default_coders()
    if len(pair) < 2:
        everyone = [c.name for c in project.coders() if c.name != model.CONSENSUS_CODER]
        who = f"only {pair[0]} has" if pair else "nobody has"
        raise UsageError(
            f"{who} coded yet, so there is nothing to compare; name the coders with --coders "
            f"({', '.join(everyone) or 'none in the project'})"
        )
    click.echo(
        f"Comparing {pair[0]} and {pair[1]}, the two coders with the most documents in "
        "common; name others with --coders.",
        err=True,
    )
    return pair


def show_report(report: AgreementReport, by: By, as_json: bool, output: Path | None) -> None:
    from coder.agreement.views import agreement_view, kappa_column, with_intervals

    if as_json:
        echo_json(report_json(report))
        return
    view = agreement_view(report, by)
    if output is not None:
        data = report.table(by)
        write(output, view, with_intervals(data, report.intervals) if by != "document" else data)
        return
    kappa = "Cohen's" if kappa_column(report.coders) == "cohen_kappa" else "Conger's"
    click.echo(
        f"Agreement of {' and '.join(report.coders)} by {report.unit}{SPEECH_NAMES[report.speech]}"
        " over "
        f"{len(report.documents)} documents: {', '.join(report.documents)}"
    )
    said = f"kappa is {kappa}"
    if len(report.intervals) and by != "document":
        level = round(100 * float(report.intervals["level"].iloc[0]))
        method = INTERVAL_NAMES[str(report.intervals["method"].iloc[0])]
        said += f"; {level}% intervals from {method}"
    click.echo(said + ".\n")
    click.echo(text_table(view, width=terminal_width()))


def show_stretch(report: StretchReport, by: By, as_json: bool, output: Path | None) -> None:
    from coder.agreement.views import stretch_view

    if as_json:
        echo_json(stretch_json(report))
        return
    view = stretch_view(report, by)
    if output is not None:
        write(output, view, report.table(by))
        return
    settings = ""
    if report.threshold is not None:
        settings = f", segments matching at {report.threshold:.0%} overlap"
    if report.average is not None and by != "document":
        settings = ", " + AVERAGES[report.average]
    laid = " laid end to end" if report.measure == "unitized" and by != "document" else ""
    click.echo(
        f"{ABOUT[report.measure]} of {' and '.join(report.coders)} over "
        f"{len(report.documents)} documents{laid}{settings}: {', '.join(report.documents)}\n"
    )
    click.echo(text_table(view, width=terminal_width()))


def show_confusion(report: ConfusionReport, as_json: bool, output: Path | None) -> None:
    if as_json:
        echo_json(confusion_json(report))
        return
    pairs = report.pairs()
    if output is not None:
        write(output, pairs, report.table.reset_index())
        return
    a, b = report.coders
    click.echo(
        f"Where {a} applied a code (left), the codes {b} applied to the same text (right), "
        f"counting {report.count}, over {len(report.documents)} documents; differing pairs "
        f"first, (none) = text the other left uncoded:\n"
    )
    click.echo(text_table(pairs[[report.count, a, b]], width=terminal_width()))
