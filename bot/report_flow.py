"""`report` and `themes`: how the panel is doing and what it is learning, as cards with charts; the
commissioner's CSV as a one-time link; and the force's learning actions."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from bot import form_values as fv
from bot.audit_flow import EXPORT_LIFETIME
from bot.guard_first import guard_first
from bot.views import words
from cards import verbs
from cards.form_parts import Banner
from cards.notices import NoticeView, notice_card
from cards.report_cards import (
    LearningDraft,
    LearningLine,
    ReportView,
    ThemesView,
    report_card,
    themes_card,
)
from panel.actions import OwnerRole
from panel.audit_counts import AUDITS_DONE, AUDITS_WITH_FINDINGS, CLOSED_REVIEWS, NOT_COMPARED
from panel.errors import NotPermitted, PanelError, StorageUnavailable, ValidationFailed
from panel.feedback import feedback_lines, quarter_words
from panel.handed_on import HIDDEN, HandedOn
from panel.handed_on import handed_on as for_handing_on
from panel.report import (
    ACTIONS_DONE,
    ACTIONS_SET,
    AGENCIES,
    CLOSED,
    HEARD,
    HIGH_RISK,
    HIGH_RISK_SAFEGUARDED,
    IOPC_REFERRED,
    PANELS,
    REFERRED,
    RESIGNED,
    RISK_CURRENT,
    RTR_REQUESTED,
    RTR_UPHELD,
    SOOS,
    THEMES_ARISING,
    Period,
    last_quarter,
    last_twelve_months,
)
from panel.roles import Actor, Permission
from panel.small_numbers import show
from panel.usecases import feedback, reporting
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
Card = dict[str, Any]
EXPORTS_PATH = "/exports"
# The headline figures the card shows (the CSV has every one).
ON_THE_CARD = (
    *(REFERRED, PANELS, HEARD, SOOS, AGENCIES, ACTIONS_SET, ACTIONS_DONE, CLOSED),
    # What the force must watch in each case, as it stood at the period's end.
    # Not the female victims: on a card for any dates a person chooses, a one-day period would say
    # one case's victim's sex. That figure is in the commissioner's CSV only, small numbers hidden.
    *(RISK_CURRENT, HIGH_RISK, HIGH_RISK_SAFEGUARDED, IOPC_REFERRED),
    *(RESIGNED, RTR_REQUESTED, RTR_UPHELD, THEMES_ARISING),
    # How the force assures itself: its own audits of cases, and the panel's closed-case reviews.
    *(AUDITS_DONE, AUDITS_WITH_FINDINGS, CLOSED_REVIEWS),
)
BY_ROUTE, BY_SLOT, BY_FLAG = "Referred, by route", "Heard, by slot", "Open cases, by early-warning flag"


class ReportFlow:
    """The report and themes cards and their buttons."""

    def __init__(self, deps: Deps, public_url: str) -> None:
        self._deps, self._public_url = deps, public_url.rstrip("/")

    async def report(
        self, actor: Actor, period: Period | None = None, handed_on: bool = False, **extra: Any
    ) -> Card:
        """The outputs report card (last quarter unless asked otherwise); `handed_on` shows it as
        the commissioner would receive it, small numbers hidden."""
        period = period or last_quarter(self._deps.today())
        read = await reporting.read_outputs(self._deps, actor, period)
        said = await feedback.quarter_feedback(self._deps, actor)
        report, previous = read.report, dict(read.report.previous)
        safe = for_handing_on(report, read.months, self._deps.config.small_numbers) if handed_on else None

        def shown(name: str, value: int, before: bool = False) -> str:
            if before and name in NOT_COMPARED:
                return ""  # given for the period alone
            if safe is None:
                return str(value)
            return (safe.previous if before else safe.figures).get(name, HIDDEN).text

        figures = tuple(
            (name, shown(name, value), shown(name, previous.get(name, 0), before=True))
            for name, value in report.figures
            if name in ON_THE_CARD
        )
        breakdowns = {b.title: b.counts for b in report.breakdowns}
        if report.closure_days_median is None:
            closure = "No case closed in the period."
        elif safe is not None and not safe.closure_shown:
            closure = "Time to closure is not shown: too few cases closed."
        else:
            closure = (
                f"Time to closure: median {report.closure_days_median:g} days, "
                f"longest {report.closure_days_longest} days."
            )
        days = "1 day" if period.days == 1 else f"{period.days} days"
        audit_count = str(len(report.audit_list))
        if safe is not None:
            audit_count = show(len(report.audit_list), self._deps.config.small_numbers).text
        view = ReportView(
            period=f"{period.words()}, compared with the {days} before"
            + (" (the period is not over yet)" if period.end >= self._deps.today() else ""),
            figures=figures,
            by_route=breakdowns.get(BY_ROUTE, ()),
            by_slot=breakdowns.get(BY_SLOT, ()),
            months=read.months,
            flags=breakdowns.get(BY_FLAG, ()),
            closure=closure,
            audit_count=audit_count,
            start=period.start.isoformat(),
            end=period.end.isoformat(),
            handed_on=handed_on,
            tables=_tables(safe) if safe is not None else (),
            case_facts=actor.may(Permission.EXPORT_CASE_FACTS),
            feedback_heading=f"Feedback on the panel, {quarter_words(said.quarter)} (the last whole quarter)",
            feedback=feedback_lines(said.results, self._deps.config.small_numbers),
            **extra,
        )
        return report_card(view)

    async def themes(self, actor: Actor, banner: Banner | None = None, pressed: Any = None) -> Card:
        """The themes card, with the learning actions; after a refused learning action, the
        form keeps what was chosen in it (`pressed`), never its text."""
        read = await reporting.read_themes(self._deps, actor)
        taxonomy = self._deps.config.taxonomy
        view = ThemesView(
            quarters=read.quarters,
            themes=tuple(
                (_short(taxonomy.get(t.code, t.code).split(" (")[0], 80), t.counts, t.new_this_period)
                for t in read.themes
            ),
            good_practice=read.good_practice,
            learning=tuple(
                LearningLine(
                    a.action_id, a.text, words(a.owner_role.value), f"{a.due:%d %b %Y}", words(a.status.value)
                )
                for a in read.learning
            ),
            owners=tuple((words(r.value), r.value) for r in OwnerRole),
            theme_choices=tuple((_short(text.split(" (")[0]), code) for code, text in taxonomy.items()),
            can_record=actor.may(Permission.RECORD_LEARNING),
            today=self._deps.today().isoformat(),
            banner=banner,
            draft=_draft(pressed, taxonomy) if pressed is not None else None,
        )
        return themes_card(view)

    async def handle(self, actor: Actor, verb: str, data: Any, key: str | None) -> Card:
        """A press on the report or themes card; a refusal comes back on the card."""
        handed_on = isinstance(data, dict) and data.get("handed_on") == "yes"
        try:
            await guard_first(self._deps, verb, data)
            if verb == verbs.REPORT_SHOW:
                return await self.report(actor, self._period(data), handed_on)
            if verb == verbs.REPORT_CASE_FACTS:
                period = self._period({**(data if isinstance(data, dict) else {}), "period": "dates"})
                name, content = await reporting.export_case_facts(self._deps, actor, period)
                link = await self.one_time_link(name, content)
                return await self.report(actor, period, handed_on, download=link, download_name=name)
            if verb == verbs.REPORT_EXPORT:
                period = self._period({**(data if isinstance(data, dict) else {}), "period": "dates"})
                name, content = await reporting.export_outputs(self._deps, actor, period)
                link = await self.one_time_link(name, content)
                return await self.report(actor, period, handed_on, download=link, download_name=name)
            if verb == verbs.LEARNING_RECORD:
                due = fv.day(data, "due", "due date")
                assert due is not None
                action = await reporting.record_learning_action(
                    self._deps,
                    actor,
                    fv.required(data, "text", "learning action"),
                    fv.choice(data, "owner", OwnerRole, "owner"),
                    due,
                    fv.text(data, "theme"),
                    key,
                )
                return await self.themes(
                    actor, Banner(f"Learning action {action.action_id} recorded.", ok=True)
                )
            if verb == verbs.LEARNING_DONE:
                action = await reporting.learning_done(
                    self._deps,
                    actor,
                    fv.required(data, "action", "learning action"),
                    fv.text(data, "note"),
                    key,
                )
                return await self.themes(
                    actor, Banner(f"Learning action {action.action_id} is done.", ok=True)
                )
            raise ValidationFailed("That button is not one of this card's.")
        except StorageUnavailable:
            raise
        except PanelError as error:
            logger.info(
                "report.refused verb=%s actor=%s error=%s", verb, actor.actor_id, type(error).__name__
            )
            banner = Banner(error.message, ok=False)
            if isinstance(error, NotPermitted):  # refused: answered, and nothing read on their behalf
                return notice_card(NoticeView("That could not be done", (("Why", error.message),)))
            try:
                if verb == verbs.LEARNING_RECORD:
                    return await self.themes(actor, banner, pressed=data)
                if verb == verbs.LEARNING_DONE:
                    return await self.themes(actor, banner)
                return await self.report(actor, handed_on=handed_on, banner=banner)
            except PanelError:  # not theirs to see at all: the reason alone
                return notice_card(NoticeView("That could not be done", (("Why", error.message),)))

    async def one_time_link(self, name: str, content: str) -> str:
        """Keep an export for ten minutes behind a link that works once."""
        token = secrets.token_urlsafe(24)
        async with self._deps.uow() as uow:
            uow.exports.put(token, name, content, self._deps.clock.now() + EXPORT_LIFETIME)
            await uow.commit()
        return f"{self._public_url}{EXPORTS_PATH}/{token}"

    def _period(self, data: Any) -> Period:
        choice = fv.text(data, "period") if isinstance(data, dict) else None
        today = self._deps.today()
        if choice == "year":
            return last_twelve_months(today)
        if choice in (None, "quarter") and not (isinstance(data, dict) and data.get("from")):
            return last_quarter(today)
        start, end = fv.day(data, "from", "start of the period"), fv.day(data, "to", "end of the period")
        assert start is not None and end is not None
        return reporting.period_between(start, end)


def _tables(safe: HandedOn) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The card's pictures as tables of what may be handed on (a chart cannot draw "<5")."""
    tables = []
    for title, name in (
        (BY_ROUTE, "Cases referred, by route"),
        (BY_SLOT, "Cases heard, by slot"),
        (BY_FLAG, "Open cases, by early-warning flag"),
    ):
        cells, total = safe.breakdowns.get(title, ([], HIDDEN))
        rows = (*((k, s.text) for k, s in cells), (reporting.total_label(title), total.text))
        tables.append((name, rows))
    months = tuple((m, f"referred {r.text}, heard {h.text}") for m, r, h in safe.months)
    tables.insert(2, ("Month by month", months))
    return tuple(tables)


def _draft(data: Any, taxonomy: Mapping[str, str]) -> LearningDraft:
    """What a refused learning action had chosen, each kept only if it is one of the form's own
    choices (or a real date): a forged value is dropped, not shown back."""
    if not isinstance(data, dict):
        return LearningDraft()
    theme = data.get("theme")
    try:
        owner: OwnerRole | None = fv.choice(data, "owner", OwnerRole, "owner")
    except PanelError:
        owner = None
    try:
        due = fv.day(data, "due", "due date")
    except PanelError:
        due = None
    return LearningDraft(
        owner=owner.value if owner is not None else None,
        due=due.isoformat() if due is not None else None,
        theme=theme if isinstance(theme, str) and theme in taxonomy else None,
    )


def _short(text: str, limit: int = 60) -> str:
    """A label cut at a word, with an ellipsis, to fit a choice list."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
