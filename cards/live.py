"""The sitting's card in the case-room chat: its progress for everyone, its agenda for the panel.

The chat stores the progress card (live, case 3 of 7, running late, projected finish) and nothing
else, because everyone ever admitted to the meeting can read its chat. The control card with the
agenda, who is waiting and the chair's buttons, and the end-of-sitting summary with its references,
are user-specific views. Views hold references, kinds, times and counts; the one exception is
`chair_notes`, the names of staff in the wrong chat or with a declared conflict, for the chair alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import (
    ActionExecute,
    ActionShowCard,
    AdaptiveCard,
    Column,
    ColumnSet,
    Fact,
    FactSet,
    TextBlock,
)
from adaptive_cards.types import ActionStyle, FontSize, FontWeight, Spacing

from cards import verbs
from cards.render import TEAMS_CARD_VERSION, Refresh, execute, to_dict, with_refresh
from cards.style import attention, warning
from panel.labels import label


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
    """The whole sitting at a glance, for the panel."""

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
    chair_notes: tuple[str, ...] = ()  # staff names, for the chair's own view only
    held: bool = False  # between cases, the next not called: the case room is not right for it


@dataclass(frozen=True)
class ProgressView:
    """What the chat itself holds: how far the sitting has got, and nothing about any case."""

    sitting_id: str
    title: str
    status: str
    progress: str
    late_by: int = 0
    projected_finish: str | None = None
    room: str | None = None  # why the case room is not right now (how many and why, never who)


@dataclass(frozen=True)
class SummaryLine:
    """One case in the end-of-sitting summary."""

    reference: str
    outcome: str
    minutes_used: int
    minutes_allotted: int


@dataclass(frozen=True)
class SummaryView:
    """The sitting when it has ended, for the panel."""

    title: str
    lines: tuple[SummaryLine, ...]
    actions_recorded: int
    themes_recorded: int
    not_reached: tuple[str, ...]
    attendance: str = ""  # by role and agency: "1 chair, 3 members; partners from Refuge"


def control_card(view: ControlView, *, controls: bool, refresh: Refresh | None = None) -> dict[str, Any]:
    """The panel's control card: the agenda and presence; with `controls`, the chair's buttons."""
    state = "Live" if view.status == "live" else view.status.capitalize()
    items: list[Any] = [
        TextBlock(text=f"{view.title} · {state}", weight=FontWeight.BOLDER, size=FontSize.MEDIUM, wrap=True),
        FactSet(facts=_control_facts(view)),
    ]
    items += [_agenda_row(line) for line in view.lines]
    items += [attention(notice) for notice in (*view.chair_notes, *view.notices)]
    if view.warning:
        items.append(warning(view.warning))
    items.append(
        TextBlock(
            text="Shown only to you: the chat itself holds the sitting's progress alone.",
            is_subtle=True,
            wrap=True,
        )
    )
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(f"{view.title}: {state}")
    builder = builder.add_items(items)
    seen = {"sitting": view.sitting_id, "slot": view.live_slot}
    if controls and view.status == "live":
        buttons: list[ActionExecute | ActionShowCard] = []
        if view.live_slot or any(line.state == "waiting" for line in view.lines):
            # Once every case is heard, Next could only say so: End is what is left to press.
            buttons.append(execute("Next case", verbs.NEXT, seen, ActionStyle.POSITIVE))
        if view.held:
            # The next SOO is waiting for the room to clear; the chair may call them regardless.
            buttons.append(execute("Call anyway", verbs.NEXT_ANYWAY, seen))
        if view.live_slot:  # both act on the case being heard: between cases they would only refuse
            buttons += [
                execute(f"Extend {verbs.EXTEND_MINUTES} min", verbs.EXTEND, seen),
                execute("Defer case", verbs.DEFER, seen),
            ]
        buttons.append(_end_confirmation(view))
        builder = builder.add_actions(buttons)
    return with_refresh(to_dict(builder.create()), refresh)


def _end_confirmation(view: ControlView) -> ActionShowCard:
    """End sitting asks first: a press by mistake would close the sitting for everyone, with no way
    back. The question opens in the card itself; only its second button reaches the bot."""
    waiting = sum(1 for line in view.lines if line.state == "waiting")
    if waiting:
        left = f"{waiting} case{'s' if waiting != 1 else ''} not yet heard will be marked not reached."
    elif view.live_slot:  # the last case is still being heard: ending records it as heard
        left = "The case being heard now is the last: it will be recorded as heard."
    else:
        left = "Every case on the agenda has been heard."
    question = (
        AdaptiveCard.new()
        .version(TEAMS_CARD_VERSION)
        .add_items([TextBlock(text=f"End the sitting now? {left}", wrap=True)])
        .add_action(
            execute("Yes, end the sitting", verbs.END, {"sitting": view.sitting_id}, ActionStyle.DESTRUCTIVE)
        )
        .create()
    )
    return ActionShowCard(title="End sitting", card=question)


def progress_card(view: ProgressView, refresh: Refresh | None = None) -> dict[str, Any]:
    """The card the case-room chat holds: the sitting's progress, no references, no presence."""
    state = "Live" if view.status == "live" else view.status.capitalize()
    facts = [Fact(title="Progress", value=view.progress)]
    if view.late_by > 0:
        facts.append(Fact(title="Running late", value=f"{view.late_by} min"))
    if view.projected_finish:
        facts.append(Fact(title="Projected finish", value=view.projected_finish))
    items: list[Any] = [
        TextBlock(text=f"{view.title} · {state}", weight=FontWeight.BOLDER, size=FontSize.MEDIUM, wrap=True),
        FactSet(facts=facts),
    ]
    if view.room:
        items.append(attention(f"The case room is not clear. {view.room}"))
    items.append(
        TextBlock(
            text="The agenda and the cases are shown only to those who need them.", is_subtle=True, wrap=True
        )
    )
    builder = (
        AdaptiveCard.new()
        .version(TEAMS_CARD_VERSION)
        .fallback_text(f"{view.title}: {state}, {view.progress}")
        .add_items(items)
        .add_action(execute("Show me the details", verbs.REFRESH_CONTROL, {"sitting": view.sitting_id}))
    )
    return with_refresh(to_dict(builder.create()), refresh)


