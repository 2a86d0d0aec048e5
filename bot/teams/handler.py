"""The Teams activity handler: turns activities into use-case calls and results into replies."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ActivityTypes

from bot import replies, telemetry
from bot.assurance_flow import AssuranceFlow
from bot.audit_flow import AuditFlow
from bot.chat_screen import ChatScreen
from bot.commands import COMMANDS, Command, CommandSpec, commands_for, parse
from bot.forms_flow import FormsFlow, declare
from bot.identifying_text import identifying_warning
from bot.meeting_events import (
    MEETING_END,
    MEETING_EVENTS,
    PARTICIPANT_JOIN,
    PARTICIPANT_LEAVE,
    meeting_id_of,
    participants,
)
from bot.outgoing import card_message, chat_key, user_key
from bot.payloads import CardPress, message_text, press_from_invoke, press_from_submit
from bot.proposal_flow import ProposalFlow
from bot.report_flow import ReportFlow
from bot.sitting_flow import Outcome, SittingFlow
from bot.teams.activity_reading import chat_message, in_group, mentions_bot, request_key, traced_replies
from bot.teams.chat_events import ChatEvents
from bot.teams.messenger import Messenger, to_activity
from bot.turn_mark import RecentMessages, Redelivered, marked_turn
from cards import verbs
from cards.help import CommandHelp, HelpView, help_card
from panel.errors import AlreadyProcessed, ConcurrencyConflict, PanelError, StorageUnavailable
from panel.reference import parse_reference
from panel.roles import Actor, Permission
from panel.usecases.deps import Deps
from panel.usecases.roster import actor_for

logger = logging.getLogger(__name__)
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
RACED = "Someone moved the sitting on at the same moment; the control card shows where it is now."


class PanelBot(ChatEvents, TeamsActivityHandler):
    """The scrutiny panel bot."""

    def __init__(
        self,
        deps: Deps,
        messenger: Messenger,
        flow: SittingFlow,
        forms: FormsFlow,
        audit: AuditFlow,
        reports: ReportFlow | None = None,
    ) -> None:
        self._deps, self._messenger, self._flow, self._forms = deps, messenger, flow, forms
        self._audit = audit
        self._reports = reports or ReportFlow(deps, "http://127.0.0.1:3978")
        self._assurance = AssuranceFlow(deps, self._reports.one_time_link)
        self._proposals = ProposalFlow(deps, forms.cards, flow)
        self._recent = RecentMessages()
        self._screen = ChatScreen(deps, messenger, flow)

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Remember how to reach this chat (and person) before handling anything; when the store
        cannot be reached, say so plainly (a command or a button) rather than fail the turn."""
        activity = turn_context.activity
        # A message Teams redelivers is answered once (bot/turn_mark.py); a redelivered button
        # press (an invoke) must still be answered, and its use case refuses to act twice.
        once_key = f"turn:{activity.id}" if activity.type == ActivityTypes.message and activity.id else None
        if once_key is not None and not self._recent.take(once_key):
            logger.info("activity.redelivered activity=%s", activity.id)
            telemetry.note_outcome("redelivered")
            return
        turn_context.on_send_activities(traced_replies)
        try:
            with marked_turn(once_key):
                await self._messenger.remember(turn_context, meeting_id_of(activity.channel_data))
                await super().on_turn(turn_context)
        except Redelivered:
            logger.info("activity.redelivered activity=%s", activity.id)
            telemetry.note_outcome("redelivered")
        except StorageUnavailable as error:
            telemetry.STORE_DOWN.add(1)
            telemetry.note_outcome("storage_unavailable")
            if once_key is not None:
                self._recent.release(once_key)  # nothing was recorded: a redelivery is taken up again
            activity = turn_context.activity
            logger.warning("turn.storage_unavailable activity=%s type=%s", activity.id, activity.type)
            if activity.type == ActivityTypes.message:
                await turn_context.send_activity(error.message)
            elif activity.type == ActivityTypes.invoke and activity.name == "adaptiveCard/action":
                response = _message_answer(error.message)
                await turn_context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))
        except BaseException:
            if once_key is not None:
                self._recent.release(once_key)
            raise

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """A typed command, or a card's fallback submit; every domain error becomes a clear reply."""
        activity = turn_context.activity
        actor = await self._actor(turn_context)
        if in_group(turn_context) and activity.value is None and not mentions_bot(activity):
            # People talking to each other (Teams delivers every chat message to the bot): never a
            # command, never stored, never answered, unless it identifies someone.
            said = chat_message(activity, activity.text)
            telemetry.note_name("chat")
            notice = await self._screen.screen(said, actor)
            if notice:
                await turn_context.send_activity(notice)
            return
        if not actor.on_roster:
            telemetry.note_outcome("refused:stranger")
            await turn_context.send_activity(self._stranger(turn_context))
            return
        try:
            if activity.value is not None and not (activity.text or "").strip():
                press = press_from_submit(activity.value)
                telemetry.note_name(f"verb:{press.verb}")
                if press.verb in verbs.VIEW_VERBS:
                    await self._view_by_submit(turn_context, actor, press)
                    return
                content = await self._card_for(actor, press, request_key(turn_context))
                if content is not None:
                    if in_group(turn_context):
                        # A press that fell back to a message in a group chat: its answer is this
                        # person's own (a case card's view, a form), so it goes to their own chat.
                        await turn_context.send_activity(await self._send_privately(actor, [content]))
                    else:
                        await self._send_card(turn_context, content)
                    return
                reply = await self._card_action(turn_context, actor, press)
            else:
                command = parse(message_text(activity.text))
                telemetry.note_name(f"command:{command.name}" if command else "command:unknown")
                reply = (
                    await self._command(turn_context, actor, command)
                    if command
                    else await self._not_a_command(turn_context, actor)
                )
        except AlreadyProcessed:
            logger.info("activity.redelivered activity=%s", activity.id)
            telemetry.note_outcome("redelivered")
            return
        except ConcurrencyConflict:
            telemetry.note_outcome("refused:ConcurrencyConflict")
            reply = RACED
        except PanelError as error:
            telemetry.note_outcome(f"refused:{type(error).__name__}")
            logger.info(
                "command.refused activity=%s actor=%s error=%s",
                activity.id,
                actor.actor_id,
                type(error).__name__,
            )
            reply = replies.for_error(error)
        if reply:
            await turn_context.send_activity(reply)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Universal Actions: run the verb, answer with the card as this person should now see it."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        actor = await self._actor(turn_context)
        if not actor.on_roster:
            telemetry.note_outcome("refused:stranger")
            return _message_answer(self._stranger(turn_context))
        try:
            press = press_from_invoke(activity.value)
        except PanelError as error:
            logger.info("card_action.refused activity=%s error=%s", activity.id, type(error).__name__)
            telemetry.note_outcome(f"refused:{type(error).__name__}")
            return _message_answer(error.message)
        telemetry.note_name(f"verb:{press.verb}")
        if press.verb in verbs.VIEW_VERBS:
            view = await self._flow.views.view_for(actor, press.verb, press.data)
            return InvokeResponse(status=200, body={"statusCode": 200, "type": CARD_TYPE, "value": view})
        answer = await self._card_for(actor, press, request_key(turn_context))
        if answer is not None:
            return InvokeResponse(status=200, body={"statusCode": 200, "type": CARD_TYPE, "value": answer})
        try:
            reply = await self._card_action(turn_context, actor, press)
        except AlreadyProcessed:
            telemetry.note_outcome("redelivered")
            reply = None
        except ConcurrencyConflict:
            telemetry.note_outcome("refused:ConcurrencyConflict")
            reply = RACED
        except PanelError as error:
            telemetry.note_outcome(f"refused:{type(error).__name__}")
            reply = replies.for_error(error)
        content = await self._flow.card_for(actor) if press.verb in verbs.LIVE_VERBS else None
        if reply or content is None:
            return _message_answer(reply or replies.UNKNOWN_CARD_ACTION)
        return InvokeResponse(status=200, body={"statusCode": 200, "type": CARD_TYPE, "value": content})

    async def on_event_activity(self, turn_context: TurnContext) -> None:
        """Meeting events from the waiting room: who is there to be called in."""
        activity = turn_context.activity
        meeting_id = meeting_id_of(activity.channel_data)
        if activity.name not in MEETING_EVENTS or meeting_id is None:
            telemetry.note_outcome("ignored")
            return
        telemetry.note_name(f"event:{activity.name.rsplit('.', 1)[-1]}")
        people = participants(activity.value)
        joined = [p.aad_object_id for p in people] if activity.name == PARTICIPANT_JOIN else []
        left = [p.aad_object_id for p in people] if activity.name == PARTICIPANT_LEAVE else []
        ids = {p.aad_object_id: p.teams_id for p in people if p.teams_id}
        logger.info("meeting.%s people=%s", activity.name.rsplit(".", 1)[-1], len(people))
        ended = activity.name == MEETING_END
        conversation = activity.conversation.id if activity.conversation else None
        # The same events come from both meetings: the flow tells the waiting room from the case room.
        await self._flow.presence(meeting_id, joined, left, ids, everyone_left=ended)
        await self._flow.case_room_presence(meeting_id, conversation, joined, left, everyone_left=ended)

    # --- dispatch ----------------------------------------------------------------------------

    async def _command(self, turn_context: TurnContext, actor: Actor, command: Command) -> str | None:
        if command.name == "thanks":
            return "You're welcome."
        if command.name == "usage":
            return replies.usage(next(c for c in COMMANDS if c.name == command.args[0]), actor)
        spec = next(c for c in COMMANDS if c.name == command.name)
        if command.name == "audit" and not actor.may(Permission.READ_AUDIT):
            await self._audit.open(actor)  # asking for the trail without the right is itself recorded
        if spec.permission is not None:
            actor.require(spec.permission)
        logger.info("command.%s actor=%s", command.name, actor.actor_id)
        key = request_key(turn_context)
        if command.name == "help":
            await self._help(turn_context, actor)
            return None
        if command.name == "sitting" and in_group(turn_context):
            return await self._flow.repost(turn_context.activity.conversation.id)
        if command.name in {"agenda", "sitting"}:
            if in_group(turn_context):
                # A second copy of the sitting card here would go stale: only the first is kept up to date.
                return await self._flow.agenda_in_group()
            content = await self._flow.agenda_card(actor, private=True)
            if content is None:
                return "There is no sitting today."
            sent = await turn_context.send_activity(to_activity(card_message(content)))
            conversation_id = turn_context.activity.conversation.id
            if sent is not None and sent.id:
                await self._flow.copy_sent(actor, chat_key(conversation_id), sent.id)
            return None
        if command.name == "conflict":
            return await self._declare(turn_context, actor, command, key)
        form_cards = await self._form_command(actor, command)
        if form_cards is not None:
            if in_group(turn_context):
                # Forms are for one person: everything a group chat stores, all its members can read.
                return await self._send_privately(actor, form_cards)
            for content in form_cards:
                await self._send_card(turn_context, content)
            return None
        conversation = turn_context.activity.conversation
        if command.name == "start":
            group = in_group(turn_context)
            meeting = meeting_id_of(turn_context.activity.channel_data)
            return (await self._flow.start(actor, conversation.id, group, key, meeting)).reply
        return (await self._live_verb(actor, command.name, command.args, key)).reply

    async def _form_command(self, actor: Actor, command: Command) -> list[dict[str, Any]] | None:
        """The commands that answer with form cards; None for any other command."""
        if command.name == "audit":
            return [await self._audit.open(actor)]
        if command.name == "assurance":
            return [await self._assurance.open(actor)]
        if command.name == "propose":
            return [await self._proposals.form(actor)]
        if command.name == "find":
            return [await self._assurance.find_form(actor)]
        if command.name == "report":
            return [await self._reports.report(actor)]
        if command.name == "themes":
            return [await self._reports.themes(actor)]
        if command.name == "cases":
            return [await self._forms.case_list(actor)]
        if command.name == "case":
            return [await self._forms.open_case(actor, command.args[0])]
        if command.name == "register":
            return [await self._forms.register_form(actor)]
        if command.name == "sittings":
            return await self._forms.sitting_cards(actor)
        if command.name == "record":
            return [await self._forms.record_form(actor)]
        return None

    async def _card_for(self, actor: Actor, press: CardPress, key: str | None) -> dict[str, Any] | None:
        """The card a press on a form, report, audit, proposal or assurance card answers with; None
        for the sitting's own verbs, which answer in words."""
        if press.verb in verbs.FORM_VERBS:
            return await self._forms.handle(actor, press.verb, press.data, key)
        if press.verb in verbs.REPORT_VERBS:
            return await self._reports.handle(actor, press.verb, press.data, key)
        if press.verb in verbs.AUDIT_VERBS:
            return await self._audit.handle(actor, press.verb, press.data)
        if press.verb in verbs.PROPOSAL_VERBS:
            return await self._proposals.handle(actor, press.verb, press.data, key)
        if press.verb in verbs.ASSURANCE_VERBS:
            return await self._assurance.handle(actor, press.verb, press.data, key)
        return None

    def _commands_for(self, actor: Actor) -> tuple[CommandSpec, ...]:
        """The commands this person may use, audits as this force assigns them."""
        return commands_for(actor, self._deps.config.audit_roles)

    async def _send_card(self, turn_context: TurnContext, content: dict[str, Any]) -> None:
        await turn_context.send_activity(to_activity(card_message(content)))

    async def _send_privately(self, actor: Actor, cards: list[dict[str, Any]]) -> str:
        """Cards asked for in a group chat go to the person's own chat with the bot."""
        sent = [await self._messenger.post(user_key(actor.actor_id), card_message(c)) for c in cards]
        if sent and all(message is not None for message in sent):
            return "I have sent that to your own chat with me, where only you can see it."
        return "Please ask me in your own chat with me: group chats are read by everyone in them."

    async def _view_by_submit(self, turn_context: TurnContext, actor: Actor, press: CardPress) -> None:
        """A client without Universal Actions pressed "Show me": the view goes to their own chat."""
        view = await self._flow.views.view_for(actor, press.verb, press.data)
        if in_group(turn_context):
            await turn_context.send_activity(await self._send_privately(actor, [view]))
        else:
            await self._send_card(turn_context, view)

    async def _declare(
        self, turn_context: TurnContext, actor: Actor, command: Command, key: str | None
    ) -> str:
        """`conflict K7F-2QM [reason]`, in a private chat only: saying it in a group would tell
        everyone there who knows someone in the case."""
        if in_group(turn_context):
            return "Declare a conflict of interest in your own chat with me, not here: nothing is recorded."
        reason = command.args[1] if len(command.args) > 1 else None
        _, said = await declare(self._deps, actor, parse_reference(command.args[0]), reason, key)
        return said

    async def _card_action(self, turn_context: TurnContext, actor: Actor, press: CardPress) -> str | None:
        names = {
            verbs.NEXT: "next",
            verbs.NEXT_ANYWAY: "next",
            verbs.EXTEND: "extend",
            verbs.DEFER: "defer",
            verbs.END: "end",
        }
        if press.verb not in names:
            logger.info("card_action.unknown activity=%s actor=%s", turn_context.activity.id, actor.actor_id)
            return replies.UNKNOWN_CARD_ACTION
        # The card says which case it showed as being heard; a press on a card the sitting has
        # moved past (a double click, two chairs at once) then changes nothing.
        seen_slot = press.data.get("slot")
        args = ("anyway",) if press.verb == verbs.NEXT_ANYWAY else (str(verbs.EXTEND_MINUTES),)
        return (
            await self._live_verb(actor, names[press.verb], args, request_key(turn_context), seen_slot)
        ).reply

    async def _live_verb(
        self, actor: Actor, name: str, args: tuple[str, ...], key: str | None, seen_slot: str | None = None
    ) -> Outcome:
        if name == "next":
            return await self._flow.next(actor, key, seen_slot, anyway="anyway" in (a.lower() for a in args))
        if name == "extend":
            return await self._flow.extend(actor, int(args[0]), key, seen_slot)
        if name == "defer":
            return await self._flow.defer(actor, key, seen_slot)
        return await self._flow.end(actor, key)

    def _stranger(self, turn_context: TurnContext) -> str:
        """Someone not on the roster: one short answer, whatever they sent (nothing read or judged)."""
        logger.info(
            "stranger.answered activity=%s type=%s", turn_context.activity.id, turn_context.activity.type
        )
        return replies.FOR_STRANGERS

    async def _actor(self, turn_context: TurnContext) -> Actor:
        sender = turn_context.activity.from_property
        return await actor_for(self._deps, sender.aad_object_id if sender else None)

    async def _help(self, turn_context: TurnContext, actor: Actor) -> None:
        view = HelpView(
            roles=actor.roles,
            on_roster=actor.on_roster,
            commands=tuple(CommandHelp(c.usage, c.description) for c in self._commands_for(actor)),
            group_chat=in_group(turn_context),
        )
        await turn_context.send_activity(to_activity(card_message(help_card(view))))

    async def _not_a_command(self, turn_context: TurnContext, actor: Actor) -> str:
        """Unrecognised text: a pointer to help, or, if it identifies someone, a warning without echo."""
        activity = turn_context.activity
        warning = await identifying_warning(self._deps, activity.id, actor, activity.text or "")
        if warning:
            return warning
        logger.info("message.unknown activity=%s actor=%s", turn_context.activity.id, actor.actor_id)
        return replies.unknown_command(self._commands_for(actor), in_group=in_group(turn_context))


def _message_answer(text: str) -> InvokeResponse:
    """An invoke's answer that is a message rather than a card."""
    # Teams shows this answer as plain text beside the button: markdown would show its asterisks
    # and backticks ("Say `end` to close").
    plain = text.replace("**", "").replace("`", "")
    return InvokeResponse(status=200, body={"statusCode": 200, "type": MESSAGE_TYPE, "value": plain})
