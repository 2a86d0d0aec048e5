"""The Microsoft 365 Agents Playground, a Teams client for the demo and the end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import yaml

from cli.demo_data import DemoPerson

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLAYGROUND_BIN = PROJECT_ROOT / "node_modules" / ".bin" / "agentsplayground"
BOT_ID = "28:demo-scrutiny-panel-bot"
BOT_NAME = "Scrutiny Panel"
TENANT_ID = "00000000-0000-4000-8000-0000000000aa"
CASE_ROOM_CHAT = "case-room-chat-demo"


def bot_mention() -> dict[str, object]:
    """The entity Teams adds to a message that @mentions the bot (its text starts with it)."""
    return {"type": "mention", "mentioned": {"id": BOT_ID, "name": BOT_NAME}, "text": f"<at>{BOT_NAME}</at>"}


def personal_chat(person: DemoPerson) -> str:
    """Each Playground's 1:1 chat id: distinct per user, so two Playgrounds never share one."""
    return f"personal-chat-{person.key}"


def case_room_chat(person: DemoPerson, main: bool) -> str:
    """The main Playground holds the case room; a second one (an SOO's) gets a chat of its own."""
    return CASE_ROOM_CHAT if main else f"{CASE_ROOM_CHAT}-{person.key}"


READY_TIMEOUT_S = 90


class PlaygroundUnavailable(RuntimeError):
    """The Playground is not installed or did not start."""


@dataclass(frozen=True)
class Playground:
    """A running Playground: where it is, and who its users are."""

    url: str
    current_user: DemoPerson


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config_yaml(current: DemoPerson, others: Sequence[DemoPerson], main: bool = True) -> str:
    """The Playground's user file: one current user and exactly five others."""
    if len(others) != 5:
        raise ValueError("the Playground needs exactly five other users")

    def user(p: DemoPerson) -> dict[str, str]:
        return {
            "id": p.teams_id,
            "name": p.display_name,
            "userPrincipleName": p.email,  # sic: the Playground's own spelling
            "aadObjectId": p.aad_object_id,
            "givenName": p.given_name,
            "surname": p.surname,
            "email": p.email,
        }

    document = {
        "version": "0.1.1",
        "tenantId": TENANT_ID,
        "bot": {"id": BOT_ID, "name": BOT_NAME},
        "currentUser": user(current),
        "users": [user(p) for p in others],
        "personalChat": {"id": personal_chat(current)},
        "groupChat": {
            "id": case_room_chat(current, main),
            "name": "Case room (demo)" if main else "Other chat",
        },
        "team": {
            "id": "team-demo",
            "name": "Scrutiny panel (demo)",
            "aadGroupId": "00000000-0000-4000-8000-0000000000bb",
            "channels": [{"id": "channel-general-demo", "name": "General"}],
        },
    }
    return yaml.safe_dump(document, sort_keys=False)


@asynccontextmanager
async def running_playground(
    bot_endpoint: str,
    port: int,
    current: DemoPerson,
    others: Sequence[DemoPerson],
    workdir: Path,
    main: bool = True,
) -> AsyncIterator[Playground]:
    """Start the Playground against the bot, wait until it answers, stop it afterwards."""
    if not PLAYGROUND_BIN.exists():
        raise PlaygroundUnavailable("The Agents Playground is not installed: run `npm ci` (make does this).")
    config = await asyncio.to_thread(_write_config, workdir, config_yaml(current, others, main))
    env = {
        **os.environ,
        "TEAMSAPPTESTER_BROWSER": "none",
        "M365_AGENTS_PLAYGROUND_CONFIG_PATH": str(config),
    }
    log = await asyncio.to_thread((workdir / "playground.log").open, "wb")
    process = await asyncio.create_subprocess_exec(
        str(PLAYGROUND_BIN),
        "start",
        "-e",
        bot_endpoint,
        "-c",
        "msteams",
        "--dt",
        "-p",
        str(port),
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,  # so that stopping it stops its children too
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_until_ready(url, process, current)
        yield Playground(url=url, current_user=current)
    finally:
        if process.returncode is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                os.killpg(process.pid, signal.SIGKILL)
                await process.wait()
        log.close()


def _write_config(workdir: Path, text: str) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    # Absolute: the Playground runs in workdir and would resolve a relative path from there.
    config = (workdir / "playground.yml").resolve()
    config.write_text(text, encoding="utf-8")
    return config


async def _wait_until_ready(url: str, process: asyncio.subprocess.Process, current: DemoPerson) -> None:
    deadline = asyncio.get_running_loop().time() + READY_TIMEOUT_S
    async with aiohttp.ClientSession() as session:
        while asyncio.get_running_loop().time() < deadline:
            if process.returncode is not None:
                raise PlaygroundUnavailable(f"The Playground exited with code {process.returncode}.")
            try:
                async with session.get(f"{url}/_internal/v1/config") as response:
                    if response.status == 200:
                        loaded = (await response.json())["config"]["currentUser"]["id"]
                        if loaded != current.teams_id:
                            # It falls back to built-in users when it cannot read the file.
                            raise PlaygroundUnavailable("The Playground did not load the demo's users.")
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.3)
    raise PlaygroundUnavailable(f"The Playground did not answer within {READY_TIMEOUT_S} seconds.")
