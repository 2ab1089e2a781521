"""Reads: the recommendations list (filters and paging), "my actions", the executive
response table, responses due, challenges for home pages and a recommendation's history.

Statuses come from tracker.progress through facts.py. SQL filters use only stored facts
(owner, source, decision) and the action cache (overdue: status not complete or cancelled
and current due date before today, the rule of tracker.progress on the cached columns).
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import math
from dataclasses import dataclass
from typing import Any, Generic, Sequence, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker import audit, progress
from tracker.extensions import db
from tracker.planning import written_in
from tracker.models import (
    Action, AuditEvent, Challenge, Decision, DecisionPart, ExecutiveResponse, ProgressUpdate,
    Recommendation, User,
)
from tracker.permissions import (
    ADMIN, OFFICER, action_scope, is_partner, organisation_of, scope_words, visible_actions,
    visible_recommendations,
)
from tracker.recommendations import facts, rollups
from tracker.recommendations.condensed import KEPT_COLUMNS
from tracker.recommendations.facts import Row

# Open = not complete or cancelled: the rule's own words, from tracker.progress.
OPEN_STATUSES = progress.OPEN_STATUSES   # an action still open, for SQL
DUE_SOON_DAYS = 14

# Status filter: value -> (state label, RAG or None)
STATUS_FILTERS: dict[str, tuple[str, str | None, str]] = {
    "red": (progress.STATE_IN_PROGRESS, progress.RAG_RED, "In progress: Red"),
    "amber": (progress.STATE_IN_PROGRESS, progress.RAG_AMBER, "In progress: Amber"),
    "grey": (progress.STATE_IN_PROGRESS, progress.RAG_GREY, "In progress: Grey"),
    "green": (progress.STATE_IN_PROGRESS, progress.RAG_GREEN, "In progress: Green"),
    "no_actions": (progress.STATE_NO_ACTIONS, None, "No actions yet"),
    "awaiting_sign_off": (progress.STATE_AWAITING_SIGN_OFF, None, "Awaiting sign-off"),
    "complete": (progress.STATE_COMPLETE, None, "Complete"),
    "not_accepted": (progress.STATE_NOT_ACCEPTED, None, "Not accepted"),
    "awaiting_response": ("", None, "Awaiting the executive's response"),
}


def visible(query: sa.Select[Any], user: User) -> sa.Select[Any]:
    """Limit a query on Recommendation to what ``user`` may read (the rule, as SQL, is
    tracker.permissions.visible_recommendations)."""
    return visible_recommendations(query, user)


def agencies(user: User) -> list[Any]:
    """Organisations to filter by: every one (a partner officer: their own)."""
    from tracker.models import Organisation

    query = sa.select(Organisation).order_by(sa.func.lower(Organisation.name))
    if is_partner(user):
        query = query.where(Organisation.id == (organisation_of(user) or 0))
    return list(db.session.scalars(query))


def overdue_clause(today: dt.date) -> sa.ColumnElement[bool]:
    """progress.action_state's "overdue" as SQL, for filtering lists in the database: today
    after the current (latest revised) due date and the action still open. The cached
    status and due date it reads are written only by the progress-update service. The day
    is written into the statement (``tracker.planning``): planned for any day, PostgreSQL
    took a third of the actions to be overdue and read them by the due-date index, 10 ms
    where reading the table takes 2. So are the open statuses, so that any plan may read
    the open actions' own index (``ix_actions_open_due``, whose condition they are)."""
    return sa.and_(Action.withdrawn_at.is_(None),
                   Action.status.in_([written_in(s, sa.String) for s in OPEN_STATUSES]),
                   Action.current_due_on < written_in(today, sa.Date))


@dataclass(frozen=True)
class Filters:
    decision_id: int | None = None
    source: str | None = None
    owner_id: int | None = None
    status: str | None = None
    overdue: bool = False
    organisation_id: int | None = None   # an agency: its recommendations and actions
    words: str | None = None     # every word in the text or the reference, any case
    sort: str = "decision"       # one of SORTS


