"""Inter-coder agreement: coefficients as pure functions, units built from codings, and
agreement on coded stretches of text (unitizing alpha, character and segment-overlap agreement,
code confusion).

Nothing here touches storage: inputs and outputs are pandas tables. See docs/agreement.md for
what each coefficient means and how the units are built.
"""

from coder.agreement.analytic import analytic_ci
from coder.agreement.character import aggregate_kappa, character_agreement
from coder.agreement.coefficients import (
    bootstrap_ci,
    brennan_prediger,
    cohen_kappa,
    conger_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from coder.agreement.confusion import code_confusion
from coder.agreement.estimate import AnalyticInterval, Estimate, Interval
from coder.agreement.overlap import overlap_agreement
from coder.agreement.unitizing import unitizing_alpha
from coder.agreement.units import agreement_table, agreement_tables, disagreements, unit_table

__all__ = [
    "AnalyticInterval",
    "Estimate",
    "Interval",
    "aggregate_kappa",
    "agreement_table",
    "agreement_tables",
    "analytic_ci",
    "bootstrap_ci",
    "brennan_prediger",
    "character_agreement",
    "code_confusion",
    "cohen_kappa",
    "conger_kappa",
    "disagreements",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "overlap_agreement",
    "percent_agreement",
    "scott_pi",
    "unit_table",
    "unitizing_alpha",
]
