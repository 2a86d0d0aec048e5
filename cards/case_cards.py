"""Case cards in the case-room chat, and the SOO's call into the case room.

The card the chat stores (and every member of the chat can scroll back to) is the base card: the
pseudonymous reference and whether it is being or was heard. The panel's full view is a
user-specific view, built only for the people need-to-know allows, while the case is being heard.
Views hold references, kinds, dates and counts only: there is no field in which a name could travel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import AdaptiveCard, Container, Fact, FactSet, TextBlock
from adaptive_cards.types import ActionStyle, ContainerStyle, FontSize, FontWeight, Spacing

from cards import verbs
from cards.proposal_cards import PendingLine, ProposeView, pending_items, propose_actions
from cards.render import CONFIDENTIALITY_NOTE, TEAMS_CARD_VERSION, Refresh, execute, to_dict, with_refresh
from cards.style import attention, warning
from panel.labels import label


@dataclass(frozen=True)
class HearingLine:
    """A past hearing of the case."""

    date: str
    kind: str
    minutes: str  # "17 min used of 15"
    outcome: str


@dataclass(frozen=True)
class ActionLine:
    """An action on the case (its text has passed the identity guard)."""

    action_id: str
    description: str
    owner: str
    due: str
    status: str  # the code: open, done, cancelled
    note: str = ""  # the completion note, or the reason it was cancelled
    source: str = ""  # "proposed by a partner agency": an accepted proposal's source, by role


def action_text(action: ActionLine) -> str:
    """An action in one line: "Re-interview within 14 days (Owner: SOO, due 27 Nov) — done: note",
    with where it came from when it was proposed: "(Owner: SOO, due 27 Nov; proposed by a partner
    agency)"."""
    source = f"; {action.source}" if action.source else ""
    text = f"{action.description} (Owner: {action.owner}, due {action.due}{source})"
    if action.note:
        # Notes are clipped on cards, so fifty actions still fit Teams' size limit; the full
        # text stays on the record.
        note = (
            action.note if len(action.note) <= MAX_NOTE_ON_CARD else action.note[: MAX_NOTE_ON_CARD - 1] + "…"
        )
        text += f" — {'reason' if action.status == 'cancelled' else 'note'}: {note}"
    return text


MAX_NOTE_ON_CARD = 100
# Sent back with a press on the case-room chat's case card, so the answer is that card again.
ON_CASE_CARD = {"from": "case_card"}


@dataclass(frozen=True)
class CaseView:
    """What the panel sees of the case being heard."""

    reference: str
    category: str
    route: str
    risk: str
    slot_kind: str | None  # None outside a sitting
    minutes: int
    first_heard: str
    hearings: tuple[HearingLine, ...]
    actions: tuple[ActionLine, ...]
    case_conference: tuple[str, ...]
    confidence: tuple[tuple[str, str], ...] = ()
    confidence_flags: tuple[str, ...] = ()
    latest_update: tuple[str, str] | None = None  # (date, the SOO's latest progress update)
    facts: tuple[tuple[str, str], ...] = ()  # how the force is handling it, as recorded
    life: tuple[tuple[str, str], ...] = ()  # linked cases, conferences, asked back, directions
    status: str | None = None  # outside the case room: where the case is ("Closed", "Awaiting actions")


@dataclass(frozen=True)
class BaseCaseView:
    """What the case-room chat itself holds while a case is heard: its reference, nothing more."""

    reference: str
    sitting_id: str
    slot_id: str


@dataclass(frozen=True)
class CollapsedCaseView:
    """What stays in the chat once the slot has ended (or the case was deferred)."""

    reference: str
    outcome: str  # "heard at 10:42", "deferred: it will be heard later", "not reached"


