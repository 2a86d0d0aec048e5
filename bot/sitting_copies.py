"""Copies of the sitting card in people's own chats (a person's `agenda` during a sitting), kept up
to date with the case-room chat's card: a copy left saying "Live" after the end misleads its reader."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from bot.outgoing import card_message
from bot.teams.messenger import Messenger
from panel.usecases.deps import Deps

# A person may ask for the sitting card in their own chat more than once; the latest few copies are
# kept current (older ones are rarely scrolled back to).
MAX_COPIES_EACH = 3
COPIES_TTL_S = 60.0
# A registry read this long ago, in the same turn that is now adding to it, is taken as it stands.
JUST_READ_S = 5.0


class SittingCopies:
    """The registry of copies, one document per sitting, and the edits that keep them current."""

    def __init__(self, deps: Deps, messenger: Messenger) -> None:
        self._deps, self._messenger = deps, messenger
        # Each sitting's copies, as last read: the timer refreshes every few seconds, so they are
        # read again only after COPIES_TTL_S (a copy another instance sent is picked up then); this
        # instance's own are known at once.
        self._held: dict[str, tuple[float, list[dict[str, str]]]] = {}
        # A registry read for a copy about to be sent, and when: recording that copy uses it once.
        self._prefetched: dict[str, tuple[float, list[dict[str, str]]]] = {}

    async def prefetch(self, sitting_id: str) -> None:
        """Read a sitting's registry now, while a copy is being made, so that recording the copy
        afterwards is one write rather than a read and then a write."""
        async with self._deps.uow() as uow:
            copies = _copies(await uow.addresses.get(_copies_key(sitting_id)) or {})
        self._prefetched[sitting_id] = (time.monotonic(), copies)

    async def record(self, sitting_id: str, owner: str, chat: str, message_id: str) -> None:
        """Remember a copy sent to `owner`'s own chat (their latest few are kept)."""
        key = _copies_key(sitting_id)
        read_at, prefetched = self._prefetched.pop(sitting_id, (float("-inf"), []))
        async with self._deps.uow() as uow:
            if time.monotonic() - read_at < JUST_READ_S:
                known = prefetched
            else:
                known = _copies(await uow.addresses.get(key) or {})
            copies = [c for c in known if c["id"] != message_id]
            mine = [c for c in copies if c["aad"] == owner][-(MAX_COPIES_EACH - 1) :]
            others = [c for c in copies if c["aad"] != owner]
            kept = [*others, *mine, {"aad": owner, "chat": chat, "id": message_id}]
            uow.addresses.put(key, {"copies": kept})
            await uow.commit()
        self._held[sitting_id] = (time.monotonic(), kept)

    async def of(self, sitting_id: str) -> list[dict[str, str]]:
        """The copies of a sitting's card in people's own chats (read again after COPIES_TTL_S)."""
        held = self._held.get(sitting_id)
        if held is not None and time.monotonic() - held[0] < COPIES_TTL_S:
            return held[1]
        async with self._deps.uow() as uow:
            copies = _copies(await uow.addresses.get(_copies_key(sitting_id)) or {})
        self._held[sitting_id] = (time.monotonic(), copies)
        return copies

    async def update(
        self, copies: list[dict[str, str]], cards: list[dict[str, Any]], shown: dict[str, str]
    ) -> None:
        """Bring each copy up to date with its owner's view of the card (`shown`: what each message
        last showed, so only a change is sent); a copy Teams no longer has is passed over."""

        async def one(copy: dict[str, str], content: dict[str, Any]) -> None:
            rendered = json.dumps(content, sort_keys=True)
            if self._messenger.gone(copy["id"]) or shown.get(copy["id"]) == rendered:
                return
            if await self._messenger.update(copy["chat"], copy["id"], card_message(content)):
                shown[copy["id"]] = rendered

        # Each copy is in its owner's own chat: they are edited at once.
        await asyncio.gather(*(one(c, content) for c, content in zip(copies, cards, strict=True)))


def _copies_key(sitting_id: str) -> str:
    return f"copies:{sitting_id}"


def _copies(doc: dict[str, object]) -> list[dict[str, str]]:
    """The copies recorded in an address document, each with its owner, chat key and message id."""
    found = doc.get("copies")
    if not isinstance(found, list):
        return []
    return [
        {k: str(c[k]) for k in ("aad", "chat", "id")}
        for c in found
        if isinstance(c, dict) and all(isinstance(c.get(k), str) for k in ("aad", "chat", "id"))
    ]
