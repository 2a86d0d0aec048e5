"""Sending a card without botbuilder walking it node by node.

The Bot Framework connector client serialises every outgoing activity with msrest, which visits
each value of an attachment's content through several calls (a sitting's agenda card is some 20,000
calls, about 7 ms of every turn that sends one). Card content the bot builds is already plain JSON
(dicts, lists, text, numbers, flags), which msrest would return unchanged: such content is passed
through as it is. Anything else takes msrest's own way. botbuilder-python is past its end of
support, so the method patched here will not change under us; the move to the Agents SDK drops it.
"""

from __future__ import annotations

from typing import Any

from msrest.serialization import Serializer

_PLAIN = (str, int, float, bool, type(None))
_original = Serializer.serialize_object


class SentCard(dict[str, Any]):
    """A card on its way out, never changed once built: botbuilder deep-copies every outgoing
    activity (a sitting's agenda card is thousands of values) to guard against changes the bot
    never makes, so the copy may share it."""

    def __deepcopy__(self, memo: dict[int, Any]) -> SentCard:
        return self


def plain_json(value: Any) -> bool:
    """Whether a value is JSON as the standard library makes it: str-keyed dicts, lists, text,
    numbers, flags and nulls all the way down."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict or kind is SentCard:
            if not all(type(k) is str for k in item):
                return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind not in _PLAIN:
            return False
    return True


def _serialize_object(self: Serializer, attr: Any, **kwargs: Any) -> Any:
    if type(attr) in (dict, list, SentCard) and plain_json(attr):
        return attr
    return _original(self, attr, **kwargs)  # type: ignore[no-untyped-call]


def install() -> None:
    """Pass plain JSON through msrest's object serialiser (idempotent)."""
    Serializer.serialize_object = _serialize_object  # type: ignore[method-assign]
