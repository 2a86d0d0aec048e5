"""Turns the domain's dataclasses into JSON-ready dicts and back, driven by their type hints.

One codec for every backend, so SQLite and Cosmos DB store the same document shape.
"""

from __future__ import annotations

import dataclasses
import gc
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def to_document(obj: Any) -> Any:
    """A dataclass (or value inside one) as plain JSON types."""
    cls: Any = type(obj)
    if cls in _PLAIN:
        return obj
    names = _field_names(cls)
    if names is not None:
        # A field left at a None default is not written: a case carries seventy facts, most of
        # them unrecorded, and every stored and read byte of them is paid for on each report.
        unset = _none_by_default(cls)
        return {
            name: to_document(value)
            for name in names
            if (value := getattr(obj, name)) is not None or name not in unset
        }
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date | time):
        return obj.isoformat()
    if isinstance(obj, list | tuple):
        return [to_document(v) for v in obj]
    if isinstance(obj, frozenset | set):
        return sorted(to_document(v) for v in obj)
    if isinstance(obj, dict):
        return {str(k): to_document(v) for k, v in obj.items()}
    return obj


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names, looked up once per class (None for anything else)."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


@cache
def _none_by_default(cls: type) -> frozenset[str]:
    """The fields of a dataclass whose default is None: left out of its document when None."""
    return frozenset(f.name for f in dataclasses.fields(cls) if f.default is None)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Decode a batch without the cycle collector running: a batch of thousands of records makes
    hundreds of thousands of new objects, none in a cycle, and each collection pass would walk
    them all again (a third of the time of a large read)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def from_document(cls: type[T], doc: Any) -> T:
    """Rebuild a dataclass of type `cls` from a document made by `to_document`."""
    return typing.cast(T, _decoder(typing.cast(Any, cls))(doc))


Decoder = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


@cache
def _decoder(tp: Any) -> Decoder:
    """A function that decodes values of type `tp`, worked out from the type hints once per type:
    whole histories are decoded at a time, so nothing is re-inspected per value."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        decode = _decoder(inner)
        if decode is _same:
            return _same
        return lambda v: None if v is None else decode(v)
    if origin is list:
        decode = _decoder(typing.get_args(tp)[0])
        return list if decode is _same else lambda v: [decode(x) for x in v]
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            decode = _decoder(args[0])
            return lambda v: tuple(decode(x) for x in v)
        decoders = [_decoder(a) for a in args]
        return lambda v: tuple(d(x) for d, x in zip(decoders, v, strict=True))
    if origin is frozenset:
        decode = _decoder(typing.get_args(tp)[0])
        return lambda v: frozenset(decode(x) for x in v)
    if origin is dict:
        decode = _decoder(typing.get_args(tp)[1])
        return lambda v: {k: decode(x) for k, x in v.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum_decoder(tp)
    if tp is datetime:
        return datetime.fromisoformat
    if tp is date:
        return date.fromisoformat
    if tp is time:
        return time.fromisoformat
    return _same


def _shareable(cls: type) -> bool:
    """Whether one all-defaults instance may stand for every one: frozen, and no field whose default
    is made afresh (a list could be changed in place through one and seen through all)."""
    params = getattr(cls, "__dataclass_params__", None)
    fields = dataclasses.fields(cls)
    return bool(
        params is not None
        and params.frozen
        and all(f.default is not dataclasses.MISSING and f.init for f in fields)
    )


def _enum_decoder(kind: type[Enum]) -> Decoder:
    """A member by its stored value: a dictionary lookup, where calling the enum costs five times
    as much; a value not found goes to the enum itself, which says why it is wrong."""
    members = {m.value: m for m in kind}

    def decode(value: Any) -> Any:
        member = members.get(value) if isinstance(value, str | int) else None
        return member if member is not None else kind(value)

    return decode


def _dataclass_decoder(cls: type) -> Decoder:
    plain: set[str] = set()  # fields stored as they are (text, numbers, flags)
    decoded: dict[str, Decoder] = {}
    resolved = False

    empty: list[Any] = []  # the one instance an empty document makes, where that is safe to share

    def decode(value: Any) -> Any:
        nonlocal resolved
        if not resolved:  # worked out on first use, so a type may refer to itself
            hints = typing.get_type_hints(cls)
            for f in dataclasses.fields(cls):
                d = _decoder(hints[f.name])
                if d is _same:
                    plain.add(f.name)
                else:
                    decoded[f.name] = d
            if _shareable(cls):
                empty.append(cls())
            resolved = True
        if not value and empty:
            return empty[0]
        # By what is stored (a field not written takes its default; an unknown one is dropped).
        kwargs = {}
        for name, stored in value.items():
            if name in plain:
                kwargs[name] = stored
            elif (decoder := decoded.get(name)) is not None:
                kwargs[name] = decoder(stored)
        return cls(**kwargs)

    return decode