# How the list can be ordered: its words on the page. "decision" is the paper's order.
SORTS: dict[str, str] = {
    "decision": "Decision and number (newest decision first)",
    "due": "Due date (earliest first)",
    "status": "Status (most at risk first)",
    "owner": "Owner (A to Z)",
}
# "Status (most at risk first)": the order of STATUS_FILTERS' words, worst first.
_STATUS_ORDER = (("in_progress", "red"), ("in_progress", "amber"), ("in_progress", "grey"),
                 ("no_actions", None), ("in_progress", "green"), ("awaiting_sign_off", None),
                 ("complete", None), ("not_accepted", None))


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list (GOV.UK pagination: templates/components/pager.html)."""
    rows: tuple[T, ...]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.total)


def page_number(total: int, page: int, per_page: int) -> tuple[int, int]:
    """(the page to show, how many pages): ``page`` kept within the first and the last."""
    pages = max(1, math.ceil(total / per_page))
    return min(max(1, page), pages), pages


def counted_page(query: sa.Select[Any], page: int, per_page: int
                 ) -> tuple[list[Any], int, int, int]:
    """One page of ``query`` (ordered) with how many rows it has in all, in one query: a
    window over the rows, its count the last column of each row. Only a page past the last
    comes back empty and asks the count, then the last page (an empty first page: none at
    all). (rows, total, page, pages)."""
    counted = query.add_columns(sa.func.count().over().label("total"))

    def one_page(number: int) -> list[Any]:
        return list(db.session.execute(counted.limit(per_page).offset((number - 1) * per_page)))

    found = one_page(page)
    total = found[0].total if found else 0 if page <= 1 else db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    shown, pages = page_number(total, page, per_page)
    return (found if shown == page else one_page(shown)), total, shown, pages


def _filtered(user: User, f: Filters, today: dt.date) -> sa.Select[Any]:
    query = visible(sa.select(Recommendation.id), user)
    query = query.outerjoin(DecisionPart, Recommendation.part_id == DecisionPart.id).outerjoin(
        Decision, DecisionPart.decision_id == Decision.id)
    if f.decision_id is not None:
        query = query.where(DecisionPart.decision_id == f.decision_id)
    if f.source:
        query = query.where(Recommendation.source == f.source)
    if f.owner_id is not None:
        query = query.where(sa.or_(Recommendation.owner_id == f.owner_id, Recommendation.id.in_(
            sa.select(Action.recommendation_id).where(Action.owner_id == f.owner_id,
                                                      Action.withdrawn_at.is_(None)))))
    if f.organisation_id is not None:
        # The agency's work: recommendations it owns or has a live action under; with
        # "overdue", those where its own action is overdue (the agency's late list).
        theirs = sa.select(Action.recommendation_id).where(
            Action.owner_organisation_id == f.organisation_id, Action.withdrawn_at.is_(None))
        if f.overdue:
            query = query.where(Recommendation.id.in_(theirs.where(overdue_clause(today))))
        else:
            query = query.where(sa.or_(
                Recommendation.owner_organisation_id == f.organisation_id,
                Recommendation.id.in_(theirs)))
    seen = action_scope(user)  # a partner officer: judged over their agency's actions only
    if f.overdue:
        query = query.where(Recommendation.id.in_(
            sa.select(Action.recommendation_id).where(
                overdue_clause(today), *(() if seen is None else (seen,)))))
    for word in (f.words or "").split():
        pattern = f"%{_escape_like(word.lower())}%"
        query = query.where(sa.or_(sa.func.lower(Recommendation.text).like(pattern, escape="\\"),
                                   sa.func.lower(Recommendation.reference).like(
                                       pattern, escape="\\")))
    paper = (Decision.decided_on.desc().nulls_first(), Decision.id, DecisionPart.position,
             Recommendation.position, Recommendation.id)
    if f.sort == "due":
        due = due_dates_clause(seen)
        query = query.outerjoin(due, due.c.recommendation_id == Recommendation.id)
        return query.order_by(due.c.due_on.is_(None), due.c.due_on, *paper)
    if f.sort == "owner":
        query = query.outerjoin(User, User.id == Recommendation.owner_id)
        return query.order_by(User.name.is_(None), User.name, *paper)
    return query.order_by(*paper)


def due_dates_clause(scope: sa.ColumnElement[bool] | None = None) -> Any:
    """Each recommendation's due date: the latest current due date of its counted actions
    (not cancelled, not withdrawn), as the committee report gives it; ``scope``: of the
    actions a reader may see (``tracker.permissions.action_scope``)."""
    return (sa.select(Action.recommendation_id.label("recommendation_id"),
                      sa.func.max(Action.current_due_on).label("due_on"))
            .where(*_counted(scope)).group_by(Action.recommendation_id).subquery("due_dates"))


def due_date_of(scope: sa.ColumnElement[bool] | None = None) -> Any:
    """``due_dates_clause``'s due date of the recommendation of the enclosing query, as a
    correlated subquery: for a few rows (a page), by the actions' recommendation index."""
    return (sa.select(sa.func.max(Action.current_due_on))
            .where(Action.recommendation_id == Recommendation.id, *_counted(scope))
            .correlate(Recommendation).scalar_subquery())


