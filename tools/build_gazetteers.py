"""Rebuild the identity guard's name lists in panel/data from their published sources.

Not run by the product or its tests: the lists are committed. This script records exactly how they
were made, so that anyone can check them against the sources (see panel/data/README.md).

    python tools/build_gazetteers.py --census names-0.3.0/names --faker faker-40.63.0/faker \
        --words /usr/share/dict/british-english --out panel/data
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

_LETTERS = re.compile(r"^[a-z]{2,24}$")


def fold(name: str) -> str:
    """The guard's normal form: no accents, lower case, no apostrophes, hyphens or spaces."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if c.isalpha() and not unicodedata.combining(c))


def census(path: Path, filename: str) -> set[str]:
    """Names from a US Census 1990 frequency file (public domain): the first column."""
    lines = (path / filename).read_text(encoding="ascii").splitlines()
    return {fold(line.split()[0]) for line in lines if line.strip()}


def faker_names(faker_root: Path, prefix: str) -> set[str]:
    """Names from every one of Faker's person providers (MIT licence). England and Wales are home
    to people from everywhere; names in other scripts drop out in clean(), which keeps letters a-z."""
    sys.path.insert(0, str(faker_root.parent))
    found: set[str] = set()
    locales = sorted(p.name for p in (faker_root / "providers" / "person").iterdir() if p.is_dir())
    for locale in locales:
        module = importlib.import_module(f"faker.providers.person.{locale}")
        for attribute in dir(module.Provider):
            values = getattr(module.Provider, attribute)
            # first_names, first_names_female, last_names_male...; some locales compute a list in a
            # property, whose names are also in the plain attributes.
            if not attribute.startswith(prefix) or not isinstance(values, tuple | list | dict):
                continue
            for value in values:
                # Compound names ("Mary Ann", "Smith-Jones") contribute each part.
                found |= {fold(part) for part in re.split(r"[\s\-]+", str(value))}
    return found


def supplement(path: Path) -> set[str]:
    """Names the project compiled itself (panel/data/supplement): words after '#' are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {fold(word) for line in lines for word in line.split("#", 1)[0].split()}


def clean(names: Iterable[str]) -> list[str]:
    """Letters only, 2 to 24 of them, sorted so the files diff cleanly."""
    return sorted({n for n in names if _LETTERS.match(n)})


def write(path: Path, names: list[str]) -> None:
    """Gzip with a fixed timestamp so rebuilding unchanged sources gives identical bytes."""
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(names) + "\n").encode("ascii"))


def english_words(path: Path) -> list[str]:
    """The dictionary's ordinary words: entries spelt in lower case (a capitalised entry is a
    proper noun), without their possessive forms. The guard reads a word in a person's place
    ("X rang") as a name unless it is one of these ("Control rang", "Nobody said")."""
    entries = path.read_text(encoding="utf-8").split()
    return clean(fold(w) for w in entries if w[:1].islower() and not w.endswith("'s"))


def main() -> None:
    """Build forenames, surnames, the names that are also ordinary English words, and the words."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--census", type=Path)
    parser.add_argument("--faker", type=Path)
    parser.add_argument("--words", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--english-only", action="store_true", help="rebuild english_words only")
    args = parser.parse_args()
    english = english_words(args.words)
    write(args.out / "english_words.txt.gz", english)
    print(f"{len(english)} ordinary English words")
    if args.english_only:
        return
    if args.census is None or args.faker is None:
        parser.error("--census and --faker are needed to rebuild the name lists")
    forenames = clean(
        census(args.census, "dist.male.first")
        | census(args.census, "dist.female.first")
        | faker_names(args.faker, "first_name")
        | supplement(args.out / "supplement" / "forenames.txt")
    )
    surnames = clean(
        census(args.census, "dist.all.last")
        | faker_names(args.faker, "last_name")
        | supplement(args.out / "supplement" / "surnames.txt")
    )
    # A word the dictionary lists in lower case is an ordinary word ("will", "green"); a capitalised
    # entry ("Kerry") is a proper noun and does not count.
    words = {w for w in args.words.read_text(encoding="utf-8").split() if w.islower()}
    ordinary = clean(n for n in set(forenames) | set(surnames) if n in words)
    write(args.out / "forenames.txt.gz", forenames)
    write(args.out / "surnames.txt.gz", surnames)
    write(args.out / "ordinary_names.txt.gz", ordinary)
    print(f"{len(forenames)} forenames, {len(surnames)} surnames, {len(ordinary)} ordinary words")


if __name__ == "__main__":
    main()
