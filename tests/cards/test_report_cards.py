"""The report and themes cards: charts in Teams' own elements, each with a fallback a client without
charts can draw; the card passes the Teams validator that way and stays under the size limit."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from cards.report_cards import (
    CHART_TYPES,
    LearningLine,
    ReportView,
    ThemesView,
    report_card,
    themes_card,
    without_charts,
)
from tests.cards.test_help_card import assert_matches_golden, assert_valid_for_teams

TEAMS_LIMIT_BYTES = 28 * 1024
MONTHS = tuple((f"{m} 2026", 10 + i, 6 + i) for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
))  # fmt: skip
ROUTES = (("MASH", 14), ("Line manager", 9), ("999/101 call", 7), ("PSD", 4), ("IDVA referral", 2))


def report_view(**extra: Any) -> ReportView:
    return ReportView(
        period="1 Dec 2025 to 30 Nov 2026, compared with the 365 days before",
        figures=(("Cases referred", "36", "31"), ("Panels held", "12", "12"), ("Cases heard", "58", "49")),
        by_route=ROUTES,
        by_slot=(("Update", 30), ("New", 22), ("Complex", 6)),
        months=MONTHS,
        flags=(("Victim not updated", 5), ("No declaration of the investigator's independence", 3)),
        closure="Time to closure: median 143 days, longest 301 days.",
        audit_count="41",
        start="2025-12-01",
        end="2026-11-30",
        **{"case_facts": True, **extra},  # as the chair or the coordinator sees it
    )


THEMES = ThemesView(
    quarters=("Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"),
    themes=(
        ("Updates to a police victim delayed", (3, 2, 4, 5), False),
        ("tag: bail conditions", (0, 0, 0, 2), True),
    ),
    good_practice=(1, 0, 2, 3),
    learning=(
        LearningLine(
            "L1", "Brief supervisors on colleague victims", "Organisational learning", "31 Jan 2027", "Open"
        ),
    ),
    owners=(("Organisational learning", "organisational_learning"),),
    theme_choices=(("Updates to a police victim delayed", "delayed_victim_updates"),),
    can_record=True,
    today="2026-12-01",
)
CARDS = {"report": lambda: report_card(report_view()), "themes": lambda: themes_card(THEMES)}


def _charts(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        here = [node] if node.get("type") in CHART_TYPES else []
        return here + [c for v in node.values() for c in _charts(v)]
    if isinstance(node, list):
        return [c for item in node for c in _charts(item)]
    return []


@pytest.mark.parametrize("name", sorted(CARDS))
def test_each_chart_has_a_fallback_and_teams_accepts_the_card_without_charts(name: str) -> None:
    card = CARDS[name]()
    assert_matches_golden(f"report_{name}", card)
    charts = _charts(card)
    assert charts, "a report without pictures"
    for chart in charts:
        assert chart["data"], chart["title"]
        assert chart["fallback"]["type"] == "FactSet" and chart["fallback"]["facts"]
    assert_valid_for_teams(without_charts(card))
    assert len(json.dumps(card).encode()) < TEAMS_LIMIT_BYTES


def test_the_chart_data_has_the_shape_teams_draws() -> None:
    charts = {c["id"]: c for c in _charts(report_card(report_view()))}
    assert charts["chart-cases-referred-by-route"]["data"][0] == {"x": "MASH", "y": 14}
    assert charts["chart-cases-heard-by-slot"]["data"][0] == {"legend": "Update", "value": 30}
    line = charts["chart-month-by-month"]["data"]
    assert [s["legend"] for s in line] == ["Referred", "Heard"] and line[0]["values"][0] == {
        "x": "Jan 2026",
        "y": 10,
    }


def test_the_commissioners_view_draws_no_chart_of_hidden_numbers_and_says_why() -> None:
    tables = (
        (
            "Cases referred, by route",
            (("MASH", "14"), ("PSD", "<5"), ("IDVA referral", "<5"), ("Total", "20")),
        ),
        ("Month by month", (("Nov 2026", "referred <5, heard 6"),)),
    )
    card = report_card(report_view(handed_on=True, tables=tables))
    assert _charts(card) == [], "a chart cannot draw <5"
    text = json.dumps(card)
    assert "As handed on" in text and "<5" in text and "The panel's exact figures" in text
    assert_valid_for_teams(card)
    exact = json.dumps(report_card(report_view()))
    assert "As the commissioner sees it" in exact and "Case facts CSV (by reference)" in exact


def test_a_picture_with_nothing_to_draw_says_so_instead_of_leaving_a_gap() -> None:
    empty = report_card(dataclasses.replace(report_view(), by_slot=(), flags=(("Victim not updated", 0),)))
    titles = [c["id"] for c in _charts(empty)]
    assert (
        "chart-cases-heard-by-slot" not in titles and "chart-open-cases-by-early-warning-flag" not in titles
    )
    assert json.dumps(empty).count("None in this period.") == 2
