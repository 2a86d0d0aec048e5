"""What happens to a chat rather than in it: the app added to a chat (a greeting), a message edited
(screened as a new one would be) or deleted (nothing). Part of the activity handler."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext

from bot import replies
from bot.chat_screen import ChatScreen
from bot.commands import clean_text
from bot.identifying_text import identifying_warning
from bot.payloads import message_text
from bot.teams.activity_reading import EDITED, chat_message, event_type, in_group
from panel.errors import PanelError
from panel.roles import Actor
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)


class ChatEvents:
    """The handler's answers to chat-level events (mixed into the activity handler)."""

    _deps: Deps
    _screen: ChatScreen

    async def _actor(self, turn_context: TurnContext) -> Actor:
        raise NotImplementedError

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        """Greet a chat the app has just been added to. Other people added or removed are not the
        bot's business: botbuilder's Teams handler would look each of them up with a connector
        call and fail the whole turn if one failed, so it is not asked to."""
        activity = turn_context.activity
        recipient = activity.recipient.id if activity.recipient else None
        if not recipient or not any(m.id == recipient for m in activity.members_added or []):
            return
        if in_group(turn_context):
            await turn_context.send_activity(replies.WELCOME)
            return
        # In a person's own chat, a welcome for what they do on the panel.
        actor = await self._actor(turn_context)
        await turn_context.send_activity(replies.welcome_for(actor))

    async def on_message_update_activity(self, turn_context: TurnContext) -> None:
        """An edited message is screened as a new one is (an edit can add a name to a line that
        passed), and is never run as a command again; other updates change nothing."""
        activity = turn_context.activity
        if event_type(activity.channel_data) != EDITED or not isinstance(activity.text, str):
            return
        try:
            text = clean_text(message_text(activity.text))
        except PanelError:
            return  # nothing a person could read, so nothing that could identify anyone
        actor = await self._actor(turn_context)
        if in_group(turn_context):
            said = chat_message(activity, text)
            notice = await self._screen.screen(said, actor)
        elif actor.on_roster:
            notice = await identifying_warning(self._deps, activity.id, actor, text)
        else:
            # Someone not on the roster is never told what the guard thinks of their text (a new
            # message from them gets one fixed answer): an edit must not let them test names.
            return
        if notice:
            await turn_context.send_activity(notice)

    async def on_message_delete_activity(self, turn_context: TurnContext) -> None:
        """A deleted message needs nothing from the bot."""
        logger.info("message.deleted activity=%s", turn_context.activity.id)
