"""Builds botbuilder's CloudAdapter from the bot's credentials."""

from __future__ import annotations

from dataclasses import dataclass, field

from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.teams.card_serialization import install as install_card_serialization
from bot.teams.endpoint import on_turn_error
from bot.teams.reused_clients import ReusedClients


@dataclass(frozen=True)
class BotCredentials:
    """The Entra app registration the bot runs as; an empty app id means local, unauthenticated."""

    app_id: str = ""
    app_password: str = field(default="", repr=False)
    app_tenant_id: str = ""
    app_type: str = "MultiTenant"


class _AuthConfiguration:
    """The attribute names botbuilder's configuration reader looks for."""

    def __init__(self, credentials: BotCredentials) -> None:
        self.APP_ID = credentials.app_id
        self.APP_PASSWORD = credentials.app_password
        self.APP_TENANTID = credentials.app_tenant_id
        self.APP_TYPE = credentials.app_type


def build_adapter(credentials: BotCredentials, *, reuse_clients: bool = True) -> CloudAdapter:
    """A CloudAdapter that validates every request's token when an app id is set, and keeps its
    connector clients for reuse (`reuse_clients=False`: botbuilder's own, a new pair every turn)."""
    install_card_serialization()
    authentication = ConfigurationBotFrameworkAuthentication(_AuthConfiguration(credentials))
    adapter = CloudAdapter(ReusedClients(authentication) if reuse_clients else authentication)
    adapter.on_turn_error = on_turn_error
    return adapter
