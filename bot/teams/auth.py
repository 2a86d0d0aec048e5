"""Who may talk to the bot: every request's token is checked here, off botbuilder's blocking path.

botbuilder 4.17 fetches the Bot Framework's signing keys with a blocking call on the event loop,
without a timeout, and does not remember a failure, so a few forged tokens could stall the bot. Here
the OpenID configuration and its keys are fetched asynchronously, with a timeout, cached when good
and for a short while when not; a token is judged only by a key the identity provider published.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import jwt
from botbuilder.integration.aiohttp import CloudAdapter
from botframework.connector.auth import AuthenticateRequestResult, ClaimsIdentity

logger = logging.getLogger(__name__)
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
PUBLIC_AZURE_CALLER = "urn:botframework:azure"
FETCH_TIMEOUT = aiohttp.ClientTimeout(total=5)
KEYS_TTL_S = 24 * 3600.0
FAILURE_TTL_S = 30.0
REFETCH_FOR_UNKNOWN_KID_S = 300.0
LEEWAY_S = 300


class Unauthorized(Exception):
    """The request's token is missing, forged, expired or not meant for this bot (401)."""


class IdentityProviderUnavailable(Exception):
    """The signing keys cannot be fetched just now (503, try again)."""


class UntrustedServiceUrl(Exception):
    """The activity names no Bot Framework service this bot is configured to answer (400)."""


@dataclass(frozen=True)
class TokenPolicy:
    """What a token must be: for this app, from these issuers, signed by a published key."""

    app_id: str
    openid_url: str
    service_urls: tuple[str, ...]
    issuers: frozenset[str] = frozenset({BOT_FRAMEWORK_ISSUER})


@dataclass
class _Keys:
    by_kid: dict[str, Any] = field(default_factory=dict)
    fetched_at: float = float("-inf")
    failed_at: float = float("-inf")


class SigningKeys:
    """The identity provider's published keys, fetched asynchronously and cached."""

    def __init__(self, openid_url: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._url, self._clock = openid_url, clock
        self._keys = _Keys()
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> Any:
        """The public key with this id, or Unauthorized if the provider never published one."""
        now = self._clock()
        if kid not in self._keys.by_kid or now - self._keys.fetched_at > KEYS_TTL_S:
            fresh_enough = now - self._keys.fetched_at < REFETCH_FOR_UNKNOWN_KID_S
            if not (fresh_enough and self._keys.by_kid):
                await self._refresh()
        found = self._keys.by_kid.get(kid)
        if found is None:
            raise Unauthorized("unknown key")
        return found

    async def _refresh(self) -> None:
        async with self._lock:
            now = self._clock()
            if now - self._keys.failed_at < FAILURE_TTL_S:
                raise IdentityProviderUnavailable()  # failed a moment ago: do not hammer it
            if now - self._keys.fetched_at < 1.0 and self._keys.by_kid:
                return  # another request refreshed them just now
            try:
                async with aiohttp.ClientSession(timeout=FETCH_TIMEOUT) as session:
                    config = await _get_json(session, self._url)
                    jwks = await _get_json(session, str(config["jwks_uri"]))
                keys = {
                    str(k["kid"]): jwt.PyJWK.from_dict(k).key
                    for k in jwks.get("keys", [])
                    if isinstance(k, dict) and k.get("kid") and k.get("kty") == "RSA"
                }
            except (
                aiohttp.ClientError,
                TimeoutError,
                ValueError,
                KeyError,
                TypeError,
                jwt.PyJWTError,
            ) as error:
                self._keys.failed_at = self._clock()
                logger.warning("auth.keys_unavailable error=%s", type(error).__name__)
                raise IdentityProviderUnavailable() from error
            self._keys = _Keys(keys, fetched_at=self._clock())
            logger.info("auth.keys_fetched count=%s", len(keys))


async def _get_json(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    async with session.get(url) as response:
        if response.status != 200:
            raise ValueError(f"status {response.status}")
        body = await response.json(content_type=None)
    if not isinstance(body, dict):
        raise ValueError("not an object")
    return body


class InboundAuth:
    """Judges each request's bearer token and the service it names, then hands botbuilder the
    already-authenticated request (so botbuilder's own, blocking validation never runs)."""

    def __init__(self, policy: TokenPolicy, adapter: CloudAdapter, keys: SigningKeys | None = None) -> None:
        self._policy, self._adapter = policy, adapter
        self._keys = keys or SigningKeys(policy.openid_url)

    async def authenticate(self, header: str, service_url: str | None) -> AuthenticateRequestResult:
        """The authenticated request, or Unauthorized / IdentityProviderUnavailable / UntrustedServiceUrl."""
        return self.for_service(await self.claims(header), service_url)

    def for_service(self, claims: dict[str, Any], service_url: str | None) -> AuthenticateRequestResult:
        """The authenticated request for an activity naming `service_url`: a Teams service this bot
        answers, and the one the token was issued for."""
        if claims.get("serviceurl") != service_url:
            # The token was issued for another service address than the one the activity names: the
            # token is what is wrong (401), whatever the address is.
            raise Unauthorized("service url")
        trusted_service_url(service_url, self._policy.service_urls)
        identity = ClaimsIdentity(claims, True, "Bearer")
        bfa = self._adapter.bot_framework_authentication
        result = AuthenticateRequestResult()
        result.claims_identity = identity
        result.audience = bfa.get_originating_audience()
        result.caller_id = PUBLIC_AZURE_CALLER
        result.connector_factory = bfa.create_connector_factory(identity)
        return result

    async def claims(self, header: str) -> dict[str, Any]:
        """The token's claims once its signature, issuer, audience and times are good: judged from
        the Authorization header alone, before the request's body is read."""
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token or len(token) > 8192:
            raise Unauthorized("no bearer token")
        try:
            heading = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthorized("malformed") from error
        # Only RS256: never "none", and never a symmetric algorithm a public key could be abused for.
        if heading.get("alg") != "RS256" or not isinstance(heading.get("kid"), str):
            raise Unauthorized("algorithm")
        key = await self._keys.key(heading["kid"])
        try:
            claims: Mapping[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self._policy.app_id,
                issuer=list(self._policy.issuers),
                leeway=LEEWAY_S,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(type(error).__name__) from error
        return dict(claims)


def trusted_service_url(service_url: str | None, prefixes: tuple[str, ...]) -> None:
    """Refuse an activity that names no service URL, or one this bot was not set up to answer:
    the bot sends its replies (and its credentials) there."""
    if not service_url or not isinstance(service_url, str):
        raise UntrustedServiceUrl()
    normal = service_url if service_url.endswith("/") else service_url + "/"
    if not any(normal.lower().startswith(prefix.lower()) for prefix in prefixes):
        raise UntrustedServiceUrl()


def loopback_service_url(service_url: str | None) -> None:
    """Without an app id the bot serves a local client only (the Playground): replies go nowhere
    but this machine."""
    host = urlsplit(service_url or "").hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise UntrustedServiceUrl()
