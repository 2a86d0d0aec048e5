"""Build panel/data/confusables.txt.gz: every character that Unicode's confusables data says looks
like one plain Latin letter or digit, with that letter ("а" Cyrillic -> "a", "Ο" Greek -> "O").

Source: the confusables.json that the PyPI package confusable-homoglyphs 3.3.1 (MIT licence) ships,
itself generated from Unicode's confusables.txt (Unicode License v3). Run:

    python tools/build_confusables.py --json .../confusable_homoglyphs/confusables.json --out panel/data
"""

from __future__ import annotations

import argparse
import gzip
import json
import unicodedata
from pathlib import Path

PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def skeletons(table: dict[str, list[dict[str, str]]]) -> dict[str, str]:
    """Each non-ASCII character that looks like exactly one plain letter or digit, with it; where
    it looks like several (l, I, 1), a letter of its own case first."""
    found: dict[str, str] = {}
    for char, glyphs in table.items():
        if len(char) != 1 or char.isascii() or not (char.isalpha() or char.isdigit()):
            continue
        plain = sorted({g["c"] for g in glyphs if g.get("c") in PLAIN})
        if not plain:
            continue
        upper = unicodedata.name(char, "").find("CAPITAL") >= 0 or char.isupper()
        letters = (
            [p for p in plain if p.isalpha() and p.isupper() == upper]
            or [p for p in plain if p.isalpha()]
            or plain
        )
        found[char] = letters[0]
    return found


def main() -> None:
    """Write the table, one `HEX<TAB>letter` a line, sorted, gzipped with a fixed timestamp."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    table = skeletons(json.loads(args.json.read_text(encoding="utf-8")))
    lines = "".join(f"{ord(c):X}\t{p}\n" for c, p in sorted(table.items(), key=lambda kv: ord(kv[0])))
    target = args.out / "confusables.txt.gz"
    with target.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(lines.encode("ascii"))
    print(f"{len(table)} characters that look like a plain letter or digit")


if __name__ == "__main__":
    main()