def case_card(
    view: CaseView,
    refresh: Refresh | None = None,
    *,
    can_declare: bool = False,
    user_view: bool = False,
    banner: str | None = None,
    propose: ProposeView | None = None,
    pending: tuple[PendingLine, ...] = (),
    decides: bool = False,
) -> dict[str, Any]:
    """The panel's view of a case: pseudonymous reference, facts, history and actions; never an
    identity. `user_view`: a person's own view of the case-room chat's card; `can_declare`: with a
    button for someone who recognises the case; `propose`: the ways a member, partner or the
    analyst may propose; `pending`: the proposals waiting, with Accept and Set aside if `decides`."""
    facts = [Fact(title="Status", value=view.status)] if view.status else []
    facts += [
        Fact(title="Category", value=view.category),
        Fact(title="Referred by", value=view.route),
        Fact(title="Risk", value=view.risk),
    ]
    if view.slot_kind:
        facts.append(Fact(title="Slot", value=f"{view.slot_kind}, {view.minutes} min"))
    facts.append(Fact(title="First heard", value=view.first_heard))
    items: list[Any] = [
        TextBlock(text=f"Case {view.reference}", size=FontSize.LARGE, weight=FontWeight.BOLDER)
    ]
    if banner:
        items.append(attention(banner))
    if user_view:
        items.append(
            TextBlock(
                text="Shown only to you: the chat itself holds the reference alone.",
                is_subtle=True,
                wrap=True,
            )
        )
    items.append(FactSet(facts=facts))
    if view.confidence:
        items.append(FactSet(facts=[Fact(title=k, value=v) for k, v in view.confidence]))
    if view.confidence_flags:
        items.append(attention("⚠ " + "; ".join(view.confidence_flags)))
    if view.case_conference:
        items.append(warning("Case conference recommended: " + "; ".join(view.case_conference)))
    items += latest_update_items(view.latest_update)
    items.append(
        TextBlock(text="How the force is handling it", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM)
    )
    if view.facts:
        items.append(FactSet(facts=[Fact(title=k, value=v) for k, v in view.facts]))
    else:
        items.append(TextBlock(text="Nothing recorded yet.", is_subtle=True))
    if view.life:
        items.append(FactSet(facts=[Fact(title=k, value=v) for k, v in view.life]))
    items.append(TextBlock(text="Past hearings", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM))
    if view.hearings:
        items.append(
            FactSet(
                facts=[Fact(title=h.date, value=f"{h.kind}, {h.minutes}, {h.outcome}") for h in view.hearings]
            )
        )
    else:
        items.append(TextBlock(text="First time at panel.", is_subtle=True))
    items.append(TextBlock(text="Actions", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM))
    if view.actions:
        items.append(
            FactSet(
                facts=[
                    Fact(title=f"{a.action_id} · {label(a.status)}", value=action_text(a))
                    for a in view.actions
                ]
            )
        )
    else:
        items.append(TextBlock(text="No actions yet.", is_subtle=True))
    items += pending_items(view.reference, pending, ON_CASE_CARD, decides=decides)
    items.append(_confidentiality())
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(f"Case {view.reference}")
    builder = builder.add_items(items)
    if propose is not None:
        builder = builder.add_actions(propose_actions(propose, ON_CASE_CARD))
    if can_declare:
        builder = builder.add_action(
            execute(
                "I know someone in this case",
                verbs.CONFLICT_DECLARE,
                {"case": view.reference, **ON_CASE_CARD},
                ActionStyle.DESTRUCTIVE,
            )
        )
    return with_refresh(to_dict(builder.create()), refresh)


def base_case_card(
    view: BaseCaseView, refresh: Refresh | None = None, note: str | None = None
) -> dict[str, Any]:
    """The case card as the chat stores it while the case is heard: the reference and that it is
    being heard. Those entitled see the panel's view instead (Teams asks the bot for it)."""
    items: list[Any] = [
        TextBlock(text=f"Case {view.reference} · being heard", size=FontSize.LARGE, weight=FontWeight.BOLDER),
        TextBlock(
            text="The details are shown only to the panel, and to this case's SOO while it is heard.",
            wrap=True,
            is_subtle=True,
        ),
    ]
    if note:
        items.append(TextBlock(text=note, wrap=True))
    items.append(_confidentiality())
    data = {"sitting": view.sitting_id, "slot": view.slot_id}
    builder = (
        AdaptiveCard.new()
        .version(TEAMS_CARD_VERSION)
        .fallback_text(f"Case {view.reference}: being heard")
        .add_items(items)
        .add_action(execute("Show me the case", verbs.CASE_REFRESH, data))
    )
    return with_refresh(to_dict(builder.create()), refresh)


def collapsed_case_card(view: CollapsedCaseView) -> dict[str, Any]:
    """The case card once its slot has ended: enough to find it again, nothing more, and no
    refresh, so every user-specific view of it collapses too."""
    text = f"Case {view.reference} · {view.outcome}"
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(text)
    return to_dict(builder.add_items([TextBlock(text=text, wrap=True, is_subtle=True)]).create())


def _confidentiality() -> Container:
    return Container(
        style=ContainerStyle.ATTENTION,
        items=[TextBlock(text=CONFIDENTIALITY_NOTE, wrap=True, size=FontSize.SMALL)],
    )


def latest_update_items(update: tuple[str, str] | None) -> list[Any]:
    """The SOO's latest progress update with its date, or a line saying there is none."""
    if update is None:
        return [
            TextBlock(text="Latest update", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM),
            TextBlock(text="No progress update yet.", is_subtle=True),
        ]
    return [
        TextBlock(text=f"Latest update ({update[0]})", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM),
        TextBlock(text=update[1], wrap=True),
    ]
