"""The feedback card: three questions answered by choices, anonymous to the panel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import TextBlock
from adaptive_cards.types import ActionStyle

from cards import verbs
from cards.form_parts import Banner, card, choices
from cards.render import execute
from panel.feedback import CLEAR_WORDS, FAIR_WORDS, USEFUL_SCORES, Respondent


@dataclass(frozen=True)
class FeedbackView:
    """Which sitting the card asks about; the case (for a SOO) only to say which slot is meant."""

    sitting_id: str
    respondent: Respondent
    case_reference: str | None = None
    banner: Banner | None = None
    answered: bool = False


def feedback_card(view: FeedbackView) -> dict[str, Any]:
    """How useful, how fair, how clear: optional, and anonymous to the panel."""
    respondent = view.respondent
    if respondent is Respondent.SOO:
        about = f"the panel's scrutiny of case {view.case_reference}" if view.case_reference else "your slot"
    else:
        about = "the sitting you attended"
    body: list[Any] = []
    if not view.answered:
        body.append(
            TextBlock(
                text=f"Three questions about {about}: answer all three, or leave this card. Anonymous to "
                "the panel: your answers are only counted, never kept with your name, and results are shown "
                "for a whole quarter once five or more people have answered.",
                wrap=True,
                is_subtle=True,
            )
        )
    actions = []
    if not view.answered and view.sitting_id:
        body += [
            choices(
                "useful",
                "How useful was the scrutiny? (1 not at all, 5 very)",
                [(str(s), str(s)) for s in USEFUL_SCORES],
            ),
            choices("fair", "Was it fair?", [(w, f.value) for f, w in FAIR_WORDS.items()]),
            choices("clear", "Were the actions clear?", [(w, c.value) for c, w in CLEAR_WORDS.items()]),
        ]
        data = {"sitting": view.sitting_id, "as": respondent.value}
        actions.append(execute("Send my answers", verbs.FEEDBACK_ANSWER, data, ActionStyle.POSITIVE))
    return card("How was the panel?", body, actions, view.banner)
