"""How the panel is doing, and what it is learning: the outputs report and the themes, with Teams'
own chart elements (each with a table-like fallback for clients that cannot draw charts).

Charts are plain JSON (the card library has no chart types): Chart.HorizontalBar with data of
{x, y}, Chart.Donut with {legend, value}, Chart.Line with series of {legend, values: [{x, y}]}.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import ActionShowCard, Fact, FactSet, InputDate, InputText, TextBlock
from adaptive_cards.types import ActionStyle, FontWeight, Spacing

from cards import verbs
from cards.form_parts import Banner, Choice, card, choices, subform
from cards.render import execute

CHART_TYPES = frozenset({"Chart.VerticalBar", "Chart.Donut", "Chart.Line", "Chart.HorizontalBar"})
MAX_BARS = 12


@dataclass(frozen=True)
class ReportView:
    """The outputs for a period: headline figures (with the period before), and the series."""

    period: str
    figures: tuple[tuple[str, str, str], ...]  # (name, this period, previous period), as shown
    by_route: tuple[tuple[str, int], ...]
    by_slot: tuple[tuple[str, int], ...]
    months: tuple[tuple[str, int, int], ...]  # (month, referred, heard)
    flags: tuple[tuple[str, int], ...]
    closure: str
    audit_count: str
    start: str
    end: str
    banner: Banner | None = None
    download: str | None = None
    download_name: str | None = None  # which file the link gives
    # As handed on (the commissioner's view): small numbers hidden, so each picture is a table of
    # the figures as shown, since a chart cannot draw "<5".
    handed_on: bool = False
    tables: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    case_facts: bool = False  # whether the reader may have the per-case facts (row-level data)
    feedback_heading: str = ""  # "Feedback on the panel, 2026Q3": always the last whole quarter
    feedback: tuple[tuple[str, str], ...] = ()


def _fallback(rows: Sequence[tuple[str, object]]) -> dict[str, Any]:
    """What a client without charts shows instead: the same figures as facts."""
    return {
        "type": "FactSet",
        "facts": [{"title": str(k), "value": str(v)} for k, v in rows] or [{"title": "—", "value": "none"}],
    }


def titled(title: str, picture: dict[str, Any] | None) -> dict[str, Any]:
    """A chart (or table) under its heading; with nothing to draw, say so rather than leave a gap.
    The heading is a TextBlock, not the chart's own title, so clients that draw no chart title
    still say what the picture is, and the fallback needs no title of its own."""
    items: list[dict[str, Any]] = [{"type": "TextBlock", "text": title, "weight": "bolder", "wrap": True}]
    items.append(
        picture or {"type": "TextBlock", "text": "None in this period.", "isSubtle": True, "wrap": True}
    )
    return {"type": "Container", "spacing": "medium", "items": items}


def _chart_id(title: str) -> str:
    return "chart-" + "-".join("".join(c for c in title.lower() if c.isalnum() or c == " ").split())


def _counts_chart(
    kind: str, keys: tuple[str, str], title: str, rows: Sequence[tuple[str, int]], **options: str
) -> dict[str, Any]:
    """A chart of the non-zero counts (at most twelve), each point named by `keys`."""
    shown = [(k, v) for k, v in rows if v][:MAX_BARS]
    chart = {
        "type": kind,
        "id": _chart_id(title),
        "colorSet": "categorical",
        **options,
        "data": [{keys[0]: k, keys[1]: v} for k, v in shown],
        "fallback": _fallback(shown),
    }
    return titled(title, chart if shown else None)


def bar_chart(title: str, rows: Sequence[tuple[str, int]]) -> dict[str, Any]:
    """Horizontal bars of counts (room for long labels such as flags), each bar with its count and
    no axis: an axis drawn for small counts had ticks such as 0.17, and its labels were cut off."""
    return _counts_chart("Chart.HorizontalBar", ("x", "y"), title, rows, displayMode="AbsoluteNoAxis")


def donut_chart(title: str, rows: Sequence[tuple[str, int]]) -> dict[str, Any]:
    """A donut of parts of a whole."""
    return _counts_chart("Chart.Donut", ("legend", "value"), title, rows)


def line_chart(title: str, xs: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> dict[str, Any]:
    """Lines over time (months, quarters)."""
    rows = [(x, ", ".join(f"{name} {values[i]}" for name, values in series)) for i, x in enumerate(xs)]
    chart = {
        "type": "Chart.Line",
        "id": _chart_id(title),
        "colorSet": "categorical",
        "data": [
            {"legend": name, "values": [{"x": x, "y": values[i]} for i, x in enumerate(xs)]}
            for name, values in series
        ],
        "fallback": _fallback(rows),
    }
    return titled(title, chart if any(any(values) for _, values in series) else None)


def report_card(view: ReportView) -> dict[str, Any]:
    """The outputs report in Teams: figures against the period before, and charts."""
    body: list[Any] = [
        TextBlock(text=view.period, is_subtle=True, wrap=True),
        FactSet(
            facts=[
                Fact(title=name, value=f"{now} (before: {before})" if before not in ("", now) else now)
                for name, now, before in view.figures
            ]
        ),
        TextBlock(text=view.closure, wrap=True, spacing=Spacing.SMALL),
        TextBlock(
            text=f"{view.audit_count} cases to audit: live, or closed in the last 12 months (references "
            "and facts in the case facts CSV; audit them with **assurance**).",
            wrap=True,
            is_subtle=True,
        ),
    ]
    if view.handed_on:
        body.insert(
            0,
            TextBlock(
                text="As handed on: counts from 1 to 4 are shown as <5, and a second figure is hidden "
                "where the first could be worked out by subtraction.",
                wrap=True,
                weight=FontWeight.BOLDER,
            ),
        )
    charts = (
        [titled(title, _fallback(rows)) for title, rows in view.tables]
        if view.handed_on
        else [
            bar_chart("Cases referred, by route", view.by_route),
            donut_chart("Cases heard, by slot", view.by_slot),
            line_chart(
                "Month by month",
                [m for m, _, _ in view.months],
                [("Referred", [r for _, r, _ in view.months]), ("Heard", [h for _, _, h in view.months])],
            ),
            bar_chart("Open cases, by early-warning flag", view.flags),
        ]
    )
    period = subform(
        [
            choices(
                "period",
                "Period",
                (("Last quarter", "quarter"), ("Last 12 months", "year"), ("The dates below", "dates")),
                required=False,
            ),
            InputDate(id="from", label="From", value=view.start),
            InputDate(id="to", label="To", value=view.end),
        ],
        execute("Show", verbs.REPORT_SHOW, {}, ActionStyle.POSITIVE),
    )
    # The exports keep the view the person is looking at: the card they come back on is the same.
    dates = {
        "from": view.start,
        "to": view.end,
        "period": "dates",
        "handed_on": "yes" if view.handed_on else "no",
    }
    actions: list[Any] = [
        ActionShowCard(title="Another period", card=period),
        execute(
            "The panel's exact figures" if view.handed_on else "As the commissioner sees it",
            verbs.REPORT_SHOW,
            {**dates, "handed_on": "no" if view.handed_on else "yes"},
        ),
        execute("CSV for the commissioner (small numbers hidden)", verbs.REPORT_EXPORT, dates),
    ]
    if view.case_facts:
        actions.append(execute("Case facts CSV (by reference)", verbs.REPORT_CASE_FACTS, dates))
    title = "How the panel is doing (as handed on)" if view.handed_on else "How the panel is doing"
    content = card(title, body, actions, view.banner)
    content["body"].extend(charts)  # plain JSON: the card library has no chart elements
    if view.feedback:
        content["body"].append(
            {
                "type": "TextBlock",
                "text": view.feedback_heading,
                "weight": "Bolder",
                "wrap": True,
                "spacing": "Medium",
            }
        )
        content["body"].append(
            {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in view.feedback]}
        )
    if view.download:
        content["body"].append(
            {
                "type": "TextBlock",
                "text": f"[Download {view.download_name or 'the CSV'}]({view.download}) — the link works "
                "once, for ten minutes.",
                "wrap": True,
            }
        )
    return content


@dataclass(frozen=True)
class LearningLine:
    """A learning action, by its id, role and dates (its text passed the identity guard)."""

    action_id: str
    text: str
    owner: str
    due: str
    status: str


@dataclass(frozen=True)
class ThemesView:
    """Themes by quarter, good practice noted, new themes, and the learning actions."""

    quarters: tuple[str, ...]
    themes: tuple[tuple[str, tuple[int, ...], bool], ...]  # (theme in words, counts, new this quarter)
    good_practice: tuple[int, ...]
    learning: tuple[LearningLine, ...]
    owners: tuple[Choice, ...]
    theme_choices: tuple[Choice, ...]
    can_record: bool
    today: str
    banner: Banner | None = None
    # A refused learning action's choices, put back in the form: never its text, which may be
    # why it was refused.
    draft: LearningDraft | None = None


@dataclass(frozen=True)
class LearningDraft:
    """The choices of a learning action not recorded: owner, due date and theme, as chosen."""

    owner: str | None = None
    due: str | None = None
    theme: str | None = None


def themes_card(view: ThemesView) -> dict[str, Any]:
    """What the panel keeps seeing, and what the force is doing about it."""
    latest = [(name, counts[-1]) for name, counts, _ in view.themes if counts[-1]]
    new = [name for name, _, is_new in view.themes if is_new]
    charts = [
        bar_chart(f"Themes in {view.quarters[-1]}", latest),
        line_chart(
            "Themes and good practice by quarter",
            list(view.quarters),
            [
                ("Themes", [sum(c[i] for _, c, _ in view.themes) for i in range(len(view.quarters))]),
                ("Good practice", list(view.good_practice)),
            ],
        ),
    ]
    body: list[Any] = [
        TextBlock(text="New this quarter", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM),
        TextBlock(text="; ".join(new) if new else "No new theme this quarter.", wrap=True),
        TextBlock(text="Learning actions", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM),
    ]
    if view.learning:
        body.append(
            FactSet(
                facts=[
                    Fact(
                        title=f"{a.action_id} · {a.status}", value=f"{a.text} (Owner: {a.owner}, due {a.due})"
                    )
                    for a in view.learning
                ]
            )
        )
    else:
        body.append(TextBlock(text="None recorded yet.", is_subtle=True))
    actions: list[Any] = []
    if view.can_record:
        draft = view.draft or LearningDraft()
        record = subform(
            [
                InputText(
                    id="text",
                    label="What the force will do (no names)",
                    max_length=500,
                    is_multiline=True,
                    is_required=True,
                    error_message="Say what the force will do.",
                ),
                choices("owner", "Owner", view.owners, value=draft.owner),
                InputDate(
                    id="due", label="Due", is_required=True, value=draft.due, error_message="Give a due date."
                ),
                choices("theme", "Arising from", view.theme_choices, required=False, value=draft.theme),
            ],
            execute("Record learning action", verbs.LEARNING_RECORD, {}, ActionStyle.POSITIVE),
        )
        actions.append(ActionShowCard(title="Record a learning action", card=record))
        open_actions = [
            (f"{a.action_id}: {a.text[:60]}", a.action_id) for a in view.learning if a.status == "Open"
        ]
        if open_actions:
            done = subform(
                [
                    choices("action", "Learning action", open_actions, value=open_actions[0][1]),
                    InputText(id="note", label="What changed (no names)", max_length=300),
                ],
                execute("Mark done", verbs.LEARNING_DONE, {}, ActionStyle.POSITIVE),
            )
            actions.append(ActionShowCard(title="Mark one done", card=done))
    content = card("What the panel is learning", body, actions, view.banner)
    at = 2 if view.banner else 1  # after the title (and banner): the pictures first
    content["body"][at:at] = charts
    return content


def without_charts(content: dict[str, Any]) -> dict[str, Any]:
    """The card as a client that cannot draw charts shows it: each chart replaced by its fallback."""

    def swap(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("type") in CHART_TYPES:
                return swap(node["fallback"])
            return {k: swap(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap(item) for item in node]
        return node

    result: dict[str, Any] = swap(content)
    return result
