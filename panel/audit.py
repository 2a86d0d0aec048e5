"""The audit trail's vocabulary and its seal: what kind of processing each entry records, why, and
a keyed hash chain that makes any change, removal, insertion or reordering of entries evident.

A breach of confidentiality is investigated as possible misconduct, and UK law-enforcement
processing must log collection, alteration, consultation, disclosure, combination and erasure with
who, when and (as far as possible) to whom. Entries carry ids, categories and purposes, never text
a user typed, never a party's name or its hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

GENESIS = "0" * 64  # the "previous hash" of the first entry
CHECKPOINT_EVERY = 1000  # an anchor every so many entries, so verifying can start from one


@dataclass(frozen=True)
class RetentionPolicy:
    """How long the force keeps closed cases and the audit trail before they are erased."""

    closed_case_years: int = 6  # a common policing minimum before review
    audit_years: int = 7


class AuditCategory(StrEnum):
    """The kinds of processing the law asks to be logged."""

    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"


class AuditPurpose(StrEnum):
    """Why the access happened, worked out from its context (never typed by anyone)."""

    LIVE_SITTING = "live sitting"
    OWN_CASE = "own case"
    CASE_MANAGEMENT = "coordinator review"
    PANEL_OVERSIGHT = "panel oversight"
    PROFESSIONAL_STANDARDS = "professional standards"
    AGENDA = "agenda"
    REPORT = "report"
    REMINDER = "reminder"
    NOTICE = "notice"
    DECLARED_CONFLICT = "declared conflict"
    BREACH_REVIEW = "breach review"
    RETENTION = "retention"
    ADMINISTRATION = "administration"


# Changes that bring personal data in; everything else that changes a record alters it.
_COLLECTING = frozenset({"case.registered", "case.party_names_registered", "roster.member_saved"})


def category_of(event: str) -> AuditCategory:
    """The category of a change, from its event name."""
    if event in _COLLECTING:
        return AuditCategory.COLLECTION
    if event.endswith(".erased"):
        return AuditCategory.ERASURE
    if event.endswith(".linked"):
        return AuditCategory.COMBINATION
    return AuditCategory.ALTERATION


@dataclass(frozen=True)
class Sealed:
    """An entry's place in the chain: its number, the seal of the one before, its own seal."""

    seq: int
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Anchor:
    """A point the chain can be verified from: every CHECKPOINT_EVERY entries, and where old
    entries were erased by the retention policy (the anchor keeps the last erased entry's seal)."""

    seq: int
    hash: str
    at: datetime
    reason: str  # "checkpoint" or "erasure"
    seal: str


def chain_key(identity_key: bytes) -> bytes:
    """The key that seals the audit chain, derived from the deployment's secret: without it nobody
    can make a seal that verifies, so a forged or edited entry shows."""
    return hmac.new(identity_key, b"audit-chain-v1", hashlib.sha256).digest()


