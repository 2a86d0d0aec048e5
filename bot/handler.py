"""The Teams activity handler: turns activities into use-case calls and results into replies."""

from __future__ import annotations

import logging

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import ChannelAccount

from bot import replies
from bot.commands import Command, commands_for, parse
from cards.help import CommandHelp, HelpView, help_card
from panel.errors import PanelError
from panel.roles import Actor
from panel.usecases.deps import Deps
from panel.usecases.roster import actor_for

logger = logging.getLogger(__name__)


class PanelBot(TeamsActivityHandler):
    """The scrutiny panel bot."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """Parse, authorise, call one use case, reply; every domain error becomes a clear reply."""
        activity = turn_context.activity
        sender = activity.from_property
        actor = await actor_for(self._deps, sender.aad_object_id if sender else None)
        if activity.value is not None and not (activity.text or "").strip():
            logger.info("card_action.unknown activity=%s actor=%s", activity.id, actor.actor_id)
            await turn_context.send_activity(replies.UNKNOWN_CARD_ACTION)
            return
        command = parse(activity.text or "")
        try:
            if command is None:
                await self._not_a_command(turn_context, actor)
            else:
                await self._dispatch(turn_context, actor, command)
        except PanelError as error:
            logger.info(
                "command.refused activity=%s actor=%s error=%s",
                activity.id,
                actor.actor_id,
                type(error).__name__,
            )
            await turn_context.send_activity(replies.for_error(error))

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        """Greet a chat the bot has just been added to."""
        recipient = turn_context.activity.recipient
        if any(recipient and m.id == recipient.id for m in members_added):
            await turn_context.send_activity(replies.WELCOME)

    async def _dispatch(self, turn_context: TurnContext, actor: Actor, command: Command) -> None:
        logger.info("command.%s actor=%s", command.name, actor.actor_id)
        if command.name == "help":
            await self._help(turn_context, actor)

    async def _help(self, turn_context: TurnContext, actor: Actor) -> None:
        view = HelpView(
            roles=actor.roles,
            on_roster=actor.on_roster,
            commands=tuple(CommandHelp(c.usage, c.description) for c in commands_for(actor)),
            group_chat=_in_group(turn_context),
        )
        await turn_context.send_activity(
            MessageFactory.attachment(CardFactory.adaptive_card(help_card(view)))
        )

    async def _not_a_command(self, turn_context: TurnContext, actor: Actor) -> None:
        """Unrecognised text: a pointer to help, or, if it identifies someone, a warning without echo."""
        async with self._deps.uow() as uow:
            guard = await self._deps.guard(uow)
        findings = guard.scan(turn_context.activity.text or "")
        if findings:
            logger.warning(
                "message.identifying_detail activity=%s actor=%s kinds=%s",
                turn_context.activity.id,
                actor.actor_id,
                ",".join(sorted({f.kind for f in findings})),
            )
            await turn_context.send_activity(replies.identifying_text_warning(findings))
            return
        logger.info("message.unknown activity=%s actor=%s", turn_context.activity.id, actor.actor_id)
        await turn_context.send_activity(replies.UNKNOWN_COMMAND)


def _in_group(turn_context: TurnContext) -> bool:
    conversation = turn_context.activity.conversation
    return bool(conversation and conversation.conversation_type in {"groupChat", "channel"})
