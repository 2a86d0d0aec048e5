"""The words forces use for the domain's coded values: "999/101 call", "PSD", "High", "SOO".
One table, so every card, form and message says the same thing."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

LABELS: dict[str, str] = {
    # Category
    "police_victim": "Police victim",
    "police_perpetrator": "Police perpetrator",
    "both_police": "Both parties police",
    # Referral route
    "999_101_call": "999/101 call",
    "line_manager": "Line manager",
    "colleague": "Colleague",
    "psd": "PSD",
    "anti_corruption_unit": "Anti-Corruption Unit",
    "mash": "MASH",
    "idva_referral": "IDVA referral",
    "other_force_transfer": "Transfer from another force",
    "iopc_referral": "IOPC referral",
    # Owner of an action
    "soo": "SOO",
    "investigation_team": "Investigation team",
    "hr": "HR",
    "safeguarding": "Safeguarding",
    "partner_agency": "Partner agency",
    "organisational_learning": "Organisational learning",
    # Case facts whose words are not their code's
    "chief_inspector_and_above": "Chief inspector and above (before the band was split)",
    "court_outcome": "Court outcome (before convicted and acquitted were told apart)",
    "trust_and_confidence": "The victim's trust and confidence",
    "outside_force_area": "Happened outside the force's area",
    "sex_not_recorded": "Not stated",  # recorded as not stated; "Not recorded" is the empty choice
    # The statutory guidance's words: paused only for specific and significant identified prejudice.
    "paused_specific_prejudice": "Paused for specific and significant identified prejudice",
    "this_force": "This force",
    "closed_review": "Closed-case review",
    "another_force": "Another force",
}
# Acronyms that keep their capitals wherever they appear in a coded value.
ACRONYMS = frozenset({"psd", "mash", "idva", "iopc", "soo", "hr", "dash", "marac", "cps"})


# A report labels tens of thousands of values, of a few hundred kinds: each is worked out once.
@lru_cache(maxsize=4096)
def label(value: StrEnum | str) -> str:
    """A coded value in the words a force uses, capitalised as a field's value: "999/101 call",
    "Awaiting actions", "High"."""
    code = str(value.value if isinstance(value, StrEnum) else value)
    if code in LABELS:
        return LABELS[code]
    parts = [p.upper() if p in ACRONYMS else p for p in code.split("_")]
    text = " ".join(parts)
    return text[:1].upper() + text[1:]
