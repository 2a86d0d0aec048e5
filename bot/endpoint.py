"""The /api/messages endpoint, hardened: malformed requests get a clear 4xx, never a 500."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from botbuilder.core import Bot, TurnContext, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from bot import replies
from bot.errors import log_exception

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _problem(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def messages_handler(adapter: CloudAdapter, bot: Bot) -> Handler:
    """Build the POST /api/messages handler."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _problem(415, "Send the activity as application/json.")
        try:
            body = json.loads(await request.text())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _problem(400, "The body is not valid JSON.")
        if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
            return _problem(400, "The body is not a Bot Framework activity (it has no type).")
        try:
            activity = Activity().deserialize(body)
        except Exception as error:  # msrest raises several types for a malformed shape
            log_exception("activity.malformed", error)
            return _problem(400, "The activity could not be read.")
        try:
            invoke = await adapter.process_activity(
                request.headers.get("Authorization", ""), activity, bot.on_turn
            )
        except PermissionError:
            return _problem(401, "The request's token was not accepted.")
        except Exception as error:  # anything the pipeline could not even start on
            log_exception("activity.unprocessable", error, activity_id=activity.id)
            return _problem(400, "The activity could not be processed.")
        if invoke is not None:
            # Plain JSON passes through; botbuilder's serializer only takes its own models.
            body = (
                invoke.body
                if isinstance(invoke.body, dict | list | str | None)
                else serializer_helper(invoke.body)
            )
            return web.json_response(body, status=invoke.status)
        return web.Response(status=201)

    return handle


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    """A failure inside a turn: log where (never what was typed) and apologise to the user."""
    log_exception("turn.failed", error, activity_id=turn_context.activity.id)
    if turn_context.activity.type != "message":
        return  # an event or an invoke has nobody waiting in the chat for an apology
    try:
        await turn_context.send_activity(replies.INTERNAL_ERROR)
    except Exception as send_error:  # the channel itself may be what failed
        log_exception("turn.apology_failed", send_error)