def entry_seal(key: bytes, seq: int, prev_hash: str, fields: dict[str, str]) -> str:
    """The seal of one entry: its number, the seal before it, and every field it records."""
    body = json.dumps({"seq": seq, "prev": prev_hash, **fields}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def anchor_seal(key: bytes, seq: int, entry_hash: str, at: datetime, reason: str) -> str:
    """The seal of an anchor, so that nobody without the key can claim entries were erased."""
    body = f"anchor|{seq}|{entry_hash}|{at.astimezone(UTC).isoformat()}|{reason}"
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Witness:
    """How far the trail reached at a moment, sealed with the audit key, and kept where whoever can
    edit the database cannot rewrite it (the operations log stream, a file of the force's
    choosing, the information-security officer's own copy): a hash chain proves the order of what
    is there, a witness proves how much there was."""

    seq: int
    hash: str
    at: datetime
    seal: str

    def line(self) -> str:
        """The witness as one line of JSON, to keep."""
        at = self.at.astimezone(UTC).isoformat()
        return json.dumps({"witness": {"seq": self.seq, "hash": self.hash, "at": at, "seal": self.seal}})


def witness_seal(key: bytes, seq: int, entry_hash: str, at: datetime) -> str:
    """The seal of a witness, so that nobody without the key can make one up."""
    body = f"witness|{seq}|{entry_hash}|{at.astimezone(UTC).isoformat()}"
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def witness(key: bytes, seq: int, entry_hash: str, at: datetime) -> Witness:
    """A sealed witness of the trail's head."""
    return Witness(seq, entry_hash, at, witness_seal(key, seq, entry_hash, at))


def read_witnesses(text: str) -> list[Witness]:
    """Witnesses from lines of JSON (or log lines holding one); lines that hold none are skipped."""
    found = []
    for line in text.splitlines():
        start = line.find('{"witness"')
        if start < 0:
            continue
        try:
            raw = json.loads(line[start:])["witness"]
            found.append(
                Witness(
                    int(raw["seq"]), str(raw["hash"]), datetime.fromisoformat(raw["at"]), str(raw["seal"])
                )
            )
        except (ValueError, KeyError, TypeError):
            continue
    return found


@dataclass(frozen=True)
class ChainEntry:
    """An entry as verification reads it: its seal, and the fields the seal covers."""

    sealed: Sealed
    fields: dict[str, str]


@dataclass(frozen=True)
class ChainReport:
    """What verifying found: intact, or the first entry that is not as it was written, and how."""

    intact: bool
    checked: int
    first_bad: int | None = None
    problem: str = ""
    erased_before: int = 0  # entries before this one were erased by policy, under a sealed anchor


MOVE_WINDOW = 50  # how far either side a moved entry is looked for


def _sealed_at(key: bytes, entry: ChainEntry, seq: int) -> bool:
    """Whether the entry's seal is genuine for this place in the chain."""
    return hmac.compare_digest(entry.sealed.hash, entry_seal(key, seq, entry.sealed.prev_hash, entry.fields))


def _what_happened(key: bytes, ordered: list[ChainEntry], index: int, previous: str) -> str:
    """Why the entry at `index` does not match its seal: moved among its neighbours, renumbered
    after a removal or an insertion, forged into the trail, or changed in place."""
    entry = ordered[index]
    seq = entry.sealed.seq
    following = ordered[index + 1] if index + 1 < len(ordered) else None
    later = {e.sealed.hash for e in ordered[index + 1 : index + 1 + MOVE_WINDOW]}
    original = next(
        (
            other
            for other in range(max(1, seq - MOVE_WINDOW), seq + MOVE_WINDOW)
            if _sealed_at(key, entry, other)
        ),
        None,
    )
    if original is not None and entry.sealed.prev_hash in later:
        return f"entry {seq} was moved: the entries around it were reordered"
    if original is not None and original > seq:
        return f"entry {seq} is missing: it was removed and the entries after it renumbered"
    if original is not None:
        return f"an entry was inserted before entry {seq}: the ones after it were renumbered"
    if following is not None and following.sealed.prev_hash == previous:
        return f"entry {seq} was inserted: the trail runs on without it"
    return f"entry {seq} was changed: it no longer matches its seal"


def verify_chain(
    key: bytes, entries: Iterable[ChainEntry], anchors: Iterable[Anchor], witnesses: Iterable[Witness] = ()
) -> ChainReport:
    """Walk the chain in order and name the first entry that was changed, removed, inserted or
    moved; entries before an erasure anchor may be absent (retention), but only there. Then hold it
    to every witness: shorter than one saw it, or different where one saw it, is not intact."""
    ordered = list(entries)
    report = _walk(key, ordered, anchors)
    if not report.intact:
        return report
    return _against_witnesses(key, ordered, witnesses, report)


def _against_witnesses(
    key: bytes, ordered: list[ChainEntry], witnesses: Iterable[Witness], report: ChainReport
) -> ChainReport:
    hashes = {e.sealed.seq: e.sealed.hash for e in ordered}
    last = ordered[-1].sealed.seq if ordered else max(report.erased_before - 1, 0)
    for seen in sorted(witnesses, key=lambda w: w.seq, reverse=True):
        if not hmac.compare_digest(seen.seal, witness_seal(key, seen.seq, seen.hash, seen.at)):
            return ChainReport(
                False, report.checked, seen.seq, f"the witness of entry {seen.seq} is not genuine"
            )
        when = f"{seen.at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        if seen.seq > last:
            missing = seen.seq - last
            return ChainReport(
                False,
                report.checked,
                last + 1,
                # "At least": entries written since the removal (a verification records itself)
                # take the removed ones' numbers, and no witness can tell them apart.
                f"at least {missing} entr{'y is' if missing == 1 else 'ies are'} missing from the end: "
                f"the trail ends at entry {last}, but on {when} it reached entry {seen.seq}",
            )
        if seen.seq in hashes and not hmac.compare_digest(hashes[seen.seq], seen.hash):
            return ChainReport(
                False, report.checked, seen.seq, f"entry {seen.seq} is not the one a witness saw on {when}"
            )
    return report


def _walk(key: bytes, entries: Iterable[ChainEntry], anchors: Iterable[Anchor]) -> ChainReport:
    """The chain itself: its anchors, its order and every seal."""
    anchor_list = sorted(anchors, key=lambda a: a.seq)
    for anchor in anchor_list:
        if not hmac.compare_digest(
            anchor.seal, anchor_seal(key, anchor.seq, anchor.hash, anchor.at, anchor.reason)
        ):
            return ChainReport(False, 0, anchor.seq, f"the anchor at entry {anchor.seq} is not genuine")
    by_seq = {a.seq: a for a in anchor_list}
    ordered = list(entries)
    if not ordered:
        return ChainReport(True, 0)
    start = ordered[0].sealed.seq
    if start == 1:
        expected_seq, previous = 1, GENESIS
        erased_before = 0
    else:
        erased = by_seq.get(start - 1)
        if erased is None or erased.reason != "erasure":
            return ChainReport(
                False, 0, 1, f"entries 1 to {start - 1} are missing: removed without an erasure record"
            )
        expected_seq, previous = start, erased.hash
        erased_before = start
    for index, entry in enumerate(ordered):
        seq = entry.sealed.seq
        if seq < expected_seq:
            return ChainReport(False, index, seq, f"entry {seq} appears twice: an entry was inserted")
        if seq > expected_seq:
            return ChainReport(False, index, expected_seq, f"entry {expected_seq} is missing: it was removed")
        if not _sealed_at(key, entry, seq):
            return ChainReport(False, index, seq, _what_happened(key, ordered, index, previous))
        if entry.sealed.prev_hash != previous:
            return ChainReport(
                False, index, seq, f"entry {seq} was moved: the entries before it were reordered"
            )
        checkpoint = by_seq.get(seq)
        if checkpoint is not None and checkpoint.hash != entry.sealed.hash:
            return ChainReport(False, index, seq, f"entry {seq} does not match its checkpoint")
        previous, expected_seq = entry.sealed.hash, seq + 1
    return ChainReport(True, len(ordered), erased_before=erased_before)
