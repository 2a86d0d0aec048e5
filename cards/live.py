"""Cards for a live sitting: the control card, the case card, the SOO's call, the end summary.

Views hold references, kinds, times and counts only: there is no field in which a name could travel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import (
    ActionOpenUrl,
    AdaptiveCard,
    Column,
    ColumnSet,
    Container,
    Fact,
    FactSet,
    TextBlock,
)
from adaptive_cards.types import ActionStyle, Colors, ContainerStyle, FontSize, FontWeight, Spacing

from cards import verbs
from cards.render import CONFIDENTIALITY_NOTE, TEAMS_CARD_VERSION, execute, to_dict


@dataclass(frozen=True)
class SlotLine:
    """One agenda line on the control card."""

    position: int
    reference: str
    kind: str
    minutes: int
    starts: str
    state: str
    soo: str  # "waiting", "not in the waiting room", "called", "could not be reached", or ""


@dataclass(frozen=True)
class ControlView:
    """The whole sitting at a glance."""

    sitting_id: str
    title: str
    status: str
    lines: tuple[SlotLine, ...]
    current: str | None
    time_left: str | None
    projected_finish: str
    late_by: int
    warning: str | None
    notices: tuple[str, ...] = ()
    live_slot: str = ""  # the slot being heard, carried by the buttons so a stale press changes nothing


@dataclass(frozen=True)
class HearingLine:
    """A past hearing of the case."""

    date: str
    kind: str
    minutes: str
    outcome: str


@dataclass(frozen=True)
class ActionLine:
    """An action on the case (its text has passed the identity guard)."""

    action_id: str
    description: str
    owner: str
    due: str
    status: str


@dataclass(frozen=True)
class CaseView:
    """What the panel sees of the case being heard."""

    reference: str
    category: str
    route: str
    risk: str
    slot_kind: str
    minutes: int
    first_heard: str
    hearings: tuple[HearingLine, ...]
    actions: tuple[ActionLine, ...]
    case_conference: tuple[str, ...]
    confidence: tuple[tuple[str, str], ...] = ()
    confidence_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CollapsedCaseView:
    """What stays in the chat once the slot has ended (or the case was deferred)."""

    reference: str
    deferred: bool
    heard_at: str
    minutes_used: int
    minutes_allotted: int
    open_actions: int
    done_actions: int


@dataclass(frozen=True)
class CallView:
    """The SOO's call into the case room."""

    reference: str
    case_room_link: str | None
    slot_minutes: int


@dataclass(frozen=True)
class SummaryLine:
    """One case in the end-of-sitting summary."""

    reference: str
    outcome: str
    minutes_used: int
    minutes_allotted: int


@dataclass(frozen=True)
class SummaryView:
    """The sitting when it has ended."""

    title: str
    lines: tuple[SummaryLine, ...]
    actions_recorded: int
    themes_recorded: int
    not_reached: tuple[str, ...]


def control_card(view: ControlView, *, controls: bool, refresh_for: tuple[str, ...] = ()) -> dict[str, Any]:
    """The control card: read-only for everyone; with `controls`, the chair's buttons too. With
    `refresh_for`, Teams asks the bot for the controls view on behalf of just those users."""
    state = "Live" if view.status == "live" else view.status.capitalize()
    items: list[Any] = [
        TextBlock(text=f"{view.title} · {state}", weight=FontWeight.BOLDER, size=FontSize.MEDIUM, wrap=True),
        FactSet(facts=_control_facts(view)),
    ]
    items += [_agenda_row(line) for line in view.lines]
    for notice in view.notices:
        items.append(TextBlock(text=notice, wrap=True, color=Colors.ATTENTION, spacing=Spacing.SMALL))
    if view.warning:
        items.append(_warning(view.warning))
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(f"{view.title}: {state}")
    builder = builder.add_items(items)
    seen = {"sitting": view.sitting_id, "slot": view.live_slot}
    if controls and view.status == "live":
        builder = builder.add_actions(
            [
                execute("Next case", verbs.NEXT, seen, ActionStyle.POSITIVE),
                execute(f"Extend {verbs.EXTEND_MINUTES} min", verbs.EXTEND, seen),
                execute("Defer case", verbs.DEFER, seen),
                execute("End sitting", verbs.END, {"sitting": view.sitting_id}, ActionStyle.DESTRUCTIVE),
            ]
        )
    card = to_dict(builder.create())
    if refresh_for and view.status == "live":
        # adaptive-cards-py types refresh.action as a string; Teams wants an Action.Execute object.
        card["refresh"] = {
            "action": {
                "type": "Action.Execute",
                "verb": verbs.REFRESH_CONTROL,
                "data": {"sitting": view.sitting_id},
            },
            "userIds": list(refresh_for),
        }
    return card


