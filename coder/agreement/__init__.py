"""Inter-coder agreement: coefficients as pure functions, and units built from codings.

Nothing here touches storage: inputs and outputs are pandas tables. See docs/agreement.md for
what each coefficient means and how the units are built.
"""

from coder.agreement.analytic import analytic_ci
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
from coder.agreement.estimate import AnalyticInterval, Estimate, Interval
from coder.agreement.units import agreement_table, agreement_tables, disagreements, unit_table

__all__ = [
    "AnalyticInterval",
    "Estimate",
    "Interval",
    "agreement_table",
    "agreement_tables",
    "analytic_ci",
    "bootstrap_ci",
    "brennan_prediger",
    "cohen_kappa",
    "conger_kappa",
    "disagreements",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "scott_pi",
    "unit_table",
]
