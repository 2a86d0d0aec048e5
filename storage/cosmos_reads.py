"""What one turn has already read from Cosmos DB, so it is not asked for again in the same turn.

A chair's `next` reads the roster, the agenda's cases and the sitting from several units of work
(the use case, the call, the cards); on Cosmos DB each read is a request, a few milliseconds away.
Inside a turn's scope a document or a small query is read once; the turn's own writes replace what
they wrote (a query over a kind it wrote is asked again), and any failed write forgets everything,
so a retry after someone else saved first reads afresh. Outside a scope nothing is kept: the timer
and the reminder round always read the store as it is."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

MAX_QUERY_ROWS = 500  # a larger answer (e.g. every open case) is not kept
J = TypeVar("J")


def json_copy(value: J) -> J:
    """A copy of a document as Cosmos DB returns it (dicts, lists, strings, numbers, booleans,
    None): several times faster than copy.deepcopy, which pays for cycles and shared objects no
    JSON document has; a turn copies each case it hands out, so that cost was most of an `agenda`."""
    if isinstance(value, dict):
        return cast(J, {key: json_copy(item) for key, item in value.items()})
    if isinstance(value, list):
        return cast(J, [json_copy(item) for item in value])
    return value


@dataclass
class TurnReads:
    """Documents by id (None: known not to exist) and small queries' answers, for one turn."""

    docs: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    queries: dict[str, tuple[str | None, list[dict[str, Any]]]] = field(default_factory=dict)
    asking: dict[str, asyncio.Future[dict[str, Any] | None]] = field(default_factory=dict)

    def doc(self, doc_id: str) -> tuple[bool, dict[str, Any] | None]:
        """Whether the document is known, and a copy of it."""
        if doc_id not in self.docs:
            return False, None
        found = self.docs[doc_id]
        return True, json_copy(found)

    def query(self, key: str) -> list[dict[str, Any]] | None:
        """Copies of a query's rows, if it was asked in this turn and nothing it covers was written."""
        held = self.queries.get(key)
        return json_copy(held[1]) if held is not None else None

    def keep_doc(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        """Remember a document as read."""
        self.docs[doc_id] = json_copy(doc)

    def keep_query(self, key: str, kind: str | None, rows: list[dict[str, Any]]) -> None:
        """Remember a small query's rows (and each row as a document)."""
        if len(rows) > MAX_QUERY_ROWS:
            return
        held = json_copy(rows)  # one copy, shared by the query and its documents: both are
        self.queries[key] = (kind, held)  # only ever handed out as copies
        for row in held:
            if isinstance(row.get("id"), str) and "_etag" in row:
                self.docs[row["id"]] = row

    def wrote(self, operations: list[tuple[Any, ...]], results: list[dict[str, Any]]) -> None:
        """A batch of this turn's succeeded: what it wrote replaces what was read."""
        kinds: set[str | None] = set()
        for operation, result in zip(operations, results, strict=False):
            verb, args = operation[0], operation[1]
            body = result.get("resourceBody") if isinstance(result, dict) else None
            if verb in ("create", "replace", "upsert"):
                doc = args[-1] if isinstance(args[-1], dict) else {}
                doc_id = str(doc.get("id") or args[0])
                kinds.add(doc.get("kind") if isinstance(doc.get("kind"), str) else None)
                if isinstance(body, dict) and body.get("id") == doc_id and body.get("_etag"):
                    self.docs[doc_id] = json_copy(body)
                else:
                    self.docs.pop(doc_id, None)
            else:  # a delete or patch: the kind is not in the operation
                self.docs.pop(str(args[0]), None)
                kinds.add(None)
        if None in kinds:
            self.queries.clear()
            return
        for key in [k for k, (kind, _) in self.queries.items() if kind is None or kind in kinds]:
            del self.queries[key]

    def forget(self) -> None:
        """A write failed (someone else saved first, or the store could not be reached): read afresh."""
        self.docs.clear()
        self.queries.clear()
        self.asking.clear()  # a read begun before the failure is not joined after it


_CURRENT: ContextVar[dict[int, TurnReads] | None] = ContextVar("cosmos_turn_reads", default=None)


def current(store: object) -> TurnReads | None:
    """What the turn running now has read from this store, if the turn has a scope (each store
    object keeps its own: two instances' copies never mix)."""
    scope = _CURRENT.get()
    if scope is None:
        return None
    return scope.setdefault(id(store), TurnReads())


@contextmanager
def turn_reads() -> Iterator[None]:
    """A scope for one turn (tasks started inside it share it)."""
    token = _CURRENT.set({})
    try:
        yield
    finally:
        _CURRENT.reset(token)


def query_key(where: str, parameters: dict[str, Any], order_by: str | None, top: int | None) -> str:
    """One string for a query and its parameters."""
    return json.dumps([where, parameters, order_by, top], sort_keys=True, default=str)
