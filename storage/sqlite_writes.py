"""What a SQLite unit of work stages for its commit: plain statements, and steps that must read
inside the commit's own transaction (the audit chain's head) before they write."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Write:
    """One statement; with `expect_one_row`, a commit that changes no row (or several) is refused."""

    sql: str
    params: tuple[Any, ...]
    expect_one_row: bool
    after_commit: Callable[[], None] = field(default=lambda: None)


# A step runs on the writer connection, on its own thread, inside the commit's transaction.
Step = Callable[[sqlite3.Connection], None]