def _counted(scope: sa.ColumnElement[bool] | None) -> tuple[sa.ColumnElement[bool], ...]:
    """Counted actions (not cancelled, not withdrawn; their kept status, tracker.progress's
    ``counted``) of the reader's ``scope``."""
    return (Action.withdrawn_at.is_(None), Action.status != progress.STATUS_CANCELLED,
            *(() if scope is None else (scope,)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def status_rank(state: progress.RecommendationState | None) -> int:
    """Where a recommendation comes when the list is sorted by status, most at risk first."""
    if state is None:
        return len(_STATUS_ORDER) + 1
    key = (state.label, state.rag if state.label == progress.STATE_IN_PROGRESS else None)
    return _STATUS_ORDER.index(key) if key in _STATUS_ORDER else len(_STATUS_ORDER)


def _matches(state: progress.RecommendationState | None, status: str) -> bool:
    if state is None:
        return False
    if status == "awaiting_response":
        return state.awaiting_response
    label, rag, _ = STATUS_FILTERS[status]
    return state.label == label and (rag is None or state.rag == rag)


@dataclass(frozen=True)
class Listed:
    """A recommendation as a row of the list shows it: plain columns, no ORM object."""
    id: int
    reference: str
    source: str
    text: str
    is_example: bool
    withdrawn_at: dt.datetime | None
    part_label: str | None      # None: not taken up into a decision yet
    decision_words: str | None  # its decision's reference, else the decision's title
    owner_name: str | None      # as ``Recommendation.owner_name`` shows it

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


@dataclass(frozen=True)
class ListRow:
    """A row of the recommendations list: the recommendation, its state today (None: not
    shown) and its due date (the latest current due date of its counted actions in the
    reader's view, ``due_dates_clause``; None when it has none or is not shown)."""
    rec: Listed
    state: progress.RecommendationState | None
    due_on: dt.date | None

    @property
    def tag(self) -> tuple[str, str]:
        return facts.rec_tag(self.state)


def _listed(ids: Sequence[int], scope: sa.ColumnElement[bool] | None
            ) -> list[tuple[Listed, dt.date | None]]:
    """The rows of these recommendations (in the order given) with their due dates: one
    SELECT of the columns a row shows."""
    from tracker.models.organisations import owner_words

    query = _listed_everyone() if scope is None else _listed_select(scope)
    found = {}
    for (rid, reference, source, text, example, withdrawn_at, label, decision_reference,
         decision_title, person_name, organisation_id, organisation_name, lead_name,
         due_on) in db.session.execute(query, {"ids": list(ids)}):
        found[rid] = (Listed(
            id=rid, reference=reference, source=source, text=text, is_example=bool(example),
            withdrawn_at=withdrawn_at, part_label=label,
            decision_words=None if label is None else decision_reference or decision_title,
            owner_name=person_name if organisation_id is None
            else owner_words(organisation_name, lead_name)), due_on)
    return [found[i] for i in ids if i in found]


@functools.cache
def _listed_everyone() -> sa.Select[Any]:
    """``_listed_select`` for a reader who sees every action: built once (building it costs
    more than running it)."""
    return _listed_select(None)


def _listed_select(scope: sa.ColumnElement[bool] | None) -> sa.Select[Any]:
    """The columns a row of the list shows, of the recommendations ``:ids``, with their due
    dates in the reader's ``scope`` of actions."""
    from tracker.models import Organisation

    person, organisation, lead = (sa.orm.aliased(User), sa.orm.aliased(Organisation),
                                  sa.orm.aliased(User))
    return (sa.select(Recommendation.id, Recommendation.reference, Recommendation.source,
                      Recommendation.text, Recommendation.is_example,
                      Recommendation.withdrawn_at, DecisionPart.label, Decision.reference,
                      Decision.title, person.name, organisation.id, organisation.name,
                      lead.name, due_date_of(scope))
            .outerjoin(DecisionPart, Recommendation.part_id == DecisionPart.id)
            .outerjoin(Decision, DecisionPart.decision_id == Decision.id)
            .outerjoin(person, person.id == Recommendation.owner_id)
            .outerjoin(organisation, organisation.id == Recommendation.owner_organisation_id)
            .outerjoin(lead, lead.id == organisation.lead_id)
            .where(Recommendation.id.in_(sa.bindparam("ids", expanding=True))))


def states_today(ids: sa.Select[Any], sources: dict[int, str], user: User, *,
                  today: dt.date) -> dict[int, progress.RecommendationState | None]:
    """Today's states of the recommendations ``ids`` (``sources``: each one's source): from
    the kept roll-ups (``rollups.states_now``, one SELECT); a partner officer's are judged
    over their agency's actions alone (``action_scope``), from the history."""
    scope = action_scope(user)
    if scope is None:
        return rollups.states_now(ids, sources, today=today)
    return facts.states_where(Recommendation.id.in_(ids), today=today, action_scope=scope)


def list_recommendations(user: User, f: Filters, *, today: dt.date, page: int = 1,
                         per_page: int = 25) -> Page[ListRow]:
    """One page of recommendations with their states today. Without a status filter the
    page is cut in SQL; a status (a computed thing) is filtered after the rules have run."""
    query = _filtered(user, f, today)
    states: dict[int, progress.RecommendationState | None] = {}
    in_python = f.status in STATUS_FILTERS or f.sort == "status"
    if in_python:
        ordered = list(db.session.execute(query.add_columns(Recommendation.source)))
        states = states_today(query.order_by(None), {rid: source for rid, source in ordered},
                               user, today=today)
        ids = [i for i, _ in ordered if f.status not in STATUS_FILTERS
               or _matches(states.get(i), f.status)]  # type: ignore[arg-type]
        if f.sort == "status":
            ids.sort(key=lambda i: status_rank(states.get(i)))   # stable: paper order within
        total = len(ids)
        page, pages = page_number(total, page, per_page)
        page_ids = ids[(page - 1) * per_page: page * per_page]
    else:   # the page and the count in one query
        found, total, page, pages = counted_page(query, page, per_page)
        page_ids = [row[0] for row in found]
    listed = _listed(page_ids, action_scope(user))
    if not in_python and listed:
        states = states_today(sa.select(Recommendation.id).where(Recommendation.id.in_(
            page_ids)), {rec.id: rec.source for rec, _ in listed}, user, today=today)
    rows = []
    for rec, due_on in listed:
        state = states.get(rec.id)
        rows.append(ListRow(rec, state, due_on if state is not None else None))
    return Page(tuple(rows), total, page, pages, per_page)


def decisions_with_recommendations(user: User) -> list[sa.Row[Any]]:
    """Decisions with a recommendation the user may read, newest first: a filter's choices,
    as rows of the few columns it shows (id, reference, title), not ORM objects."""
    ids = visible(sa.select(DecisionPart.decision_id).join(
        Recommendation, Recommendation.part_id == DecisionPart.id), user)
    return list(db.session.execute(
        sa.select(Decision.id, Decision.reference, Decision.title, Decision.decided_on)
        .where(Decision.id.in_(ids)).order_by(Decision.decided_on.desc())))


def owners(user: User) -> list[sa.Row[Any]]:
    """People owning a recommendation the user may read or a live action: a filter's
    choices, as rows (id, name). Asked person by person (EXISTS, by the owner indexes), not
    by reading every action's owner: the two kinds of owner are a union, as PostgreSQL asks
    an EXISTS under OR by a plan of its own, which read every action for each person owning
    none."""
    rec_owner = visible(sa.select(Recommendation.id), user).where(
        Recommendation.owner_id == User.id)
    action_owner = sa.select(Action.id).where(Action.owner_id == User.id,
                                              Action.withdrawn_at.is_(None))
    either = sa.union(sa.select(User.id, User.name).where(rec_owner.exists()),
                      sa.select(User.id, User.name).where(action_owner.exists())).subquery()
    return list(db.session.execute(sa.select(either.c.id, either.c.name)
                                   .order_by(either.c.name, either.c.id)))


def filter_choices(user: User) -> dict[str, list[tuple[str, str]]]:
    """The list's filter choices for this reader, as (value, words): the decisions with a
    recommendation they may read, the owners and the agencies. The same for every reader of
    the role (a partner officer: of their organisation), so stored for the day while
    nothing they read is written (``tracker.dashboard.stored``, kind "choices"), as today's
    figures are: three questions of every recommendation and action become one row."""
    from tracker import clock
    from tracker.dashboard import stored

    body = stored.served(stored.Shown((), clock.today(), None, False), "choices",
                         functools.partial(_choices_body, user), words=scope_words(user))
    return {name: [(value, text) for value, text in pairs]
            for name, pairs in json.loads(body).items()}


def _choices_body(user: User) -> bytes:
    from tracker.decisions.forms import decision_words

    return json.dumps({
        "decisions": [(str(d.id), decision_words(d))
                      for d in decisions_with_recommendations(user)],
        "owners": [(str(u.id), u.name) for u in owners(user)],
        "agencies": [(str(o.id), o.name) for o in agencies(user)]}).encode()


# --- my actions ------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecommendationRef:
    """What names an action's recommendation in a list of actions."""
    id: int
    reference: str | None


@dataclass(frozen=True)
class ActionLine:
    """An action as a list of actions shows it (and its state is judged from): a plain row,
    not the ORM object with its texts and relations."""
    id: int
    recommendation_id: int
    title: str
    owner_id: int | None
    created_at: dt.datetime
    due_on: dt.date
    withdrawn_at: dt.datetime | None
    is_example: bool
    recommendation: RecommendationRef


@dataclass(frozen=True)
class ActionRow:
    action: ActionLine
    state: progress.ActionState

    @property
    def tag(self) -> tuple[str, str]:
        return facts.action_tag(self.state)


def my_actions(user: User, *, today: dt.date) -> dict[str, list[ActionRow]]:
    """The user's open actions, earliest due first: all of them, and those overdue, due in
    the next 14 days, and the rest. A partner officer's are their organisation's
    (tracker.permissions.visible_actions)."""
    query = sa.select(Action.id).join(Recommendation).where(
        Action.withdrawn_at.is_(None), Recommendation.withdrawn_at.is_(None),
        Action.status.in_(OPEN_STATUSES))
    query = visible_actions(query, user) if is_partner(user) else query.where(
        Action.owner_id == user.id)
    rows = list(db.session.execute(query.with_only_columns(
        Action.id, Action.recommendation_id, Action.title, Action.owner_id, Action.created_at,
        Action.due_on, Action.withdrawn_at, Action.is_example, Recommendation.reference,
        *KEPT_COLUMNS).order_by(Action.current_due_on, Action.id)))
    actions = [ActionLine(row.id, row.recommendation_id, row.title, row.owner_id,
                          row.created_at, row.due_on, row.withdrawn_at, row.is_example,
                          RecommendationRef(row.recommendation_id, row.reference))
               for row in rows]
    states = facts.action_states_now(rows, today=today)   # from the kept figures read
    groups: dict[str, list[ActionRow]] = {"all": [], "overdue": [], "due_soon": [],
                                          "later": []}
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    for action in actions:
        state = states[action.id]
        if state is None or not state.counted or state.status == progress.STATUS_COMPLETE:
            continue
        key = ("overdue" if state.overdue else
               "due_soon" if state.current_due_on <= soon else "later")
        groups[key].append(ActionRow(action, state))
        groups["all"].append(ActionRow(action, state))
    return groups


# --- executive responses ---------------------------------------------------------------------
RESPONSES_PER_PAGE = 50  # the executive response table of every decision, a page at a time
ALL_ROWS = 2**31 - 1     # a page that holds every row (one decision's table, whole)


def scrutiny_rows(user: User, *, today: dt.date, decision_id: int | None = None,
                  page: int = 1, per_page: int | None = None) -> Page[Row]:
    """The executive response table's rows: the scrutiny recommendations of one decision, or
    of every decision (and those not yet taken up), by committee and meeting; one page of
    ``per_page`` (None: all of them)."""
    query = visible(sa.select(Recommendation.id), user).where(scrutiny())
    if decision_id is not None:
        query = query.join(DecisionPart).where(DecisionPart.decision_id == decision_id)
    query = query.order_by(*SCRUTINY_ORDER)
    # The page's ids and how many in all in one query (counted_page), read in order from
    # the scrutiny index alone; then the page's recommendations with their responses. The
    # table shows each recommendation and its current response only: no owner, part or
    # decision loaded with each of hundreds of rows. Without per_page, every row on one page.
    found, total, page, pages = counted_page(query, page, per_page or ALL_ROWS)
    ids = [row[0] for row in found]
    loaded = {rec.id: rec for rec in db.session.scalars(
        sa.select(Recommendation).where(Recommendation.id.in_(ids))
        .options(sa.orm.selectinload(Recommendation.responses)))} if ids else {}
    recs = [loaded[i] for i in ids]
    size = per_page or max(total, 1)
    # Today's states from the kept roll-ups (tracker.recommendations.rollups), as plain rows.
    states = rollups.states_now(sa.select(Recommendation.id).where(
        Recommendation.id.in_(ids)), {r.id: r.source for r in recs}, today=today)
    return Page(tuple(Row(r, states.get(r.id)) for r in recs), total, page, pages, size)


# The executive response table's order; the index ix_recommendations_scrutiny holds the live
# scrutiny recommendations in it (with their parts, for who may see them).
SCRUTINY_ORDER = (Recommendation.committee, Recommendation.meeting_on, Recommendation.position,
                  Recommendation.reference, Recommendation.id)


def scrutiny() -> sa.ColumnElement[bool]:
    """A scrutiny recommendation, the source written into the statement so that any plan may
    read the scrutiny index (a partial index; ``tracker.planning``)."""
    return Recommendation.source == written_in("scrutiny", sa.String)


@dataclass(frozen=True)
class DueRow:
    rec: Recommendation
    due_on: dt.date | None
    late: bool
    due_soon: bool


def responses_due(user: User, *, today: dt.date) -> list[DueRow]:
    """Scrutiny recommendations still awaiting the executive's response, due date first."""
    query = visible(sa.select(Recommendation), user).where(
        scrutiny(),
        ~sa.exists().where(ExecutiveResponse.recommendation_id == Recommendation.id),
    ).order_by(Recommendation.response_due_on.nulls_last(), Recommendation.id)
    return [due_row(rec, today) for rec in db.session.scalars(query)]


def due_row(rec: Recommendation, today: dt.date) -> DueRow:
    """When the executive's response to ``rec`` falls due: late after the due date, due soon
    within the 14 days before it (the same days as "my actions")."""
    due = rec.response_due_on
    return DueRow(rec, due, due is not None and today > due,
                  due is not None and today <= due <= today + dt.timedelta(days=DUE_SOON_DAYS))


# --- challenges ------------------------------------------------------------------------------
def _open_challenges() -> sa.Select[Any]:
    return (sa.select(Challenge).join(Recommendation)
            .where(Challenge.answered_at.is_(None), Challenge.withdrawn_at.is_(None),
                   Recommendation.withdrawn_at.is_(None))
            .options(joinedload(Challenge.recommendation), joinedload(Challenge.asked_by))
            .order_by(Challenge.asked_at))


def open_challenges_for_member(user: User) -> list[Challenge]:
    """The open (unanswered) challenges this scrutiny member asked."""
    return list(db.session.scalars(_open_challenges().where(Challenge.asked_by_id == user.id)))


def challenges_to_answer(user: User) -> list[Challenge]:
    """Open challenges this user answers: an officer's on recommendations they own; an
    administrator's: every open challenge."""
    query = _open_challenges()
    if user.role == ADMIN:
        return list(db.session.scalars(query))
    if user.role != OFFICER:
        return []
    return list(db.session.scalars(query.where(Recommendation.owner_id == user.id)))


def open_challenge_counts() -> dict[int, int]:
    """Open challenges per decision (id): for a member's overview of every decision."""
    rows = db.session.execute(
        sa.select(DecisionPart.decision_id, sa.func.count(Challenge.id))
        .join(Recommendation, Challenge.recommendation_id == Recommendation.id)
        .join(DecisionPart, Recommendation.part_id == DecisionPart.id)
        .where(Challenge.answered_at.is_(None), Challenge.withdrawn_at.is_(None),
               Recommendation.withdrawn_at.is_(None))
        .group_by(DecisionPart.decision_id))
    return {decision_id: count for decision_id, count in rows}


# --- history ---------------------------------------------------------------------------------
def history(rec: Recommendation, *, page: int = 1, per_page: int | None = None
            ) -> Page[AuditEvent]:
    """The audit history of a recommendation, its actions, updates, responses and challenges,
    newest first, one page (every progress update is a line of it: a recommendation updated
    weekly for years has hundreds) with how many in all, in one query
    (``audit.history_page``)."""
    keys: list[tuple[str, Sequence[int]]] = [
        ("Recommendation", [rec.id]),
        ("Action", [a.id for a in rec.actions]),
        ("ExecutiveResponse", [r.id for r in rec.responses]),
        ("Challenge", [c.id for c in rec.challenges]),
    ]
    clauses = [sa.and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids))
               for kind, ids in keys if ids]
    if rec.actions:   # its updates, asked in the same query (not loaded to be listed)
        clauses.append(sa.and_(AuditEvent.object_type == "ProgressUpdate",
                               AuditEvent.object_id.in_(sa.select(ProgressUpdate.id).where(
                                   ProgressUpdate.action_id.in_([a.id for a in rec.actions])))))
    return audit.history_page(sa.or_(*clauses), page=page, per_page=per_page)


UPDATES_PER_PAGE = 25   # a recommendation's timeline of progress updates, a page at a time


def timeline(actions: Sequence[Action], *, page: int = 1,
             per_page: int | None = None) -> Page[tuple[Action, ProgressUpdate]]:
    """The progress updates on ``actions`` (the reader's view of a recommendation), newest
    first, one page: a recommendation updated weekly for years has hundreds, and its page
    would grow with every one. Two queries: the page's updates with their authors and how
    many there are in all (:func:`counted_page`), each with whether it has evidence, and
    the evidence of those that have (none asked when none has)."""
    per_page = per_page or UPDATES_PER_PAGE
    by_id = {a.id: a for a in actions}
    ids = sa.select(Action.id).where(Action.id.in_(list(by_id) or [0]))
    found, total, page, pages = counted_page(
        sa.select(ProgressUpdate, ProgressUpdate.evidence.any())
        .where(ProgressUpdate.action_id.in_(ids)).options(joinedload(ProgressUpdate.author))
        .order_by(ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc()), page, per_page)
    facts.fill([(update, has) for update, has, _ in found], ProgressUpdate.evidence)
    return Page(tuple((by_id[u.action_id], u) for u, _, _ in found), total, page, pages,
                per_page)
