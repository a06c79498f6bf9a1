"""The agreement tables as people read them: a few columns named in words, pooled rows last.

The command line and the workbench show these views; JSON, CSV and the Python API keep every
column of the full tables. Nothing here computes a statistic.
"""

from __future__ import annotations

import math

import pandas as pd

from coder.agreement.reports import AgreementReport, By, StretchReport

POOLED = "(pooled)"
LABELS = {"cohen_kappa": "kappa", "conger_kappa": "kappa", "krippendorff_alpha": "alpha"}
LABELS["gwet_ac1"] = "AC1"


def kappa_column(coders: tuple[str, ...]) -> str:
    """Cohen's kappa for two coders; Conger's, its generalisation, for more."""
    return "cohen_kappa" if len(coders) == 2 else "conger_kappa"


def _keys(by: By) -> list[str]:
    return {"code": ["code"], "document": ["document", "code"], "pooled": ["code"]}[by]


def _rows(report: AgreementReport | StretchReport, by: By) -> pd.DataFrame:
    """The rows of `by`; per code, the pooled rows follow (their `code` says what they are)."""
    if by == "document":
        return report.per_document
    pooled = report.pooled
    if "code" not in pooled.columns:
        pooled = pooled.assign(code=POOLED)
    if by == "pooled":
        return pooled
    return pd.concat([report.per_code, pooled], ignore_index=True)


def span(low: float, high: float) -> str:
    if math.isnan(low) or math.isnan(high):
        return "–"
    # Rounded before formatting, so that -0.000001 does not print as "-0.00".
    return f"[{round(low, 2) + 0.0:.2f}, {round(high, 2) + 0.0:.2f}]"


def agreement_view(report: AgreementReport, by: By = "code") -> pd.DataFrame:
    """Counts per coder, percent agreement over all and over marked units, kappa (Cohen's or
    Conger's), alpha and AC1, each followed by its interval when the report has intervals."""
    kappa = kappa_column(report.coders)
    counts = [f"coded_by_{c}" for c in report.coders] + ["coded_by_all"]
    shown = [kappa, "krippendorff_alpha", "gwet_ac1"]
    rows = _rows(report, by)
    frame = rows[[*_keys(by), "n_units", *counts, "percent_agreement", "percent_agreement_marked"]]
    frame = frame.copy()
    bounds = report.intervals
    for name in shown:
        frame[LABELS[name]] = rows[name].to_numpy()
        if len(bounds) and by != "document":
            mine = bounds[bounds["coefficient"] == name].set_index("code")
            low = rows["code"].map(mine["low"]).astype(float)
            high = rows["code"].map(mine["high"]).astype(float)
            label = f"{LABELS[name]} {round(100 * float(bounds['level'].iloc[0]))}% CI"
            frame[label] = [span(lo, hi) for lo, hi in zip(low, high, strict=True)]
    return frame.rename(
        columns={
            "n_units": "units",
            "percent_agreement": "agree",
            "percent_agreement_marked": "agree (marked)",
            "coded_by_all": "both" if len(report.coders) == 2 else "all",
            **{f"coded_by_{c}": c for c in report.coders},
        }
    )


def per_code_view(report: AgreementReport) -> pd.DataFrame:
    """The per-code table people read: counts per coder, then the coefficients, pooled last."""
    return agreement_view(report, "code")


def with_intervals(table: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """A per-code (or pooled) table with `<coefficient>_low`, `_high` and `_se` columns from
    an interval table, for spreadsheets."""
    out = table.copy()
    if not len(intervals) or "code" not in out.columns:
        return out
    for name, rows in intervals.groupby("coefficient", sort=False):
        found = rows.set_index("code")
        for part in ("low", "high", "se"):
            out[f"{name}_{part}"] = out["code"].map(found[part]).astype(float).to_numpy()
    return out


def stretch_view(report: StretchReport, by: By = "code") -> pd.DataFrame:
    """The counts and the coefficient of a stretch-based measure, named in words."""
    a = report.coders[0]
    b = report.coders[1] if len(report.coders) > 1 else ""
    rows = _rows(report, by)
    keys = _keys(by)
    if report.measure == "unitized":
        names = {f"units_{c}": f"{c} units" for c in report.coders}
        names |= {f"characters_{c}": f"{c} chars" for c in report.coders}
        columns = [*names, "alpha"]
        names["alpha"] = "alpha_U"
    elif report.measure == "character":
        # Characters, summed over the rows averaged; the kappa is averaged as the report says.
        columns = ["length", "both", f"only_{a}", f"only_{b}", "neither", "pa", "kappa"]
        names = {f"only_{a}": f"{a} only", f"only_{b}": f"{b} only", "pa": "agree"}
    else:
        columns = [f"segments_{a}", f"segments_{b}", "matched", f"only_{a}", f"only_{b}"]
        columns += ["agreement", "dice", "kappa"]
        names = {f"segments_{a}": a, f"segments_{b}": b, "agreement": "agree"}
        names |= {f"only_{a}": f"{a} only", f"only_{b}": f"{b} only"}
    present = [c for c in columns if c in rows.columns]
    return rows[[*keys, *present]].rename(columns=names).reset_index(drop=True)
