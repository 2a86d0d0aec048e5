"""What the audit trail's verification must catch beyond a changed entry: entries removed from
the end (a hash chain alone proves order, not length; a witness kept elsewhere proves length), a
trail that forked after a witness saw it, a made-up witness, an entry spliced in from another
trail, a forged erasure anchor, and an entry that no longer matches its checkpoint."""

from __future__ import annotations

from datetime import UTC, datetime

from panel.audit import (
    GENESIS,
    Anchor,
    ChainEntry,
    Sealed,
    anchor_seal,
    entry_seal,
    read_witnesses,
    verify_chain,
    witness,
)

KEY = b"k" * 32
AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def chain(n: int, label: str = "a", start: int = 1, previous: str = GENESIS) -> list[ChainEntry]:
    """n validly sealed entries from `start`, each holding a made-up field."""
    entries = []
    for seq in range(start, start + n):
        fields = {"event": "case.viewed", "detail": f"{label}{seq}"}
        sealed = Sealed(seq, previous, entry_seal(KEY, seq, previous, fields))
        entries.append(ChainEntry(sealed, fields))
        previous = sealed.hash
    return entries


def test_a_witness_finds_entries_removed_from_the_end() -> None:
    full = chain(8)
    seen = witness(KEY, 8, full[-1].sealed.hash, AT)
    for kept in (7, 3, 0):  # the last entry, the last five, every entry
        plain = verify_chain(KEY, full[:kept], [])
        assert plain.intact  # the chain alone cannot tell: this is what the witness is for
        report = verify_chain(KEY, full[:kept], [], [seen])
        missing = 8 - kept
        assert not report.intact
        assert f"{missing} entr{'y is' if missing == 1 else 'ies are'} missing from the end" in report.problem
        assert f"ends at entry {kept}" in report.problem and "2026-12-07 10:00 UTC" in report.problem
    assert verify_chain(KEY, full, [], [seen]).intact


def test_a_trail_rewritten_after_a_witness_saw_it_is_caught() -> None:
    original = chain(6)
    seen = witness(KEY, 6, original[-1].sealed.hash, AT)
    # Whoever holds the key re-seals a different history of the same length.
    rewritten = original[:3] + chain(3, label="b", start=4, previous=original[2].sealed.hash)
    assert verify_chain(KEY, rewritten, []).intact
    report = verify_chain(KEY, rewritten, [], [seen])
    assert not report.intact and "entry 6 is not the one a witness saw" in report.problem


def test_a_made_up_witness_is_not_taken_on_trust() -> None:
    full = chain(4)
    forged = witness(b"x" * 32, 9, "0" * 64, AT)
    report = verify_chain(KEY, full, [], [forged])
    assert not report.intact and "not genuine" in report.problem


def test_an_entry_spliced_in_from_another_trail_is_caught() -> None:
    ours, theirs = chain(5), chain(5, label="other")
    # Entry 3 of another trail sealed with the same key: its seal is genuine for its own place.
    spliced = ours[:2] + [theirs[2]] + ours[3:]
    report = verify_chain(KEY, spliced, [])
    assert not report.intact and report.first_bad == 3


def test_a_forged_erasure_anchor_does_not_cover_a_deleted_start() -> None:
    full = chain(6)
    kept = full[3:]  # entries 1-3 deleted
    fake = Anchor(3, full[2].sealed.hash, AT, "erasure", "f" * 64)
    report = verify_chain(KEY, kept, [fake])
    assert not report.intact and "anchor at entry 3 is not genuine" in report.problem
    genuine = Anchor(
        3, full[2].sealed.hash, AT, "erasure", anchor_seal(KEY, 3, full[2].sealed.hash, AT, "erasure")
    )
    assert verify_chain(KEY, kept, [genuine]).intact


def test_an_entry_that_no_longer_matches_its_checkpoint_is_caught() -> None:
    full = chain(5)
    checkpoint = Anchor(
        5, full[4].sealed.hash, AT, "checkpoint", anchor_seal(KEY, 5, full[4].sealed.hash, AT, "checkpoint")
    )
    # The last entry replaced by one sealed with the key, in its right place after entry 4.
    replaced = full[:4] + chain(1, label="b", start=5, previous=full[3].sealed.hash)
    assert verify_chain(KEY, replaced, []).intact
    report = verify_chain(KEY, replaced, [checkpoint])
    assert not report.intact and "entry 5 does not match its checkpoint" in report.problem


def test_witnesses_are_read_from_their_own_lines_and_from_log_lines() -> None:
    seen = witness(KEY, 12, "a" * 64, AT)
    lines = [seen.line(), f"2026-12-07 10:00:00 INFO bot.audit_witness audit.witness {seen.line()}"]
    text = "\n".join([*lines, "other", '{"witness": 1}'])
    assert read_witnesses(text) == [seen, seen]
