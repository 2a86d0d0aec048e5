"""The /api/messages endpoint, hardened: malformed requests get a clear 4xx, never a 500."""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, TurnContext, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult

from bot import replies, telemetry
from bot.errors import log_exception, log_once_a_minute
from bot.limits import EdgeLimits
from bot.meeting_events import tenant_id_of
from bot.teams.auth import (
    IdentityProviderUnavailable,
    InboundAuth,
    Unauthorized,
    UntrustedServiceUrl,
    loopback_service_url,
)

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RETRY_AFTER_S = 30


def _problem(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def messages_handler(
    adapter: CloudAdapter,
    bot: Bot,
    auth: InboundAuth | None = None,
    limits: EdgeLimits | None = None,
    allowed_tenant: str = "",
) -> Handler:
    """Build the POST /api/messages handler. The cheap checks come first and the body is read only
    after the token is judged (README, "What the edge checks"): media type, bearer header, the
    sender address's recent failures, size, token, then the activity and its tenant. With `auth` (an
    app id is set) every request's token is judged; without, only a client on this machine is
    answered. With `allowed_tenant`, an activity from any other tenant is refused before anything."""

    async def traced(request: web.Request) -> web.StreamResponse:
        with telemetry.turn_span("http", request.headers) as record:
            response = await handle(request)
            if record.outcome == "done" and response.status >= 400:
                record.outcome = f"rejected:{response.status}"
            return response

    async def handle(request: web.Request) -> web.StreamResponse:
        if not json_media_type(request.headers.get("Content-Type", "")):
            return _problem(415, "Send the activity as application/json.")
        header = request.headers.get("Authorization", "")
        client = client_address(request) if auth is not None else ""  # only failed tokens are counted
        claims: dict[str, Any] | None = None
        if auth is not None:
            if limits is not None and (wait := limits.failures_wait(client)):
                return _too_many(wait, "activity.auth_throttled")
            try:
                claims = await auth.claims(header)  # judged before the body is read
            except Unauthorized:
                if limits is not None:
                    limits.failed(client)
                return _problem(401, "The request's token was not accepted.")
            except IdentityProviderUnavailable:
                return web.json_response(
                    {"error": "The bot cannot check tokens just now; try again shortly."},
                    status=503,
                    headers={"Retry-After": str(RETRY_AFTER_S)},
                )
        if (request.content_length or 0) > MAX_BODY_BYTES:
            return _problem(413, "The activity is larger than any Teams activity.")
        try:
            raw = await request.content.read(MAX_BODY_BYTES + 1)
            if len(raw) > MAX_BODY_BYTES:
                return _problem(413, "The activity is larger than any Teams activity.")
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _problem(400, "The body is not valid JSON.")
        except RecursionError:
            return _problem(400, "The body is nested too deeply to be an activity.")
        if _too_deep(body):
            return _problem(400, "The body is nested too deeply to be an activity.")
        if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
            return _problem(400, "The body is not a Bot Framework activity (it has no type).")
        telemetry.note_kind(body["type"] if body["type"] in KNOWN_TYPES else "other")
        if allowed_tenant and tenant_of(body) != allowed_tenant.lower():
            log_once_a_minute(logger, "activity.other_tenant")  # a flood is one line a minute
            return _problem(403, "This bot serves one organisation's Teams only.")
        service_url = body.get("serviceUrl")
        try:
            if auth is None or claims is None:
                loopback_service_url(service_url if isinstance(service_url, str) else None)
                authenticated: str | AuthenticateRequestResult = ""
            else:
                authenticated = auth.for_service(
                    claims, service_url if isinstance(service_url, str) else None
                )
        except UntrustedServiceUrl:
            return _problem(400, "The activity names no Bot Framework service this bot answers.")
        except Unauthorized:
            if limits is not None:
                limits.failed(client)
            return _problem(401, "The request's token was not accepted.")
        try:
            activity = Activity().deserialize(body)
        except Exception as error:  # msrest raises several types for a malformed shape
            log_exception("activity.malformed", error)
            return _problem(400, "The activity could not be read.")
        if not _answerable(activity):  # judged after the token: a stranger learns nothing from it
            return _problem(400, "The activity has no id, conversation or sender to answer.")
        if limits is not None and activity.type in ("message", "invoke"):
            sender = activity.from_property.id if activity.from_property else None
            chat = activity.conversation.id if activity.conversation else None
            wait = limits.wait(sender, chat)
            if wait:
                return _too_many(wait, "activity.rate_limited")
        try:
            invoke = await adapter.process_activity(authenticated, activity, bot.on_turn)
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

    return traced


# The activity types Teams sends; any other is counted as "other" (a type is client-chosen text).
KNOWN_TYPES = frozenset(
    {
        "message",
        "invoke",
        "event",
        "conversationUpdate",
        "installationUpdate",
        "messageUpdate",
        "messageDelete",
    }
)

# A Teams activity is a few kilobytes (a message is at most ~28 KB, a card's submitted data less);
# a larger body is refused before it is parsed, so it cannot hold the event loop.
MAX_BODY_BYTES = 256 * 1024


def _too_many(wait: float, event: str) -> web.Response:
    log_once_a_minute(logger, event)
    telemetry.RATE_LIMITED.add(1)
    telemetry.note_outcome("rate_limited")
    return web.json_response(
        {"error": "Too many requests at once; please wait a moment."},
        status=429,
        headers={"Retry-After": str(max(1, math.ceil(wait)))},
    )


def json_media_type(header: str) -> bool:
    """Whether a Content-Type header is exactly JSON (parameters such as charset allowed): a
    browser's "simple" request (text/plain with anything appended) never passes."""
    media, _, _ = header.partition(";")
    return media.strip().lower() == "application/json"


def client_address(request: web.Request) -> str:
    """Who sent a request, for counting failed authentications: behind App Service the address its
    front end appended last to X-Forwarded-For; otherwise the connection's own."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last.rsplit(":", 1)[0] if last.count(":") == 1 else (last or request.remote or "unknown")


def tenant_of(body: dict[str, Any]) -> str:
    """The Entra tenant an activity comes from, as Teams sends it: `channelData.tenant.id`, which
    Teams always sets, else `conversation.tenantId` (botbuilder's schema drops the latter)."""
    conversation = body.get("conversation")
    found = tenant_id_of(body.get("channelData")) or (
        conversation.get("tenantId") if isinstance(conversation, dict) else None
    )
    return found.lower() if isinstance(found, str) else ""


# Teams' ids are opaque tokens of these characters; holding them to it keeps anything a client
# makes up (a name, a phone number) out of the ids that log lines carry.
_ID = re.compile(r"[A-Za-z0-9:_\-.|@=+/;#!]{1,1024}")


def _answerable(activity: Activity) -> bool:
    """An activity the bot can act on and answer: a well-formed id (when it has one; messages and
    button presses must), a conversation and a sender."""

    def token(value: object) -> bool:
        return isinstance(value, str) and _ID.fullmatch(value) is not None

    if activity.id is not None and not token(activity.id):
        return False
    if activity.type in ("message", "invoke") and activity.id is None:
        return False
    return (
        activity.conversation is not None
        and token(activity.conversation.id)
        and activity.from_property is not None
        and token(activity.from_property.id)
    )


MAX_DEPTH = 32  # a Teams activity with an Adaptive Card in it nests a dozen levels at most


def _too_deep(body: object) -> bool:
    """Whether a parsed body nests deeper than any activity could (checked without recursion)."""
    stack: list[tuple[object, int]] = [(body, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return False


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    """A failure inside a turn: log where (never what was typed) and apologise to the user."""
    log_exception("turn.failed", error, activity_id=turn_context.activity.id)
    if turn_context.activity.type != "message":
        return  # an event or an invoke has nobody waiting in the chat for an apology
    try:
        await turn_context.send_activity(replies.INTERNAL_ERROR)
    except Exception as send_error:  # the channel itself may be what failed
        log_exception("turn.apology_failed", send_error)
