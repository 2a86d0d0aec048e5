"""The edge, proven: with an app id, every request's bearer token is judged against keys an identity
provider published (here a local OpenID server with its own key pair), and only a correct one gets
past; the service address an activity names must be one the bot answers."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app import create_app
from settings import Settings
from tests.conftest import TEST_KEY

APP_ID = "11111111-2222-4333-8444-555555555555"
TENANT = "0a0a0a0a-0000-4000-8000-00000000f0ce"
ISSUER = "https://api.botframework.com"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


PUBLISHED, UNPUBLISHED = new_key(), new_key()


@dataclass
class IdentityProvider:
    """A local stand-in for the Bot Framework's OpenID configuration and key set."""

    up: bool = True

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/openid", self._config)
        app.router.add_get("/keys", self._keys)
        return app

    async def _config(self, request: web.Request) -> web.Response:
        if not self.up:
            return web.Response(status=503)
        return web.json_response({"issuer": ISSUER, "jwks_uri": str(request.url.with_path("/keys"))})

    async def _keys(self, request: web.Request) -> web.Response:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(PUBLISHED.public_key()))
        return web.json_response({"keys": [{**jwk, "kid": "published", "use": "sig", "alg": "RS256"}]})


@dataclass
class Edge:
    client: TestClient
    provider: IdentityProvider
    service_url: str
    db: Path

    def processed_anything(self) -> bool:
        with sqlite3.connect(self.db) as conn:
            return bool(conn.execute("SELECT COUNT(*) FROM addresses").fetchone()[0])


@pytest.fixture
async def edge(tmp_path: Path) -> AsyncIterator[Edge]:
    provider = IdentityProvider()
    idp = TestServer(provider.app())
    await idp.start_server()
    service_url = "https://smba.example.test/teams/"
    settings = Settings(
        sqlite_path=tmp_path / "panel.db",
        identity_hash_key=TEST_KEY,
        create_store=True,
        app_id=APP_ID,
        app_password="placeholder-secret",
        public_base_url="https://bot.example.test",
        openid_metadata_url=str(idp.make_url("/openid")),
        service_urls=(service_url,),
        allowed_tenant_id=TENANT,
    )
    async with TestClient(TestServer(create_app(settings, background=False))) as client:
        yield Edge(client, provider, service_url, tmp_path / "panel.db")
    await idp.close()


def token(
    key: Any = PUBLISHED,
    *,
    alg: str = "RS256",
    kid: str = "published",
    claims: dict[str, Any] | None = None,
) -> str:
    now = int(time.time())
    body = {"iss": ISSUER, "aud": APP_ID, "exp": now + 3600, "nbf": now - 10}
    body.update(claims or {})
    return jwt.encode(body, key, algorithm=alg, headers={"kid": kid})