def case_card(view: CaseView) -> dict[str, Any]:
    """The case being heard: pseudonymous reference, facts, history and actions; never an identity."""
    facts = [
        Fact(title="Category", value=view.category),
        Fact(title="Referred by", value=view.route),
        Fact(title="Risk", value=view.risk),
        Fact(title="Slot", value=f"{view.slot_kind}, {view.minutes} min"),
        Fact(title="First heard", value=view.first_heard),
    ]
    items: list[Any] = [
        TextBlock(text=f"Case {view.reference}", size=FontSize.LARGE, weight=FontWeight.BOLDER),
        FactSet(facts=facts),
    ]
    if view.confidence:
        items.append(FactSet(facts=[Fact(title=k, value=v) for k, v in view.confidence]))
    if view.confidence_flags:
        items.append(
            TextBlock(text="⚠ " + "; ".join(view.confidence_flags), wrap=True, color=Colors.ATTENTION)
        )
    if view.case_conference:
        items.append(_warning("Case conference recommended: " + "; ".join(view.case_conference)))
    items.append(TextBlock(text="Past hearings", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM))
    if view.hearings:
        items.append(
            FactSet(
                facts=[
                    Fact(title=h.date, value=f"{h.kind}, {h.minutes} min, {h.outcome}") for h in view.hearings
                ]
            )
        )
    else:
        items.append(TextBlock(text="First time at panel.", is_subtle=True))
    items.append(TextBlock(text="Actions", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM))
    if view.actions:
        items.append(
            FactSet(
                facts=[
                    Fact(
                        title=f"{a.action_id} · {a.status}", value=f"{a.description} ({a.owner}, due {a.due})"
                    )
                    for a in view.actions
                ]
            )
        )
    else:
        items.append(TextBlock(text="No actions yet.", is_subtle=True))
    items.append(
        Container(
            style=ContainerStyle.ATTENTION,
            items=[TextBlock(text=CONFIDENTIALITY_NOTE, wrap=True, size=FontSize.SMALL)],
        )
    )
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(f"Case {view.reference}")
    return to_dict(builder.add_items(items).create())


def collapsed_case_card(view: CollapsedCaseView) -> dict[str, Any]:
    """The case card once its slot has ended: enough to find it again, nothing more."""
    if view.deferred:
        text = f"Case {view.reference} · deferred to the end of the agenda"
    else:
        text = (
            f"Case {view.reference} · heard {view.heard_at} · "
            f"{view.minutes_used} of {view.minutes_allotted} min · "
            f"actions: {view.open_actions} open, {view.done_actions} done"
        )
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(text)
    return to_dict(builder.add_items([TextBlock(text=text, wrap=True, is_subtle=True)]).create())


def call_card(view: CallView) -> dict[str, Any]:
    """The SOO's private call: the panel is ready for their case, with the way into the case room."""
    items: list[Any] = [
        TextBlock(
            text=f"The panel is ready for case {view.reference}",
            size=FontSize.LARGE,
            weight=FontWeight.BOLDER,
            wrap=True,
        ),
        TextBlock(
            text=f"Please join the case room now. Your slot is {view.slot_minutes} minutes.", wrap=True
        ),
    ]
    builder = (
        AdaptiveCard.new()
        .version(TEAMS_CARD_VERSION)
        .fallback_text(f"The panel is ready for case {view.reference}")
    )
    builder = builder.add_items(items)
    if view.case_room_link:
        builder = builder.add_action(
            ActionOpenUrl(title="Join the case room", url=view.case_room_link, style=ActionStyle.POSITIVE)
        )
    else:
        builder = builder.add_item(
            TextBlock(text="The chair will admit you from the waiting room.", wrap=True)
        )
    return to_dict(builder.create())


def summary_card(view: SummaryView) -> dict[str, Any]:
    """The end-of-sitting summary, which replaces the control card."""
    rows = [Fact(title=line.reference, value=_summary_value(line)) for line in view.lines]
    items: list[Any] = [
        TextBlock(text=f"{view.title} · Ended", weight=FontWeight.BOLDER, size=FontSize.MEDIUM, wrap=True),
        FactSet(facts=rows) if rows else TextBlock(text="No cases were on the agenda."),
        TextBlock(
            text=f"Actions recorded: {view.actions_recorded} · Themes recorded: {view.themes_recorded}",
            wrap=True,
        ),
    ]
    if view.not_reached:
        items.append(_warning("Not reached, to offer for the next sitting: " + ", ".join(view.not_reached)))
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(f"{view.title}: ended")
    return to_dict(builder.add_items(items).create())


def _summary_value(line: SummaryLine) -> str:
    """Minutes mean something only for a case that was heard."""
    if line.outcome == "not reached":
        return line.outcome
    return f"{line.outcome}, {line.minutes_used} of {line.minutes_allotted} min"


def _warning(text: str) -> TextBlock:
    return TextBlock(text=text, wrap=True, color=Colors.WARNING)


def _control_facts(view: ControlView) -> list[Fact]:
    facts = [Fact(title="Now", value=view.current or "No case is being heard")]
    if view.time_left:
        facts.append(Fact(title="Time left", value=view.time_left))
    facts.append(Fact(title="Projected finish", value=view.projected_finish))
    if view.late_by > 0:
        facts.append(Fact(title="Running late", value=f"{view.late_by} min"))
    return facts


def _agenda_row(line: SlotLine) -> ColumnSet:
    marker = {"live": "▶", "heard": "✓", "not_reached": "–"}.get(line.state, str(line.position))
    return ColumnSet(
        spacing=Spacing.SMALL,
        columns=[
            Column(width="auto", items=[TextBlock(text=marker)]),
            Column(width="auto", items=[TextBlock(text=line.starts)]),
            Column(
                width="stretch",
                items=[
                    TextBlock(
                        text=f"{line.reference} · {line.kind} · {line.minutes} min",
                        wrap=True,
                        weight=FontWeight.BOLDER if line.state == "live" else None,
                    )
                ],
            ),
            Column(width="auto", items=[TextBlock(text=line.soo or " ", is_subtle=True, wrap=True)]),
        ],
    )
