"""The coordinator's verbs on a case's life, from its "More about this case" card: facts, a case
conference held, a reopening and a link to another case; each answers with that card again."""

from __future__ import annotations

from typing import Any

from bot import form_values as fv
from bot.form_cards import FormCards
from bot.record_verbs import Card, Handler
from cards import form_parts as forms
from cards import verbs
from panel.case_facts import FACT_NAMES, parse_fact
from panel.reference import parse_reference
from panel.roles import Actor, Permission
from panel.usecases import case_life
from panel.usecases.deps import Deps


class CaseLifeVerbs:
    """A case's facts and life, kept by the coordinator (and the facts by its SOO)."""

    def __init__(self, deps: Deps, cards: FormCards) -> None:
        self._deps, self.cards = deps, cards

    def handlers(self) -> dict[str, Handler]:
        """Each verb and what runs it."""
        return {
            verbs.CASE_FACTS: self._facts,
            verbs.CASE_FACTS_OPEN: self._facts_open,
            verbs.CASE_MORE: self._more,
            verbs.CONFERENCE_RECORD: self._conference_held,
            verbs.CASE_REOPEN: self._reopen,
            verbs.CASE_LINK: self._link,
        }

    async def _facts(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        changes = {
            name: parse_fact(name, str(data[name]))
            for name in FACT_NAMES
            if isinstance(data, dict) and name in data
        }
        changed = await case_life.record_facts(self._deps, actor, reference, changes, key)
        said = (
            f"Saved: {len(changed)} fact{'s' if len(changed) != 1 else ''} recorded or changed."
            if changed
            else "Nothing changed."
        )
        if actor.may(Permission.REGISTER_CASE):
            return await self.cards.case_life(actor, reference, forms.Banner(said, ok=True))
        return await self.cards.case_form(actor, reference, forms.Banner(said, ok=True))

    async def _facts_open(self, actor: Actor, data: Any, key: str | None) -> Card:
        return await self.cards.facts(actor, parse_reference(fv.required(data, "case", "case")))

    async def _more(self, actor: Actor, data: Any, key: str | None) -> Card:
        return await self.cards.case_life(actor, parse_reference(fv.required(data, "case", "case")))

    async def _conference_held(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        held_on = fv.day(data, "held_on", "date it was held")
        assert held_on is not None
        await case_life.record_case_conference(
            self._deps, actor, reference, held_on, fv.required(data, "outcome", "outcome"), key
        )
        return await self.cards.case_life(
            actor,
            reference,
            forms.Banner("The case conference is recorded; the case is back with the panel.", ok=True),
        )

    async def _reopen(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        await case_life.reopen(self._deps, actor, reference, fv.required(data, "reason", "reason"), key)
        return await self.cards.manage(
            actor, reference, forms.Banner(f"Case {reference} is reopened, with its history.", ok=True)
        )

    async def _link(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        other = parse_reference(fv.required(data, "other", "other case's reference"))
        await case_life.link_cases(self._deps, actor, reference, other, key)
        return await self.cards.case_life(
            actor, reference, forms.Banner(f"Cases {reference} and {other} are linked.", ok=True)
        )
