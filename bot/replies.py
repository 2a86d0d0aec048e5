"""Every reply text the bot sends that is not a card, in one place: short, polite, never echoing."""

from __future__ import annotations

from collections.abc import Sequence

from bot.commands import CommandSpec
from panel.errors import Finding, NotPermitted, PanelError, describe_findings
from panel.roles import Actor, Role
from panel.usecases.cases import NamesRegistered

UNKNOWN_COMMAND = "I didn't recognise that. Say **help** to see what I can do."
UNKNOWN_CARD_ACTION = (
    "I don't recognise that button. It may be from an old card; say **help** to start again."
)
INTERNAL_ERROR = (
    "Sorry, something went wrong on my side. Please try again in a moment; "
    "if it keeps happening, tell the panel coordinator."
)
WELCOME = (
    "Hello. I run the workplace domestic abuse scrutiny panel's sittings, cases and reminders. "
    "Say **help** to see what you can ask me. Never type names or identifying details here."
)


def identifying_text_warning(findings: Sequence[Finding]) -> str:
    """Warn about a chat message that carried an identifying detail, naming the kind only."""
    return (
        f"That message looks like it contains {describe_findings(findings)}. I have not stored it. "
        "Please delete that message: this chat must never identify anyone involved in a case."
    )


def for_error(error: PanelError) -> str:
    """The reply for a domain error: its message, which never contains what the user typed."""
    return error.message


def conflict_declared(reference: str, *, already: bool) -> str:
    """What someone is told when they declare a conflict of interest."""
    if already:
        return f"You have already declared a conflict of interest for case {reference}. Nothing has changed."
    return (
        f"Conflict of interest declared for case {reference}. From now on you are not shown it, asked "
        "about it or reminded of it, and the chair will ask you to step out while it is heard. Only the "
        "case coordinator can withdraw a declaration."
    )


def conflict_noted(reference: str) -> str:
    """What someone who may not see every case is told when they declare a conflict: the same
    words whether or not the reference is a case, so the answer tells nobody which ones exist."""
    return (
        f"Conflict of interest noted for {reference}. If a case on the panel's list has that reference, "
        "from now on you are not shown it, asked about it or reminded of it, the chair will ask you to "
        "step out while it is heard, and the case coordinator (who alone can withdraw a declaration) is "
        "told. If no case has it, nothing is recorded. You get this same answer either way."
    )


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def names_registered(result: NamesRegistered) -> str:
    """What the coordinator is told after registering names: how many, and which parts (by
    position, never the words) are everyday words and how they will be refused."""
    them = "it" if result.count == 1 else "they"
    said = (
        f"{_count(result.count, 'name')} registered for the identity guard; {them} will not be shown again."
    )
    for entry in result.everyday:
        words = _join([_ORDINALS[p - 1] if p <= len(_ORDINALS) else f"{p}th" for p in entry.positions])
        plural = len(entry.positions) > 1
        said += (
            f" Party {entry.party}'s {words} {'words are' if plural else 'word is'} also "
            f"{'everyday words' if plural else 'an everyday word'}: "
            + (
                "refused alone however written, as you chose."
                if entry.blocked_alone
                else "refused alone only when written with a capital mid-sentence (the whole name always). "
                "To refuse it however written, register the name again from the case's card "
                "with that box ticked."
            )
        )
    if result.possible_links:
        refs = ", ".join(result.possible_links)
        said += (
            f" This may be linked to case {refs}: a party's name matches one registered there. "
            "Link them from this card if they are."
        )
    return said


def _count(n: int, noun: str) -> str:
    return f"1 {noun}" if n == 1 else f"{n} {noun}s"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# The commands worth suggesting to someone who typed something else, most used first.
_SUGGEST = (
    "next",
    "extend",
    "defer",
    "end",
    "start",
    "agenda",
    "record",
    "cases",
    "register",
    "sittings",
    "audit",
)
# Said in the case-room chat only: not suggested in someone's own chat with the bot.
_CASE_ROOM_ONLY = frozenset({"next", "extend", "defer", "end", "start"})


