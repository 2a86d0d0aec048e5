"""`panelbot roster import`, `cases import`, `sitting create`, `agenda add`: as an operator runs them."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from pathlib import Path

import pytest

from cli.demo_data import SOO_ONE, SOO_TWO
from cli.main import main

ROSTER_CSV = """aad_object_id,display_name,roles
00000000-0000-4000-8000-000000000001,Morgan Hale,chair
00000000-0000-4000-8000-000000000002,Priya Okafor,coordinator
00000000-0000-4000-8000-000000000005,Alex Renshaw,soo
00000000-0000-4000-8000-000000000006,Sam Ortega,soo; member
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "panel.db"
    monkeypatch.setenv("STORAGE", f"sqlite:///{path}")
    monkeypatch.setenv("IDENTITY_HASH_KEY", "cli-test-key-0123456789-0123456789")
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert main(["init"]) == 0  # a new installation's database, made once
    return path


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_a_good_roster_file_is_imported(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["roster", "import", write(tmp_path, "roster.csv", ROSTER_CSV)]) == 0
    assert "Imported 4 roster member(s)." in capsys.readouterr().out
    assert count(db, "roster") == 4
    assert main(["roster", "import", write(tmp_path, "roster.csv", ROSTER_CSV)]) == 0  # re-import updates
    assert count(db, "roster") == 4


def test_a_bad_roster_file_is_reported_by_line_and_nothing_is_imported(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = ROSTER_CSV + "not-a-guid,Someone Else,chair\n00000000-0000-4000-8000-000000000009,Robin,wizard\n"
    bad += "00000000-0000-4000-8000-000000000001,Morgan Hale,chair\n"
    assert main(["roster", "import", write(tmp_path, "roster.csv", bad)]) == 2
    err = capsys.readouterr().err
    assert "Nothing was imported" in err
    assert "line 6: column aad_object_id" in err
    assert "line 7: column roles: unknown role" in err
    assert "wizard" not in err and "not-a-guid" not in err  # values are never echoed
    assert count(db, "roster") == 0


def test_a_yaml_roster_reports_the_line_each_bad_record_starts_on(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yaml_text = (
        "- aad_object_id: 00000000-0000-4000-8000-000000000001\n  display_name: Morgan Hale\n  roles: chair\n"
        "- aad_object_id: 00000000-0000-4000-8000-000000000002\n  display_name: Priya Okafor\n"
    )
    assert main(["roster", "import", write(tmp_path, "roster.yaml", yaml_text)]) == 2
    assert "line 4: missing roles" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("roster.txt", "x", "use a .csv, .yaml or .yml file"),
        ("roster.yaml", "key: [unclosed", "not valid YAML"),
        ("roster.yaml", "just: a mapping\n", "must be a list of records"),
        ("roster.csv", "aad_object_id,display_name,roles\n", "has no rows"),
        ("roster.csv", "aad_object_id,display_name,roles\na,b,c,d\n", "more cells than the header"),
    ],
)
def test_invalid_files_get_a_clear_answer(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, says: str
) -> None:
    assert main(["roster", "import", write(tmp_path, name, text)]) == 2
    assert says in capsys.readouterr().err


def test_cases_import_refuses_a_name_column_and_registers_good_files(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["roster", "import", write(tmp_path, "roster.csv", ROSTER_CSV)])
    capsys.readouterr()
    smuggled = (
        "category,referral_route,received,risk,victim_name\n"
        "police_victim,mash,2026-11-01,high,Jordan Blackwood\n"
    )
    assert main(["cases", "import", write(tmp_path, "cases.csv", smuggled)]) == 2
    err = capsys.readouterr().err
    assert "line 2: unknown column(s) victim_name" in err and "Blackwood" not in err
    good = (
        "category,referral_route,received,risk,soo,counter_allegation\n"
        f"police_victim,line_manager,2026-11-01,high,{SOO_ONE.aad_object_id},\n"
        f"police perpetrator,999_101_call,2026-10-12,medium,{SOO_TWO.aad_object_id},yes\n"
    )
    assert main(["cases", "import", write(tmp_path, "cases.csv", good)]) == 0
    out = capsys.readouterr().out
    assert "Registered 2 case(s)." in out and "line 3:" in out and "case conference recommended" in out
    assert count(db, "cases") == 2


def test_a_caseload_comes_in_with_its_facts_each_checked_by_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["roster", "import", write(tmp_path, "roster.csv", ROSTER_CSV)])
    capsys.readouterr()
    header = (
        "category,referral_route,received,risk,"
        + "conduct_matter,criminal_status,right_to_review_told,rank_band\n"
    )
    bad = (
        header
        + "police_victim,mash,2026-11-01,high,yes,ongoing,yes,constable\n"  # Right to Review without NFA
        + "police_victim,mash,2026-11-01,high,maybe,,,\n"
    )
    assert main(["cases", "import", write(tmp_path, "cases.csv", bad)]) == 2
    err = capsys.readouterr().err
    assert "line 2: column facts: The Right to Review applies after no further action" in err
    assert (
        "line 3: column conduct_matter: Recorded as a conduct matter or complaint: not one of the choices"
        in err
    )
    assert count(db, "cases") == 0
    good = header + "police_victim,mash,2026-11-01,high,Pending,No further action,yes,Sergeant to inspector\n"
    assert main(["cases", "import", write(tmp_path, "cases.csv", good)]) == 0
    with sqlite3.connect(db) as conn:
        (doc,) = conn.execute("SELECT doc FROM cases").fetchone()
    assert '"criminal_status":"no_further_action"' in doc and '"rank_band":"sergeant_to_inspector"' in doc


