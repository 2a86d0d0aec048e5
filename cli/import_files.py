"""Reading roster and case files (CSV or YAML): every row validated, every problem reported with its
line number, and nothing imported unless every row is good. Values are never echoed back: a column
filled by mistake could hold a name."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from panel.case import CaseConferenceFlags, Category, ReferralRoute, RiskLevel
from panel.case_facts import FACT_NAMES, FactRecord, parse_fact
from panel.errors import ValidationFailed
from panel.reference import parse_reference
from panel.roster import RosterMember, normalise_aad_object_id, parse_roles
from panel.usecases.cases import CaseRegistration

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
MAX_FILE_BYTES = 2_000_000
ROSTER_COLUMNS = {
    "aad_object_id": True,
    "display_name": True,
    "roles": True,
    "active": False,
    "agency": False,
}
FLAG_COLUMNS = (
    "both_parties_police",
    "counter_allegation",
    "serial_or_multiple_victims",
    "position_of_power",
)
# The facts the panel scrutinises, every one an optional column named as the form names it, read
# as the form reads it (a choice's code or words, yes/no, a date as YYYY-MM-DD).
FACT_COLUMNS = FACT_NAMES
CASE_COLUMNS = {
    "category": True,
    "referral_route": True,
    "received": True,
    "risk": True,
    "soo": False,
    "reference": False,
    **{flag: False for flag in FLAG_COLUMNS},
    **{fact: False for fact in FACT_COLUMNS},
}


class ImportFailed(Exception):
    """The file cannot be imported; `problems` lists each one with its line number."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    """One record of the file and the line it starts on."""

    line: int
    values: Mapping[str, Any]


def read_rows(path: Path) -> list[Row]:
    """Rows of a .csv, .yaml or .yml file, with the line each starts on."""
    if not path.is_file():
        raise ImportFailed([f"{path}: no such file"])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFailed([f"{path}: larger than {MAX_FILE_BYTES // 1_000_000} MB"])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([f"{path}: not UTF-8 text"]) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(text)
    if suffix in {".yaml", ".yml"}:
        return _yaml_rows(text)
    raise ImportFailed([f"{path}: use a .csv, .yaml or .yml file"])


def roster_from(rows: list[Row]) -> list[RosterMember]:
    """Roster members from rows, or ImportFailed listing every bad row."""

    def build(row: Row, cell: Callable[[str], str]) -> RosterMember:
        return RosterMember(
            aad_object_id=_field("aad_object_id", lambda: normalise_aad_object_id(cell("aad_object_id"))),
            display_name=_field("display_name", lambda: _display_name(cell("display_name"))),
            roles=_field("roles", lambda: parse_roles(cell("roles"))),
            active=_field("active", lambda: _boolean(cell("active"), default=True)),
            agency=_field("agency", lambda: _optional(cell("agency"), _display_name)),
        )

    members = _build_all(rows, ROSTER_COLUMNS, build)
    _no_duplicates(rows, [m.aad_object_id for m in members], "aad_object_id")
    return members


def cases_from(rows: list[Row], roster_ids: set[str]) -> list[CaseRegistration]:
    """Case registrations from rows, or ImportFailed listing every bad row."""

    def build(row: Row, cell: Callable[[str], str]) -> CaseRegistration:
        soo = _field("soo", lambda: _optional(cell("soo"), normalise_aad_object_id))
        if soo is not None and soo not in roster_ids:
            raise _Problem("soo", "is not on the roster as a SOO")
        return CaseRegistration(
            category=_field("category", lambda: _enum(Category, cell("category"))),
            referral_route=_field("referral_route", lambda: _enum(ReferralRoute, cell("referral_route"))),
            received=_field("received", lambda: _date(cell("received"))),
            risk=_field("risk", lambda: _enum(RiskLevel, cell("risk"))),
            flags=CaseConferenceFlags(
                **{f: _field(f, lambda f=f: _boolean(cell(f), default=False)) for f in FLAG_COLUMNS}  # type: ignore[misc]
            ),
            soo_id=soo,
            reference=_field("reference", lambda: _optional(cell("reference"), parse_reference)),
            facts=_facts(row, cell),
        )

    forms = _build_all(rows, CASE_COLUMNS, build)
    _no_duplicates(rows, [f.reference for f in forms], "reference")
    return forms


def _facts(row: Row, cell: Callable[[str], str]) -> tuple[tuple[str, object], ...]:
    """The row's case facts, each read like the form reads it, then checked together (a Right to
    Review needs no further action first; support accepted needs support offered)."""
    facts = tuple(
        (fact, value)
        for fact in FACT_COLUMNS
        if (value := _field(fact, lambda fact=fact: parse_fact(fact, cell(fact)))) is not None  # type: ignore[misc]
    )
    _field("facts", lambda: FactRecord().apply(dict(facts), date.min))
    return facts


class _Problem(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"column {column}: {message}")


def _field(column: str, read: Callable[[], T]) -> T:
    try:
        return read()
    except ValidationFailed as error:
        raise _Problem(column, error.message) from None
    except (ValueError, TypeError):
        raise _Problem(column, "not a valid value") from None


def _build_all(
    rows: list[Row], columns: Mapping[str, bool], build: Callable[[Row, Callable[[str], str]], T]
) -> list[T]:
    problems: list[str] = []
    built: list[T] = []
    if not rows:
        raise ImportFailed(["the file has no rows"])
    for row in rows:
        unknown = sorted(set(row.values) - set(columns))
        if unknown:
            # Unknown columns are refused outright: a file must never smuggle in a name column.
            problems.append(f"line {row.line}: unknown column(s) {', '.join(unknown)}")
            continue
        missing = [c for c, required in columns.items() if required and not _text(row.values.get(c))]
        if missing:
            problems.append(f"line {row.line}: missing {', '.join(missing)}")
            continue
        try:
            built.append(build(row, lambda column, row=row: _text(row.values.get(column))))  # type: ignore[misc]
        except _Problem as problem:
            problems.append(f"line {row.line}: {problem}")
    if problems:
        raise ImportFailed(problems)
    return built


def _no_duplicates(rows: list[Row], keys: list[str | None], column: str) -> None:
    seen: dict[str, int] = {}
    problems = []
    for row, key in zip(rows, keys, strict=True):
        if key is None:
            continue
        if key in seen:
            problems.append(f"line {row.line}: column {column}: repeats line {seen[key]}")
        seen.setdefault(key, row.line)
    if problems:
        raise ImportFailed(problems)


def _csv_rows(text: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    try:
        for record in reader:
            if None in record:
                raise ImportFailed([f"line {reader.line_num}: more cells than the header has columns"])
            values = {(k or "").strip().lower(): v for k, v in record.items()}
            if any(_text(v) for v in values.values()):
                rows.append(Row(reader.line_num, values))
    except csv.Error:
        raise ImportFailed([f"line {reader.line_num}: not valid CSV"]) from None
    return rows


def _yaml_rows(text: str) -> list[Row]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise ImportFailed([f"line {node.start_mark.line + 1}: the file must be a list of records"])
        rows = []
        for item in node.value:
            line = item.start_mark.line + 1
            value = loader.construct_object(item, deep=True)
            if not isinstance(value, dict):
                raise ImportFailed([f"line {line}: each record must be a mapping of column: value"])
            rows.append(Row(line, {str(k).strip().lower(): v for k, v in value.items()}))
        return rows
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "the file"
        raise ImportFailed([f"{where}: not valid YAML"]) from None
    finally:
        loader.dispose()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _enum(kind: type[E], text: str) -> E:
    normal = text.strip().lower().replace(" ", "_").replace("-", "_")
    for member in kind:
        if member.value == normal or member.name.lower() == normal:
            return member
    raise ValidationFailed("expected one of " + ", ".join(m.value for m in kind))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed("a date is written YYYY-MM-DD") from None


def _boolean(text: str, *, default: bool) -> bool:
    if not text:
        return default
    normal = text.lower()
    if normal in {"true", "yes", "y", "1"}:
        return True
    if normal in {"false", "no", "n", "0"}:
        return False
    raise ValidationFailed("expected true or false")


def _optional(text: str, parse: Callable[[str], T]) -> T | None:
    return parse(text) if text else None


def _display_name(text: str) -> str:
    if len(text) > 80:
        raise ValidationFailed("longer than 80 characters")
    return text
