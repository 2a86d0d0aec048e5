"""A field left at its None default is not written (a case carries seventy facts, most unrecorded)
and reads back as None; any other value, None included where the default is something else, is
written and read back as it was."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from panel.case_facts import CaseFacts, FactRecord, RiskLevel
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


@dataclass(frozen=True)
class _Frozen:
    level: int = 1


@dataclass(frozen=True)
class _FrozenWithList:
    items: tuple[int, ...] = ()
    notes: list[int] = field(default_factory=list)


def test_cases_with_no_facts_share_nothing_that_one_case_s_facts_could_change() -> None:
    first = from_document(FactRecord, {"facts": {}, "changed": [], "history": []})
    second = from_document(FactRecord, {"facts": {}, "changed": [], "history": []})
    first.apply({"risk_level": RiskLevel.HIGH}, date(2026, 11, 2))
    assert first.facts.risk_level is RiskLevel.HIGH
    assert second.facts == CaseFacts() and second.facts.risk_level is None
    assert second.history == [] and second.changed == []


def test_an_empty_document_is_shared_only_where_nothing_in_it_can_change() -> None:
    assert from_document(_Frozen, {}) is from_document(_Frozen, {})
    with_list = from_document(_FrozenWithList, {})
    with_list.notes.append(3)
    assert from_document(_FrozenWithList, {}).notes == []  # made afresh: the list is its own
    assert from_document(_Holder, {}) is not from_document(_Holder, {})  # not frozen


def test_a_stored_choice_reads_back_as_its_member_and_an_unknown_one_is_refused() -> None:
    assert from_document(CaseFacts, {"risk_level": "high"}).risk_level is RiskLevel.HIGH
    with pytest.raises(ValueError, match="not a valid RiskLevel"):
        from_document(CaseFacts, {"risk_level": "catastrophic"})
    with pytest.raises(ValueError):
        from_document(CaseFacts, {"risk_level": ["high"]})
