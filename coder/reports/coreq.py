"""The data-analysis items of COREQ (Tong, Sainsbury & Craig 2007, items 24-32), answered from
what the project knows and marked "not recorded" where it does not.

Tong A, Sainsbury P, Craig J (2007). Consolidated criteria for reporting qualitative research
(COREQ): a 32-item checklist for interviews and focus groups. Int J Qual Health Care 19(6),
349-357. The item names are the checklist's; the questions are paraphrased.
"""

from __future__ import annotations

ITEMS: tuple[tuple[int, str, str], ...] = (
    (24, "Number of data coders", "How many coders coded the data?"),
    (25, "Description of the coding tree", "Is the coding tree described?"),
    (26, "Derivation of themes", "Were themes identified in advance or derived from the data?"),
    (27, "Software", "What software was used to manage the data?"),
    (28, "Participant checking", "Did participants give feedback on the findings?"),
    (29, "Quotations presented", "Are quotations presented, each identified?"),
    (30, "Data and findings consistent", "Are the data presented consistent with the findings?"),
    (31, "Clarity of major themes", "Are the major themes clearly presented?"),
    (32, "Clarity of minor themes", "Are diverse cases or minor themes described?"),
)

NOT_RECORDED = "not recorded"