def test_cases_import_checks_the_soo_is_on_the_roster(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["roster", "import", write(tmp_path, "roster.csv", ROSTER_CSV)])
    text = (
        "category,referral_route,received,risk,soo\n"
        "police_victim,mash,2026-11-01,high,00000000-0000-4000-8000-000000000001\n"
    )
    assert main(["cases", "import", write(tmp_path, "cases.csv", text)]) == 2
    assert "line 2: column soo: is not on the roster as a SOO" in capsys.readouterr().err
    assert count(db, "cases") == 0


def test_a_sitting_and_its_agenda_from_the_command_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["roster", "import", write(tmp_path, "roster.csv", ROSTER_CSV)])
    main(
        [
            "cases",
            "import",
            write(
                tmp_path,
                "cases.csv",
                f"category,referral_route,received,risk,soo\npolice_victim,mash,2026-11-01,high,{SOO_ONE.aad_object_id}\n",
            ),
        ]
    )
    reference = capsys.readouterr().out.split("line 2: ")[1].split()[0]
    assert main(["sitting", "create", "--date", "2099-06-01", "--start", "10:00", "--length", "30"]) == 0
    created = capsys.readouterr().out
    assert re.search(
        r"Created sitting 2099-06-01-[A-Z2-9]{8}: Monday 01 June 2099, 10:00 to 10:30 \(London\)", created
    )
    assert main(["agenda", "add", "2099-06-01", reference.lower(), "--kind", "45"]) == 0
    out = capsys.readouterr().out
    assert f"10:00-10:45  {reference}  custom   45 min  waiting" in out
    assert "runs 15 minutes past the sitting's end" in out
    assert main(["agenda", "add", "2099-06-01", reference, "--kind", "update"]) == 2
    assert "already on this agenda" in capsys.readouterr().err
    assert main(["agenda", "add", "2099-06-01", reference, "--kind", "huge"]) == 2


def test_bad_settings_stop_the_command_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STORAGE", "mysql://nope")
    assert main(["agenda", "show", "2099-06-01"]) == 2
    assert "STORAGE must be sqlite" in capsys.readouterr().err


def test_the_outputs_and_the_case_facts_on_the_server(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["roster", "import", write(tmp_path, "roster.csv", ROSTER_CSV)])
    good = (
        "category,referral_route,received,risk,criminal_status\npolice_victim,mash,2026-08-03,high,ongoing\n"
    )
    main(["cases", "import", write(tmp_path, "cases.csv", good)])
    capsys.readouterr()
    assert main(["report", "--from", "2026-07-01", "--to", "2026-09-30"]) == 0
    out = capsys.readouterr().out
    assert "Outputs for 1 Jul 2026 to 30 Sep 2026" in out and "Cases referred: 1 (0)" in out
    figures, facts = tmp_path / "outputs.csv", tmp_path / "facts.csv"
    args = ["report", "--from", "2026-07-01", "--to", "2026-09-30", "--csv", str(figures)]
    assert main([*args, "--facts-csv", str(facts)]) == 0
    assert "outputs,Cases referred,hidden,0" in figures.read_text()  # one case: hidden when handed on
    rows = list(csv.DictReader(io.StringIO(facts.read_text())))
    assert len(rows) == 1 and rows[0]["Criminal investigation"] == "Ongoing"
    assert main(["report", "--from", "1 July"]) == 2
    assert "--from and --to are YYYY-MM-DD" in capsys.readouterr().err


def test_a_caseload_comes_in_with_its_risk_and_safeguarding_kept_as_imported(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["roster", "import", write(tmp_path, "roster.csv", ROSTER_CSV)])
    capsys.readouterr()
    header = (
        "category,referral_route,received,risk,risk_level,risk_assessed_on,risk_assessed_by,marac_referred\n"
    )
    bad = header + "police_victim,mash,2026-11-01,high,medium,2026-13-01,mash,\n"
    assert main(["cases", "import", write(tmp_path, "cases.csv", bad)]) == 2
    assert (
        "line 2: column risk_assessed_on: Risk last assessed on: give a date as YYYY-MM-DD"
        in capsys.readouterr().err
    )
    good = header + "police_victim,mash,2026-11-01,high,medium,2026-11-20,MASH,2026-11-02\n"
    assert main(["cases", "import", write(tmp_path, "cases.csv", good)]) == 0
    with sqlite3.connect(db) as conn:
        (doc,) = conn.execute("SELECT doc FROM cases").fetchone()
    assert '"risk_level":"medium"' in doc and '"marac_referred":"2026-11-02"' in doc
    assert '"by":"import"' in doc  # each change kept with the role that recorded it