def activity(service_url: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "type": "invoke",
        "name": "adaptiveCard/action",
        "id": "tok-1",
        "channelId": "msteams",
        "from": {"id": "29:x", "aadObjectId": "00000000-0000-4000-8000-000000000001"},
        "recipient": {"id": f"28:{APP_ID}"},
        "conversation": {"id": "personal-x", "conversationType": "personal", "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}},
        "value": {"action": {"type": "Action.Execute", "verb": "sitting.refresh", "data": {"sitting": "x"}}},
    }
    if service_url is not None:
        found["serviceUrl"] = service_url
    return found


async def post(edge: Edge, bearer: str | None, service_url: str | None = "SERVICE") -> tuple[int, Any]:
    url = edge.service_url if service_url == "SERVICE" else service_url
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    response = await edge.client.post("/api/messages", json=activity(url), headers=headers)
    return response.status, response


async def test_a_correctly_signed_token_is_accepted(edge: Edge) -> None:
    good = token(claims={"serviceurl": edge.service_url})
    status, response = await post(edge, good)
    assert status == 200
    # The bot answered the press (the sender is on no roster here, so with the one short answer).
    assert "This app is for the scrutiny panel" in json.dumps(await response.json())
    assert edge.processed_anything()


def public_pem() -> bytes:
    return PUBLISHED.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.mark.parametrize(
    ("case", "make"),
    [
        ("signed with a key nobody published", lambda url: token(UNPUBLISHED, claims={"serviceurl": url})),
        ("an unknown key id", lambda url: token(UNPUBLISHED, kid="who-knows", claims={"serviceurl": url})),
        ("expired", lambda url: token(claims={"serviceurl": url, "exp": int(time.time()) - 3600})),
        ("not yet valid", lambda url: token(claims={"serviceurl": url, "nbf": int(time.time()) + 3600})),
        ("for another app", lambda url: token(claims={"serviceurl": url, "aud": "another-app"})),
        ("from another issuer", lambda url: token(claims={"serviceurl": url, "iss": "https://evil.example"})),
        (
            "for another service address",
            lambda url: token(claims={"serviceurl": "https://smba.example.test/other/"}),
        ),
        ("garbage", lambda url: "not.a.token"),
    ],
)
async def test_a_bad_token_is_refused_with_401_and_nothing_is_done(
    edge: Edge, case: str, make: Callable[[str], str]
) -> None:
    status, _ = await post(edge, make(edge.service_url))
    assert status == 401, case
    assert not edge.processed_anything(), case


async def test_alg_none_and_a_symmetric_key_made_of_the_public_key_are_refused(edge: Edge) -> None:
    claims = {"iss": ISSUER, "aud": APP_ID, "exp": int(time.time()) + 3600, "serviceurl": edge.service_url}
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "published"})
    status, _ = await post(edge, unsigned)
    assert status == 401
    # The classic confusion: HS256 "signed" with the published RSA public key as the shared secret.
    header = {"alg": "HS256", "typ": "JWT", "kid": "published"}
    segments = [jwt.utils.base64url_encode(json.dumps(part).encode()) for part in (header, claims)]
    signing_input = b".".join(segments)
    signature = jwt.utils.base64url_encode(hmac.new(public_pem(), signing_input, hashlib.sha256).digest())
    status, _ = await post(edge, (signing_input + b"." + signature).decode())
    assert status == 401
    assert not edge.processed_anything()


async def test_no_token_at_all_is_refused(edge: Edge) -> None:
    status, _ = await post(edge, None)
    assert status == 401


async def test_an_unreachable_identity_provider_gives_503_with_retry_after(edge: Edge) -> None:
    edge.provider.up = False
    status, response = await post(edge, token(claims={"serviceurl": edge.service_url}))
    assert status == 503 and response.headers["Retry-After"].isdigit()
    status, _ = await post(edge, token(claims={"serviceurl": edge.service_url}))
    assert status == 503  # remembered for a moment, not fetched again at once
    assert not edge.processed_anything()


async def test_an_activity_naming_an_untrusted_service_or_none_is_refused(edge: Edge) -> None:
    evil = "https://evil.example/"
    status, _ = await post(edge, token(claims={"serviceurl": evil}), evil)
    assert status == 400
    # A token issued for Teams' own service, on an activity naming another: the token does not
    # fit the activity, which is 401 (it was 400, the address being judged first).
    status, _ = await post(edge, token(claims={"serviceurl": edge.service_url}), evil)
    assert status == 401
    status, _ = await post(edge, token(claims={"serviceurl": edge.service_url}), None)
    assert status in (400, 401)
    assert not edge.processed_anything()


async def test_without_an_app_id_only_a_client_on_this_machine_is_answered(tmp_path: Path) -> None:
    settings = Settings(sqlite_path=tmp_path / "panel.db", identity_hash_key=TEST_KEY, create_store=True)
    async with TestClient(TestServer(create_app(settings, background=False))) as client:
        far = await client.post("/api/messages", json=activity("https://smba.trafficmanager.net/emea/"))
        assert far.status == 400
        missing = await client.post("/api/messages", json=activity(None))
        assert missing.status == 400
        near = await client.post("/api/messages", json=activity("http://127.0.0.1:9/"))
        assert near.status == 200
