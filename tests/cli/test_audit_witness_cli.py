"""`panelbot audit checkpoint` and `audit verify --checkpoint`, as the information-security officer
runs them: a witness kept outside the database finds entries deleted from the end of the trail,
which the chain alone cannot; and every verification leaves a witness in the force's file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cli.main import main

ROSTER = """aad_object_id,display_name,roles
00000000-0000-4000-8000-000000000001,Morgan Hale,chair
00000000-0000-4000-8000-000000000002,Priya Okafor,coordinator
"""


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "panel" / "panel.db"
    monkeypatch.setenv("STORAGE", f"sqlite:///{db}")
    monkeypatch.setenv("IDENTITY_HASH_KEY", "witness-test-key-0123456789-0123456789")
    monkeypatch.setenv("AUDIT_WITNESS_FILE", str(tmp_path / "witnesses.jsonl"))
    assert main(["init"]) == 0
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    for _ in range(3):  # each import is recorded in the trail
        assert main(["roster", "import", str(roster)]) == 0
    return db


def test_a_kept_checkpoint_catches_entries_deleted_from_the_end(
    installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["audit", "checkpoint"]) == 0
    kept = tmp_path / "kept-by-infosec.jsonl"
    kept.write_text(capsys.readouterr().out, encoding="utf-8")
    assert '{"witness": {"seq": ' in kept.read_text(encoding="utf-8")
    # Someone with the file drops the no-delete trigger and removes the newest entries.
    with sqlite3.connect(installed) as conn:
        conn.execute("DROP TRIGGER audit_no_delete")
        top = conn.execute("SELECT MAX(chain_seq) FROM audit").fetchone()[0]
        conn.execute("DELETE FROM audit WHERE chain_seq > ?", (top - 2,))
    (tmp_path / "witnesses.jsonl").unlink()  # and the force's witness file too
    assert main(["audit", "verify", "--checkpoint", str(kept)]) == 1
    err = capsys.readouterr().err
    assert "NOT intact" in err and "at least 2 entries are missing from the end" in err


def test_each_verification_leaves_a_witness_that_later_ones_are_held_to(
    installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify"]) == 0
    witnesses = (tmp_path / "witnesses.jsonl").read_text(encoding="utf-8")
    assert witnesses.count('{"witness"') == 1  # the verification's own
    with sqlite3.connect(installed) as conn:
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DELETE FROM audit WHERE chain_seq = (SELECT MAX(chain_seq) FROM audit)")
    capsys.readouterr()
    assert main(["audit", "verify"]) == 1  # held to the force's witness file without being asked
    assert "missing from the end" in capsys.readouterr().err


def test_an_unreadable_checkpoint_file_stops_with_one_line(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify", "--checkpoint", "/nonexistent/witnesses.jsonl"]) == 2
    err = capsys.readouterr().err
    assert "could not be read" in err and "Traceback" not in err
