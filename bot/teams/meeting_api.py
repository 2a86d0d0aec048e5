"""Teams meeting REST calls, made directly because botbuilder 4.17's helpers for them are broken:
the targeted in-meeting notification and the participant lookup."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import aiohttp

from bot import telemetry
from bot.errors import log_exception

logger = logging.getLogger(__name__)
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
BOT_FRAMEWORK_RESOURCE = "https://api.botframework.com"
MAX_RECIPIENTS = 10
TIMEOUT = aiohttp.ClientTimeout(total=10)

TokenSource = Callable[[], Awaitable[str | None]]


async def no_token() -> str | None:
    """Local, unauthenticated use: the Playground takes no token."""
    return None


def msal_token_source(app_id: str, app_password: str, tenant_id: str, app_type: str = "") -> TokenSource:
    """The bot's own token for the Bot Connector, from msal (which caches and renews it): by its
    user-assigned managed identity (UserAssignedMSI, no secret), or by client credentials. The msal
    client is made on first use: making it contacts the authority, which must not delay or break
    start-up."""
    clients: list[Any] = []

    def acquire() -> dict[str, Any]:
        if not clients:
            import msal
            import requests

            if app_type == "UserAssignedMSI":
                clients.append(
                    msal.ManagedIdentityClient(
                        msal.UserAssignedManagedIdentity(client_id=app_id), http_client=requests.Session()
                    )
                )
            else:
                authority = f"https://login.microsoftonline.com/{tenant_id or 'botframework.com'}"
                clients.append(
                    msal.ConfidentialClientApplication(
                        app_id, client_credential=app_password, authority=authority
                    )
                )
        client = clients[0]
        result: dict[str, Any] = (
            client.acquire_token_for_client(resource=BOT_FRAMEWORK_RESOURCE)
            if app_type == "UserAssignedMSI"
            else client.acquire_token_for_client(scopes=[BOT_FRAMEWORK_SCOPE])
        )
        return result

    async def token() -> str | None:
        try:
            result = await asyncio.to_thread(acquire)
        except Exception as error:  # msal raises its own and network errors
            log_exception("meeting_api.token_failed", error)
            return None
        access = result.get("access_token")
        if not access:
            logger.error("meeting_api.token_refused")
        return str(access) if access else None

    return token


class MeetingApi:
    """The two meeting endpoints the sitting flow uses; failures are logged, never raised."""

    def __init__(self, token: TokenSource = no_token) -> None:
        self._token = token

    async def notify(
        self, service_url: str, meeting_id: str, recipients: list[str], page_url: str, title: str
    ) -> bool:
        """Send a targeted in-meeting notification showing `page_url` to at most ten people."""
        if not recipients or len(recipients) > MAX_RECIPIENTS:
            raise ValueError(f"a targeted notification goes to 1 to {MAX_RECIPIENTS} people")
        body = {
            "type": "targetedMeetingNotification",
            "value": {
                "recipients": recipients,
                "surfaces": [
                    {
                        "surface": "meetingStage",
                        "contentType": "task",
                        "content": {
                            "value": {"height": "300", "width": "400", "title": title, "url": page_url}
                        },
                    }
                ],
            },
        }
        url = f"{service_url.rstrip('/')}/v1/meetings/{quote(meeting_id, safe='')}/notification"
        status, _ = await self._call("POST", url, body, "notify")
        return status in (200, 201, 202, 207)

    async def participant(
        self, service_url: str, meeting_id: str, aad_object_id: str, tenant_id: str
    ) -> dict[str, Any] | None:
        """A participant's meeting details (role, whether in the meeting), or None."""
        url = (
            f"{service_url.rstrip('/')}/v1/meetings/{quote(meeting_id, safe='')}/participants/"
            f"{quote(aad_object_id, safe='')}?tenantId={quote(tenant_id, safe='')}"
        )
        status, payload = await self._call("GET", url, None, "participant")
        return payload if status == 200 and isinstance(payload, dict) else None

    async def _call(
        self, method: str, url: str, body: dict[str, Any] | None, operation: str
    ) -> tuple[int, Any]:
        """One call, in a span of its own (the operation and status, never the address)."""
        with telemetry.span(f"meeting_api.{operation}", client=True) as current:
            status, payload = await self._call_once(method, url, body)
            current.set_attribute("panel.status", status)
        telemetry.CONNECTOR.add(1, {"operation": operation, "status": telemetry.status_class(status)})
        return status, payload

    async def _call_once(self, method: str, url: str, body: dict[str, Any] | None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        token = await self._token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            async with (
                aiohttp.ClientSession(timeout=TIMEOUT) as session,
                session.request(method, url, json=body, headers=headers) as response,
            ):
                payload = (
                    await response.json()
                    if response.status == 200 and response.content_type == "application/json"
                    else None
                )
                if response.status >= 400:
                    logger.warning("meeting_api.refused method=%s status=%s", method, response.status)
                return response.status, payload
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log_exception("meeting_api.failed", error)
            return 0, None