def unknown_command(allowed: Sequence[CommandSpec], *, in_group: bool) -> str:
    """Anything that is not a command: the commands that fit this person, not a generic pointer."""
    names = {c.name: c for c in allowed}
    suggest = [n for n in _SUGGEST if in_group or n not in _CASE_ROOM_ONLY]
    picks = [names[n].usage for n in suggest if n in names][:5]
    if not picks:
        return UNKNOWN_COMMAND
    said = ", ".join(f"**{p}**" for p in picks)
    where = " (mention me first in a group chat)" if in_group else ""
    return f"I didn't recognise that. You can say {said}{where}, or **help** for everything."


def usage(spec: CommandSpec, actor: Actor) -> str:
    """A command named without what it needs: how to say it, if this person may."""
    if spec.permission is not None and not actor.may(spec.permission):
        try:
            actor.require(spec.permission)
        except NotPermitted as refused:
            return refused.message
    return f"Say **{spec.usage}**: {spec.description[0].lower()}{spec.description[1:]}"


_ROLE_WELCOME = (
    (
        frozenset({Role.CHAIR, Role.DEPUTY_CHAIR}),
        "You chair sittings: in the case-room chat say **start**, then **next** for each case, "
        "**extend 5**, **defer** and **end**. Closure requests come to you here for approval.",
    ),
    (
        frozenset({Role.COORDINATOR}),
        "You run the panel's business here: **register** a case, **cases** to appoint SOOs and list "
        "cases, **sittings** to book sittings and build their agendas.",
    ),
    (
        frozenset({Role.ADMINISTRATOR}),
        "You record the panel's decisions: while a case is heard, say **record** for the actions and "
        "themes form.",
    ),
    (
        frozenset({Role.SOO}),
        "You oversee cases as a senior oversight officer: I will tell you when one is listed, remind "
        "you before the sitting and call you into the case room. Say **cases** to see yours.",
    ),
    (
        frozenset({Role.MEMBER}),
        "You sit on the panel: say **agenda** to see a sitting's cases, and during the sitting press "
        "**Show me the details** (the sitting card) or **Show me the case** (the case card) in the "
        "case-room chat for your own view (if they are not in front of "
        "you, say **@Scrutiny Panel sitting** in the case-room chat to have them posted again); if you "
        "know anyone involved in a case, say **conflict** and its reference, and you will not be shown it.",
    ),
    (
        frozenset({Role.PARTNER}),
        "You sit on the panel for your agency: while a sitting is live, press **Show me the case** "
        "on the case card in the case-room chat to see the case being heard (only that one, and only "
        "while it is heard; say **@Scrutiny Panel sitting** there if the card is not in front of you); "
        "if you know anyone involved in a case, say **conflict** and its reference, and you will not be "
        "shown it.",
    ),
    (
        frozenset({Role.LEARNING_ANALYST}),
        "You study what the panel counts and learns: say **report** for its outputs and **themes** for "
        "what it keeps seeing and the force's learning actions.",
    ),
    (
        frozenset({Role.INFORMATION_SECURITY}),
        "You oversee access: say **audit** to see who opened which case, when and why.",
    ),
    (
        frozenset({Role.PSD_LEAD}),
        "You lead for professional standards: say **find** and type one of the force's own references "
        "(PSD, crime, IOPC or HR) to learn which panel case it is, **cases** for the open cases and "
        "**case** and a reference to read one. You see each case as the coordinator does, without "
        "running anything; the sittings and the case room are the panel's.",
    ),
)


# The one answer anyone not on the roster gets, whatever they send: no help, no guard verdict, no
# card, so that nothing about the panel (or about what they typed) reaches them.
FOR_STRANGERS = "This app is for the scrutiny panel; ask the case coordinator."


def welcome_for(actor: Actor) -> str:
    """The first message in a person's own chat with the bot: what it does for their role."""
    if not actor.on_roster:
        return FOR_STRANGERS
    lines = [text for roles, text in _ROLE_WELCOME if roles & actor.roles]
    return (
        "Hello. I run the workplace domestic abuse scrutiny panel. "
        + " ".join(lines)
        + " Say **help** at any time. Never type names or identifying details here: cases are known "
        "only by their reference."
    )