def summary_card(view: SummaryView, refresh: Refresh | None = None) -> dict[str, Any]:
    """The end-of-sitting summary, for the panel."""
    rows = [Fact(title=line.reference, value=_summary_value(line)) for line in view.lines]
    items: list[Any] = [
        TextBlock(text=f"{view.title} · Ended", weight=FontWeight.BOLDER, size=FontSize.MEDIUM, wrap=True),
        FactSet(facts=rows) if rows else TextBlock(text="No cases were on the agenda."),
        TextBlock(
            text=f"Actions recorded: {view.actions_recorded} · Themes recorded: {view.themes_recorded}",
            wrap=True,
        ),
    ]
    if view.attendance:
        items.append(TextBlock(text=f"Attended: {view.attendance}", wrap=True))
    if view.not_reached:
        items.append(warning("Not reached, to offer for the next sitting: " + ", ".join(view.not_reached)))
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(f"{view.title}: ended")
    return with_refresh(to_dict(builder.add_items(items).create()), refresh)


def _summary_value(line: SummaryLine) -> str:
    """Minutes mean something only for a case that was heard."""
    if line.outcome in {"not reached", "you declared a conflict"}:
        return line.outcome
    return f"{line.outcome}, {line.minutes_used} min used of {line.minutes_allotted}"


def _control_facts(view: ControlView) -> list[Fact]:
    facts = [Fact(title="Now", value=view.current or "No case is being heard")]
    if view.time_left:
        facts.append(Fact(title="Time left", value=view.time_left))
    facts.append(Fact(title="Projected finish", value=view.projected_finish))
    if view.late_by > 0:
        facts.append(Fact(title="Running late", value=f"{view.late_by} min"))
    return facts


def _agenda_row(line: SlotLine) -> ColumnSet:
    marker = {"live": "▶", "heard": "✓", "not_reached": "–", "conflict": "⊘"}.get(
        line.state, str(line.position)
    )
    return ColumnSet(
        spacing=Spacing.SMALL,
        columns=[
            Column(width="auto", items=[TextBlock(text=marker)]),
            Column(width="auto", items=[TextBlock(text=line.starts)]),
            Column(
                width="stretch",
                items=[
                    TextBlock(
                        text=f"{line.reference} · {label(line.kind)} · {line.minutes} min",
                        wrap=True,
                        weight=FontWeight.BOLDER if line.state == "live" else None,
                    )
                ],
            ),
            Column(width="auto", items=[TextBlock(text=line.soo or " ", is_subtle=True, wrap=True)]),
        ],
    )
