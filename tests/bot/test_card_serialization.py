"""An outgoing card reaches the connector exactly as built, whether msrest walks it or not."""

from __future__ import annotations

import datetime

from botbuilder.core import CardFactory, MessageFactory
from msrest.serialization import Serializer

from bot.teams.card_serialization import install, plain_json
from cards.help import HelpView, help_card
from panel.roles import Role


def _body(activity: object) -> object:
    from botframework.connector import models

    serializer = Serializer({k: v for k, v in models.__dict__.items() if isinstance(v, type)})
    return serializer.body(activity, "Activity")


def test_a_card_is_sent_as_built_and_other_values_still_take_msrests_way() -> None:
    card = help_card(HelpView(frozenset({Role.CHAIR}), True, (), False))
    install()
    sent = _body(MessageFactory.attachment(CardFactory.adaptive_card(card)))
    assert sent["attachments"][0]["content"] == card  # type: ignore[index]
    assert plain_json(card) and not plain_json({"at": datetime.date(2026, 12, 7)})
    other = Serializer().serialize_object({"at": datetime.date(2026, 12, 7), 1: "one"})
    assert other == {"at": "2026-12-07", "1": "one"}


def test_a_card_on_its_way_out_is_shared_by_botbuilders_copy_and_sent_whole() -> None:
    import copy

    from bot.outgoing import card_message
    from bot.teams.messenger import to_activity

    card = help_card(HelpView(frozenset({Role.CHAIR}), True, (), False))
    activity = to_activity(card_message(card))
    assert copy.deepcopy(activity).attachments[0].content is activity.attachments[0].content
    install()
    assert _body(activity)["attachments"][0]["content"] == card  # type: ignore[index]
