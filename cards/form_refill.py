"""A refused form comes back as the person left it: what they typed is kept (only what the caller
vetted: text the identity guard passed, choices the card itself offers; never hidden inputs such as
party names), and the part of the form they were using is open, not folded away behind its button."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any

_INPUTS = {"Input.Text", "Input.Date", "Input.Time", "Input.Number", "Input.ChoiceSet", "Input.Toggle"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}")
_NUMBER = re.compile(r"-?\d{1,6}(?:\.\d{1,3})?")


def refill(card: dict[str, Any], verb: str, values: Mapping[str, str]) -> dict[str, Any]:
    """The card with the sub-form that holds `verb` opened at the top, and each input given its
    value from `values` (already vetted by the caller), never a password input's."""
    filled = copy.deepcopy(card)
    _open_subform(filled, verb)
    for element in _inputs(filled):
        name = str(element.get("id", ""))
        if name in values and element.get("style") != "password":
            element["value"] = values[name]
    return filled


def text_inputs(card: dict[str, Any]) -> list[str]:
    """The ids of the card's free-text inputs (not password-style ones): what a person typed."""
    return [
        str(e["id"])
        for e in _inputs(card)
        if e.get("type") == "Input.Text" and "id" in e and e.get("style") != "password"
    ]


def accepts(card: dict[str, Any], name: str, value: str) -> bool:
    """Whether the card's non-text input `name` could itself have sent `value`: one of its choices,
    a date, a time, a number, or the toggle's own on/off value. Free text is never accepted here."""
    element = next((e for e in _inputs(card) if e.get("id") == name), None)
    if element is None:
        return False
    kind = element.get("type")
    if kind == "Input.ChoiceSet":
        offered = {str(c.get("value")) for c in element.get("choices", []) if isinstance(c, dict)}
        picked = value.split(",") if element.get("isMultiSelect") else [value]
        return all(p in offered for p in picked if p) and len(value) <= 4000
    if kind == "Input.Toggle":
        return value in {str(element.get("valueOn", "true")), str(element.get("valueOff", "false"))}
    pattern = {"Input.Date": _DATE, "Input.Time": _TIME, "Input.Number": _NUMBER}.get(str(kind))
    return pattern is not None and pattern.fullmatch(value) is not None


def input_labels(card: dict[str, Any]) -> dict[str, str]:
    """Each input's id and the label a person sees for it."""
    return {
        str(e["id"]): str(e.get("label") or e.get("title") or e["id"]) for e in _inputs(card) if "id" in e
    }


def _open_subform(card: dict[str, Any], verb: str) -> None:
    """Move the Action.ShowCard whose card submits `verb` into the body, as if it had been opened."""
    actions = card.get("actions", [])
    for index, action in enumerate(actions):
        inner = action.get("card") if action.get("type") == "Action.ShowCard" else None
        if not isinstance(inner, dict) or not _submits(inner, verb):
            continue
        body = card.setdefault("body", [])
        opened: list[Any] = [
            {"type": "TextBlock", "text": str(action.get("title", "")), "weight": "bolder", "wrap": True},
            *inner.get("body", []),
        ]
        if inner.get("actions"):
            opened.append({"type": "ActionSet", "actions": inner["actions"]})
        # In the body, its inputs are gathered by every other button of the card too (a button in
        # a sub-form takes its card's inputs and its parents'): a required one left empty would
        # stop "Save attendance" in the client. The bot checks each field itself and says why.
        for element in _walk(opened):
            if element.get("type") in _INPUTS:
                element.pop("isRequired", None)
                element.pop("errorMessage", None)
        # After the form's title and its banner, before everything else.
        at = 1 if body and body[0].get("type") == "TextBlock" else 0
        if len(body) > at and body[at].get("type") == "Container":
            at += 1
        body[at:at] = [{"type": "Container", "items": opened}]
        del actions[index]
        return


def _submits(inner: dict[str, Any], verb: str) -> bool:
    return any(a.get("verb") == verb for a in _walk(inner) if a.get("type") == "Action.Execute")


def _inputs(card: dict[str, Any]) -> Iterator[dict[str, Any]]:
    return (e for e in _walk(card) if e.get("type") in _INPUTS)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)
