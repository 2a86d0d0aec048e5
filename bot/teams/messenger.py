"""Reaching people and chats later: remembered addresses, proactive sends and in-place updates,
with bounded, jittered retries that honour Teams' Retry-After."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ConversationReference

from bot import telemetry
from bot.errors import log_exception
from bot.meeting_events import tenant_id_of
from bot.outgoing import Outgoing, chat_key, meeting_key, teams_id_key, user_key
from bot.send_pace import SendPace
from bot.teams.card_serialization import SentCard
from panel.errors import ConcurrencyConflict
from panel.need_to_know import ChatMember
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
RETRYABLE = {412, 429, 502, 503, 504}
MAX_ATTEMPTS = 4
MAX_WAIT_S = 30.0
NO_ADDRESS_LOG_EVERY_S = 3600.0
MEMBER_PAGES = 20  # 20 pages of 100: far more than any meeting chat the panel uses


def to_activity(message: Outgoing) -> Activity:
    """The Bot Framework activity for a message the panel means to send."""
    if message.card is not None:
        return MessageFactory.attachment(CardFactory.adaptive_card(SentCard(message.card)))
    return MessageFactory.text(message.text or "")


# How long a remembered address read from the store is used before it is read again (an address
# found, and one found missing), and how many are held.
ADDRESS_TTL_S, NO_ADDRESS_TTL_S, MAX_KNOWN = 300.0, 30.0, 5_000


class Messenger:
    """Sends to remembered addresses outside the turn that learned them."""

    def __init__(
        self,
        adapter: CloudAdapter,
        app_id: str,
        deps: Deps,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        pace: SendPace | None = None,
    ) -> None:
        self._adapter, self._app_id, self._deps, self._sleep = adapter, app_id, deps, sleep
        # Flows send to several chats at once; Teams' per-chat limits are kept here, per chat.
        self._pace = pace or SendPace()
        # Addresses read lately: a sitting's turn sends to the same few chats again and again, and
        # on Cosmos DB each read is a request. What this instance remembers replaces its copy at
        # once; another instance's change is seen when the copy expires.
        self._known: dict[str, tuple[float, dict[str, Any] | None]] = {}
        # Someone who has never written to the bot cannot be sent to; the timer and the reminder
        # round try again each minute, so it is logged once an hour per address, not every time.
        self._unaddressed: dict[str, float] = {}
        # Messages Teams answered 404 for (deleted, or from a chat history the client lost): an
        # update to one is never tried again, so the timer's edits do not fail every tick forever.
        self._gone: set[str] = set()

    async def remember(self, turn_context: TurnContext, meeting_id: str | None = None) -> None:
        """Keep how to reach this chat (and, in a 1:1, this person) again; an address already
        stored as it is now is not written again."""
        activity = turn_context.activity
        if activity.conversation is None or not activity.service_url:
            return
        reference = TurnContext.get_conversation_reference(activity).serialize()
        # botbuilder 4.17's schema maps a conversation's tenant to "tenantID", so the "tenantId"
        # Teams sends is dropped on the way in: take it from channelData.tenant.id, which Teams
        # always sends, so a stored meeting address can be used for the participant API.
        tenant = tenant_id_of(activity.channel_data)
        if tenant:
            reference.setdefault("conversation", {})["tenantId"] = tenant
        sender = activity.from_property
        wanted: dict[str, dict[str, Any]] = {chat_key(activity.conversation.id): reference}
        if sender is not None and sender.aad_object_id:
            aad = sender.aad_object_id.lower()
            wanted[teams_id_key(aad)] = {"id": sender.id}
            if activity.conversation.conversation_type == "personal":
                wanted[user_key(aad)] = reference
        if meeting_id:
            wanted[meeting_key(meeting_id)] = reference
        # An address already stored as it is now is not written again: most turns come from chats
        # the bot knows, and each write is a read and a write on Cosmos DB.
        now = time.monotonic()
        changed = {
            key: value
            for key, value in wanted.items()
            if not (
                (held := self._known.get(key)) and _same(held[1], value) and now - held[0] < ADDRESS_TTL_S
            )
        }
        for attempt in (1, 2):
            if not changed:
                break
            try:
                async with self._deps.uow() as uow:
                    for key, value in changed.items():
                        uow.addresses.put(key, value)
                    await uow.commit()
                break
            except ConcurrencyConflict:
                if attempt == 2:
                    raise
                # Someone else wrote one of the addresses at the same moment: write them again.
        for key, value in wanted.items():
            self._known[key] = (now, value)

    async def address(self, key: str) -> dict[str, Any] | None:
        """A remembered address (read again once the copy held here is a few minutes old)."""
        now = time.monotonic()
        held = self._known.get(key)
        if held is not None and now - held[0] < (ADDRESS_TTL_S if held[1] is not None else NO_ADDRESS_TTL_S):
            return held[1]
        async with self._deps.uow() as uow:
            found = await uow.addresses.get(key)
        if len(self._known) > MAX_KNOWN:
            self._known.clear()
        # A person or chat with no address is asked for again every time: they may install the app
        # through another instance, and a reminder this instance claims must then reach them. A
        # meeting's address only serves best-effort checks (who is in it, a notification inside
        # it), so "none yet" is held for half a minute there: a turn does not ask twice.
        if found is not None or key.startswith(meeting_key("")):
            self._known[key] = (now, found)
        return found

    async def post(self, key: str, message: Outgoing) -> str | None:
        """Send a new message; its id, or None if the address is unknown or delivery failed. New
        messages to one chat arrive in the order they were sent, even when sent at once."""
        async with self._pace.in_order(key):
            return await self._deliver(key, to_activity(message), update=False)

    async def update(self, key: str, message_id: str, message: Outgoing) -> bool:
        """Replace a message the bot sent earlier; False if it could not be (see `gone`)."""
        if message_id in self._gone:
            return False
        activity = to_activity(message)
        activity.id = message_id
        return await self._deliver(key, activity, update=True) is not None

    def gone(self, message_id: str) -> bool:
        """Whether Teams said this message no longer exists: it cannot be updated, only replaced."""
        return message_id in self._gone

    async def members(self, key: str) -> list[tuple[ChatMember, str]] | None:
        """Everyone Teams lists in a chat (bots left out), with their Teams user ids; None when the
        chat is unknown or Teams would not say."""
        doc = await self.address(key)
        if doc is None:
            return None
        reference = ConversationReference().deserialize(doc)
        found: list[tuple[ChatMember, str]] = []
        outcome: dict[str, Any] = {}

        async def read(turn_context: TurnContext) -> None:
            token: str | None = None
            # A continued conversation carries no channel data, which botbuilder's team lookup
            # cannot read: the chat's own members are what is wanted anyway.
            turn_context.activity.channel_data = turn_context.activity.channel_data or {}
            try:
                for _ in range(MEMBER_PAGES):
                    page = await TeamsInfo.get_paged_members(turn_context, token, 100)
                    for account in page.members or []:
                        if str(account.id or "").startswith("28:"):
                            continue  # a bot, this one included
                        aad = (account.aad_object_id or "").lower() or None
                        found.append((ChatMember(str(account.name or ""), aad), str(account.id or "")))
                    token = page.continuation_token
                    if not token:
                        break
            except Exception as error:  # the connector raises its own types; Teams may refuse
                outcome["error"] = error

        await self._adapter.continue_conversation(reference, read, self._app_id)
        if "error" in outcome:
            log_exception("chat.members_failed", outcome["error"])
            return None
        return found

    async def _deliver(self, key: str, activity: Activity, *, update: bool) -> str | None:
        doc = await self.address(key)
        if doc is None:
            # Nobody to send to (the app is not installed for them): failed, for the operators too.
            telemetry.UNDELIVERED.add(
                1, {"operation": "update" if update else "send", "reason": "no_address"}
            )
            now = time.monotonic()
            if now - self._unaddressed.get(key, -NO_ADDRESS_LOG_EVERY_S) >= NO_ADDRESS_LOG_EVERY_S:
                self._unaddressed[key] = now
                logger.info("deliver.no_address key=%s", key.split(":", 1)[0])
            return None
        reference = ConversationReference().deserialize(doc)
        operation = "update" if update else "send"
        kind, _, ident = key.partition(":")
        # A person's deliveries can be followed by their keyed pseudonym; a chat's not at all.
        whom = {"panel.recipient": telemetry.who(ident)} if kind == "user" else {}
        conversation = str(reference.conversation.id if reference.conversation else key)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            attempt_no = {"panel.attempt": attempt}
            if waited := await self._pace.clear_to_send(conversation):
                logger.info("deliver.paced key=%s waited_ms=%d", kind, waited * 1000)
            with telemetry.span(f"connector.{operation}", client=True, **whom, **attempt_no) as current:
                outcome = await self._attempt(reference, activity, update)
                error = outcome.get("error")
                status, retry_after = _status_of(error) if error is not None else (200, None)
                current.set_attribute("panel.status", status or 0)
            telemetry.CONNECTOR.add(1, {"operation": operation, "status": telemetry.status_class(status)})
            if error is None:
                return str(outcome.get("id") or "")
            if update and status == 404 and activity.id:
                self._gone.add(str(activity.id))
                logger.info("deliver.message_gone key=%s", kind)
                return None
            if status not in RETRYABLE or attempt == MAX_ATTEMPTS:
                log_exception("deliver.failed", error)
                telemetry.UNDELIVERED.add(
                    1, {"operation": operation, "reason": telemetry.status_class(status)}
                )
                return None
            wait = retry_after if retry_after is not None else 0.5 * 2 ** (attempt - 1)
            await self._sleep(min(MAX_WAIT_S, wait) * random.uniform(1.0, 1.25))
        return None

    async def _attempt(
        self, reference: ConversationReference, activity: Activity, update: bool
    ) -> dict[str, Any]:
        outcome: dict[str, Any] = {}

        async def send(turn_context: TurnContext) -> None:
            # botbuilder makes every proactive message a reply to the made-up id of its own
            # continuation event; Teams documents a proactive message as one sent to the
            # conversation (POST /v3/conversations/{id}/activities), so it goes as that.
            turn_context.on_send_activities(_to_the_conversation)
            # Failures are caught here: the adapter would otherwise route them to the turn-error
            # handler, which apologises into this (proactive) conversation.
            try:
                if update:
                    await turn_context.update_activity(activity)
                    outcome["id"] = activity.id
                else:
                    response = await turn_context.send_activity(activity)
                    outcome["id"] = response.id if response else ""
            except Exception as error:
                outcome["error"] = error

        await self._adapter.continue_conversation(reference, send, self._app_id)
        return outcome


async def _to_the_conversation(
    _: TurnContext, activities: list[Activity], send_them: Callable[[], Awaitable[Any]]
) -> Any:
    """Send proactive messages to the conversation, not as replies to an activity Teams never sent."""
    for activity in activities:
        activity.reply_to_id = None
    return await send_them()


def _status_of(error: BaseException) -> tuple[int | None, float | None]:
    """The HTTP status and Retry-After seconds of a connector error, where it has them."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    headers = getattr(response, "headers", None) or {}
    retry_after = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        seconds = float(retry_after) if retry_after is not None else None
    except ValueError:
        seconds = None
    return (int(status) if isinstance(status, int) else None), seconds


def _same(stored: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Whether an address is unchanged, whatever activity it was last seen with (the id of the
    message a turn answers changes every turn; where to reach the chat does not)."""
    if stored is None:
        return False
    return {k: v for k, v in stored.items() if k != "activityId"} == {
        k: v for k, v in new.items() if k != "activityId"
    }
