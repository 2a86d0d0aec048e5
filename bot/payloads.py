"""What a client sends is checked at the edge, before anything acts on it: a card press must name a
known verb and carry a flat object of short, readable strings; a typed message must be readable and
of a length a command could be. Anything else gets a clear refusal, and none of it is repeated."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.meeting_events import field
from cards import verbs
from panel.case_facts import FACT_NAMES
from panel.errors import ValidationFailed

KNOWN_VERBS = (
    verbs.FORM_VERBS
    | verbs.LIVE_VERBS
    | verbs.VIEW_VERBS
    | verbs.AUDIT_VERBS
    | verbs.REPORT_VERBS
    | verbs.ASSURANCE_VERBS
    | verbs.PROPOSAL_VERBS
)
MAX_VERB = 64
# The largest form sends every case fact (the client sends each input, empty or not), its case and
# the ids a card carries; anything more was not sent by one of our cards.
MAX_FIELDS = len(FACT_NAMES) + 10
MAX_KEY = 64
MAX_VALUE = 4000  # Teams' own inputs are far shorter; the longest of ours is 1,000
MAX_MESSAGE = 4000  # a command is a few words; free text belongs on a form


class UnreadablePayload(ValidationFailed):
    """A card press or message that is malformed, forged, too long or not readable text."""


class UnknownVerb(ValidationFailed):
    """A card press naming a verb this bot never put on a card."""


BAD_PRESS = "That button sent something I cannot read. Please open the card again."
BAD_MESSAGE = "I could not read that message. Please type it again."
TOO_LONG = "That message is too long for me: commands are a few words, and longer text goes on a form."


@dataclass(frozen=True)
class CardPress:
    """A checked button press: the verb, and the card's data and inputs as strings."""

    verb: str
    data: dict[str, str]


def readable(text: str) -> bool:
    """Text a person could have typed: no lone surrogates, no control characters but line breaks
    and tabs, no private-use or unassigned code points."""
    for char in text:
        category = unicodedata.category(char)
        if category in {"Cs", "Co", "Cn"} or (category == "Cc" and char not in "\n\r\t"):
            return False
    return True


def press_from_invoke(value: Any) -> CardPress:
    """An Action.Execute press: `value.action.verb` and `value.action.data`."""
    action = field(value, "action")
    if not isinstance(action, dict):
        raise UnreadablePayload(BAD_PRESS)
    return _press(field(action, "verb"), field(action, "data"))


def press_from_submit(value: Any) -> CardPress:
    """An Action.Submit press (a client without Universal Actions): the verb among the data."""
    if not isinstance(value, dict):
        raise UnreadablePayload(BAD_PRESS)
    data = {k: v for k, v in value.items() if not (isinstance(k, str) and k.lower() == "verb")}
    return _press(field(value, "verb"), data)


def message_text(text: Any) -> str:
    """The text of a typed message, if it can be read and is not absurdly long."""
    if text is None:
        return ""
    if not isinstance(text, str) or not readable(text):
        raise UnreadablePayload(BAD_MESSAGE)
    if len(text) > MAX_MESSAGE:
        raise UnreadablePayload(TOO_LONG)
    return text


def _press(verb: Any, data: Any) -> CardPress:
    if not isinstance(verb, str) or not 0 < len(verb) <= MAX_VERB:
        raise UnreadablePayload(BAD_PRESS)
    if verb not in KNOWN_VERBS:
        raise UnknownVerb(
            "I don't recognise that button. It may be from an old card; say **help** to start again."
        )
    if data is None:
        data = {}
    if not isinstance(data, dict) or len(data) > MAX_FIELDS:
        raise UnreadablePayload(BAD_PRESS)
    checked: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(key, str) or not 0 < len(key) <= MAX_KEY or not readable(key):
            raise UnreadablePayload(BAD_PRESS)
        if not isinstance(value, str) or len(value) > MAX_VALUE or not readable(value):
            raise UnreadablePayload(BAD_PRESS)
        checked[key] = value
    return CardPress(verb, checked)
