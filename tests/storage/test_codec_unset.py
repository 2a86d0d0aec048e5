"""A field left at its None default is not written (a case carries seventy facts, most unrecorded)
and reads back as None; any other value, None included where the default is something else, is
written and read back as it was."""

from __future__ import annotations

from dataclasses import dataclass, field

from panel.case_facts import CaseFacts, RiskLevel
from storage.codec import from_document, to_document


@dataclass
class _Holder:
    kept: int | None = 5
    unset: str | None = None
    items: list[int] = field(default_factory=list)


def test_a_field_at_its_none_default_is_left_out_and_comes_back_as_none() -> None:
    document = to_document(_Holder(kept=None))
    assert document == {"kept": None, "items": []}
    assert from_document(_Holder, document) == _Holder(kept=None)
    facts = CaseFacts(risk_level=RiskLevel.HIGH)
    assert to_document(facts) == {"risk_level": "high"}
    assert from_document(CaseFacts, to_document(facts)) == facts
