"""Exact chat commands: a small parser with re.fullmatch, and what each command is for."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from panel.roles import Actor, Permission, Role
from panel.usecases.deps import PanelConfig

_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,200}>")
MAX_COMMAND_LENGTH = 300


@dataclass(frozen=True)
class CommandSpec:
    """A command: its exact pattern, a usage line, and the permission it needs (None: anyone)."""

    name: str
    pattern: re.Pattern[str]
    usage: str
    description: str
    permission: Permission | None = None
    # Audits are the force's choice of roles (a setting), not a fixed permission.
    for_auditors: bool = False


@dataclass(frozen=True)
class Command:
    """A parsed command and its arguments."""

    name: str
    args: tuple[str, ...] = ()


_I = re.IGNORECASE
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "help",
        re.compile(r"(?:help|\?|what can you do|commands|hi|hello|hiya)", _I),
        "help",
        "What you can ask me, and the confidentiality rule.",
    ),
    CommandSpec(
        "agenda",
        re.compile(
            r"(?:(?:show\s+(?:me\s+)?)?(?:the\s+|today'?s\s+)?agenda|what'?s\s+(?:on\s+)?the\s+agenda|what\s+is\s+(?:on\s+)?the\s+agenda)",
            _I,
        ),
        "agenda",
        "Where today's sitting has got to (and its agenda, for those on the panel who may see it).",
        Permission.VIEW_LIVE_CASE,
    ),
    CommandSpec(
        "sitting",
        re.compile(
            r"(?:(?:repost|show|post)\s+(?:me\s+)?(?:the\s+)?)?(?:sitting|sitting\s+card|case\s+card)(?:\s+again)?",
            _I,
        ),
        "sitting",
        "In the case-room chat: the sitting card (and the case being heard) posted again at the bottom, "
        "where everyone can open their own view; in your own chat, your own copy.",
        Permission.VIEW_LIVE_CASE,
    ),
    CommandSpec(
        "start",
        re.compile(r"(?:start|begin|open)(?:\s+the)?(?:\s+sitting)?", _I),
        "start",
        "Open today's sitting here, in the case-room chat.",
        Permission.RUN_SITTING,
    ),
    CommandSpec(
        "next",
        re.compile(
            r"(?:next(?:\s+(?:case|one|soo))?|call\s+(?:in\s+)?(?:the\s+)?next(?:\s+(?:case|one|soo))?|move\s+on)"
            r"(?:\s+(anyway))?|call\s+(anyway)",
            _I,
        ),
        "next",
        "Close this case and call the next SOO in.",
        Permission.RUN_SITTING,
    ),
    CommandSpec(
        "extend",
        re.compile(
            r"(?:extend(?:\s+(?:it|this|this\s+case))?(?:\s+by)?\s+(\d{1,3})(?:\s*(?:m|min|mins|minutes?))?"
            r"|\+\s?(\d{1,3})(?:\s*(?:m|min|mins|minutes?))?"
            r"|(\d{1,3})\s+more\s+(?:min|mins|minutes?))",
            _I,
        ),
        "extend 5",
        "Give this case more minutes.",
        Permission.RUN_SITTING,
    ),
    CommandSpec(
        "defer",
        re.compile(
            r"(?:defer(?:\s+(?:it|this|this\s+case))?|hear\s+(?:it|this(?:\s+case)?)\s+later|later)", _I
        ),
        "defer",
        "Hear this case later (e.g. its SOO is not here).",
        Permission.RUN_SITTING,
    ),
    CommandSpec(
        "end",
        re.compile(r"(?:end|finish|close)(?:\s+the)?(?:\s+sitting)?", _I),
        "end",
        "Close the sitting and post its summary.",
        Permission.RUN_SITTING,
    ),
    CommandSpec(
        "cases",
        re.compile(r"(?:(?:my|open|list|show|all)\s+)?cases|list\s+(?:the\s+|my\s+)?cases", _I),
        "cases",
        "Open cases (a SOO's own), with the early-warning measures.",
        Permission.LIST_CASES,
    ),
    CommandSpec(
        "case",
        re.compile(r"(?:(?:open\s+)?case|open)\s+([A-Za-z0-9]{3}[\s-]?[A-Za-z0-9]{3})", _I),
        "case K7F-2QM",
        "Open one case.",
        Permission.LIST_CASES,
    ),
    CommandSpec(
        "conflict",
        re.compile(r"conflict\s+([A-Za-z0-9]{3}[\s-]?[A-Za-z0-9]{3})(?:\s+(\S.{0,199}))?", _I),
        "conflict K7F-2QM [reason]",
        "Declare a conflict of interest for a case (in your own chat with me).",
        Permission.DECLARE_CONFLICT,
    ),
    CommandSpec(
        "report",
        re.compile(r"(?:the\s+)?(?:report|outputs|figures|how\s+are\s+we\s+doing)", _I),
        "report",
        "How the panel is doing: outputs for a period, with charts, and the commissioner's CSV.",
        Permission.READ_REPORTS,
    ),
    CommandSpec(
        "themes",
        re.compile(r"(?:the\s+)?(?:themes|learning|what\s+are\s+we\s+learning)", _I),
        "themes",
        "What the panel keeps seeing, good practice, and the force's learning actions.",
        Permission.READ_THEMES,
    ),
    CommandSpec(
        "assurance",
        re.compile(
            r"(?:assurance|(?:the\s+)?cases\s+to\s+audit|audit\s+(?:a\s+)?cases?|case\s+audits?"
            r"|what(?:'s|\s+is)\s+missing|missing\s+facts|recording\s+gaps)",
            _I,
        ),
        "assurance",
        "Cases to audit (live, or closed in the last twelve months), their audits, and what is missing "
        "from the open cases' facts.",
        for_auditors=True,
    ),
    CommandSpec(
        "propose",
        re.compile(r"(?:propose|suggest)(?:\s+(?:an?\s+)?(?:action|direction|theme))?", _I),
        "propose",
        "During a hearing, in your own chat: propose an action, a direction or a theme for the case being "
        "heard; the chair accepts it or sets it aside.",
        Permission.PROPOSE_ACTION,
    ),
    CommandSpec(
        "find",
        re.compile(
            r"find(?:\s+a)?(?:\s+case)?(?:\s+by(?:\s+(?:its|the|a))?(?:\s+force(?:'s)?)?(?:\s+own)?\s+reference)?",
            _I,
        ),
        "find",
        "Find which panel case a force record is, by the PSD, crime, IOPC or HR reference registered for it "
        "(typed into the form's hidden field, never into the chat).",
        Permission.FIND_BY_FORCE_REFERENCE,
    ),
    CommandSpec(
        "audit",
        re.compile(r"audit", _I),
        "audit",
        "Who accessed which case, when and why (information security).",
        Permission.READ_AUDIT,
    ),
    CommandSpec(
        "register",
        re.compile(r"register", _I),
        "register",
        "Register a new case, anonymously.",
        Permission.REGISTER_CASE,
    ),
    CommandSpec(
        "sittings",
        re.compile(r"sittings", _I),
        "sittings",
        "Create sittings and build their agendas.",
        Permission.CREATE_SITTING,
    ),
    CommandSpec(
        "record",
        re.compile(r"record", _I),
        "record",
        "Record actions and themes for the case being heard.",
        Permission.RECORD_ACTION,
    ),
)


def clean_text(raw: str) -> str:
    """The text a person typed, without @mention tags, HTML or extra spaces."""
    text = _MENTION.sub(" ", raw)
    text = _TAG.sub(" ", text)
    return " ".join(html.unescape(text).split())


# Courtesy around a command changes nothing: "next please", "please extend by 5 minutes.".
_COURTESY_BEFORE = re.compile(r"^(?:please|pls|can\s+you|could\s+you|ok|okay|right)[\s,]+", _I)
_COURTESY_AFTER = re.compile(r"[\s,]+(?:please|pls|thanks|thank\s+you|now)$", _I)
_END_PUNCTUATION = re.compile(r"(?<=\w)[\s.!?]+$")
# A command named without what it needs gets its usage, not "I didn't recognise that".
INCOMPLETE = {
    "extend": re.compile(r"extend(?:\s+(?:it|this|this\s+case))?", _I),
    "case": re.compile(r"(?:open\s+)?case", _I),
    "conflict": re.compile(r"(?:declare\s+(?:a\s+)?)?conflict(?:\s+of\s+interest)?", _I),
}
THANKS = re.compile(r"(?:thanks|thank\s+you|cheers|ta)(?:\s+(?:all|everyone|bot))?", _I)


def normalise(raw: str) -> str:
    """The command as typed, without mentions, courtesy or closing punctuation."""
    text = _END_PUNCTUATION.sub("", clean_text(raw))
    for _ in range(2):
        text = _COURTESY_AFTER.sub("", _COURTESY_BEFORE.sub("", text))
    return text


def parse(raw: str) -> Command | None:
    """The command the text is, exactly, or None; text is never matched by substring. A command
    named without its argument parses as ("usage", name); thanks as ("thanks",)."""
    text = normalise(raw) if len(raw) <= MAX_COMMAND_LENGTH * 4 else ""
    if not text or len(text) > MAX_COMMAND_LENGTH:
        return None
    for spec in COMMANDS:
        match = spec.pattern.fullmatch(text)
        if match:
            return Command(spec.name, tuple(g for g in match.groups() if g is not None))
    for name, pattern in INCOMPLETE.items():
        if pattern.fullmatch(text):
            return Command("usage", (name,))
    if THANKS.fullmatch(text):
        return Command("thanks")
    return None


def commands_for(
    actor: Actor, audit_roles: frozenset[Role] = PanelConfig().audit_roles
) -> tuple[CommandSpec, ...]:
    """The commands this person may use (`audit_roles`: the roles the force has audit cases)."""
    return tuple(
        c
        for c in COMMANDS
        if (c.permission is None or actor.may(c.permission))
        and (not c.for_auditors or bool(actor.roles & audit_roles))
    )
