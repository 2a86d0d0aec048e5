"""Connector and token clients built once per address, not once per turn.

botbuilder's CloudAdapter builds a new connector client and a new user-token client for every
incoming turn and every proactive message. Each build costs about 3 ms of CPU (msrest's retry
policy searches a 500-item list for each of 999 status codes), and a new client opens a new HTTP
session, so no connection to the Bot Connector is ever reused. The panel sends several messages
per turn of the chair's (cards updated in place, the SOO's call): that cost was paid for each.

The clients carry nothing about a turn: a connector client is the service address, the audience
and the bot's own credentials; the token client is the bot's app id and credentials. So one of each
per (app id, service address, audience) serves every turn. Teams has a handful of service addresses
(one per region), so the caches stay tiny.
"""

from __future__ import annotations

from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient

ClientKey = tuple[str, str, str]


def _app_id(claims_identity: ClaimsIdentity | None) -> str:
    """Whose credentials a client would carry: the bot's app id as the request's token names it."""
    if claims_identity is None:
        return ""
    found = claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
    if found is None:
        found = claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)
    return str(found or "")


class _ReusingFactory(ConnectorFactory):
    """A connector factory that hands out the client it built before for the same address."""

    def __init__(
        self, inner: ConnectorFactory, app_id: str, clients: dict[ClientKey, ConnectorClient]
    ) -> None:
        self._inner, self._app_id, self._clients = inner, app_id, clients

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        """The client for this service address and audience, built on first use."""
        key = (self._app_id, service_url or "", audience or "")
        client = self._clients.get(key)
        if client is None:
            client = await self._inner.create(service_url, audience)
            client = self._clients.setdefault(key, client)
        return client


class ReusedClients(BotFrameworkAuthentication):
    """Authentication exactly as botbuilder's own, with its clients kept for reuse."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self._connectors: dict[ClientKey, ConnectorClient] = {}
        self._token_clients: dict[str, UserTokenClient] = {}

    def _reusing(
        self, factory: ConnectorFactory | None, claims: ClaimsIdentity | None
    ) -> ConnectorFactory | None:
        if factory is None or isinstance(factory, _ReusingFactory):
            return factory
        return _ReusingFactory(factory, _app_id(claims), self._connectors)

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """Validate the request's token as botbuilder does; its connector factory reuses clients."""
        result = await self._inner.authenticate_request(activity, auth_header)
        result.connector_factory = self._reusing(result.connector_factory, result.claims_identity)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        """As botbuilder does, with the reusing factory."""
        result = await self._inner.authenticate_streaming_request(auth_header, channel_id_header)
        result.connector_factory = self._reusing(result.connector_factory, result.claims_identity)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        """A factory for proactive messages that reuses the clients of earlier turns."""
        factory = self._reusing(self._inner.create_connector_factory(claims_identity), claims_identity)
        assert factory is not None
        return factory

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """One token client per app id (the panel signs nobody in; botbuilder builds one anyway)."""
        key = _app_id(claims_identity)
        client = self._token_clients.get(key)
        if client is None:  # two first turns at once may both build one: the first kept serves
            client = await self._inner.create_user_token_client(claims_identity)
            client = self._token_clients.setdefault(key, client)
        return client

    def create_bot_framework_client(self) -> BotFrameworkClient:
        """As botbuilder does (skills: unused by the panel)."""
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        """As botbuilder does."""
        return str(self._inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        """As botbuilder does."""
        return await self._inner.authenticate_channel_request(auth_header)
