"""Searching the full-text index (made and kept in step by migration 0009_themes's triggers;
docs/search-and-themes.md): ranked, highlighted, filtered, and only what the person may see.

Visibility is decided in SQL by ``tracker.permissions`` (``visible_decisions`` and
``visible_recommendations``: an action or an update is seen where its recommendation is), in
the same query as the match, so nothing hidden is ever ranked, counted or shown. The words
people type never reach the match syntax: they are split into words, each quoted (SQLite
FTS5) or read by ``websearch_to_tsquery`` (PostgreSQL). Highlights are marked by the
database with two control characters the tracker never stores (tracker/characters.py), and
turned into ``<mark>`` here around escaped text (``highlight``), so no typed text can become
markup.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa
from markupsafe import Markup, escape

from tracker.extensions import db
from tracker.planning import written_in
from tracker.models import (
    Action, Decision, DecisionPart, ProgressUpdate, Recommendation, User, recommendation_themes,
)
from tracker.permissions import (
    action_scope, is_partner, visible_actions, visible_decisions, visible_recommendations,
)

TABLE = "search_index"   # as made by migration 0009_themes
PG_CONFIG = "english"    # its text search configuration
START, STOP = "\x02", "\x03"  # highlight marks: control characters never stored
KINDS = ("decision", "recommendation", "action", "update")
KIND_NUMBERS = {"decision": 0, "recommendation": 1, "action": 2, "update": 3}  # SQLite rowid = id × 4 + number
_KIND_OF = {number: kind for kind, number in KIND_NUMBERS.items()}
KIND_LABELS = {"decision": "Decision", "recommendation": "Recommendation",
               "action": "Action", "update": "Progress update"}
MAX_WORDS = 12
CANDIDATES = 100  # the best matches the status filter (a computed thing) is applied to
_WORD = re.compile(r"\w+", re.UNICODE)

index = sa.table(TABLE, sa.column("kind", sa.String), sa.column("ref_id", sa.Integer),
                 sa.column("title", sa.Text), sa.column("body", sa.Text))


def words_of(text: str | None, limit: int = MAX_WORDS) -> list[str]:
    """The words of what was typed (letters and digits), at most ``limit``, lower case,
    each once."""
    seen: list[str] = []
    for word in _WORD.findall((text or "").lower()):
        word = word.strip("_")
        if word and word not in seen:
            seen.append(word)
    return seen[:limit]


def highlight(marked: str | None) -> Markup:
    """Text the database marked with START/STOP as HTML: every piece escaped, the marked
    pieces in ``<mark>``. Balanced whatever the text holds."""
    out: list[Markup] = []
    inside = False
    for piece in re.split(f"([{START}{STOP}])", marked or ""):
        if piece == START:
            inside = True
        elif piece == STOP:
            inside = False
        elif piece:  # Markup's format and escape() escape the text; only <mark> is markup
            out.append(Markup("<mark>{}</mark>").format(piece) if inside else escape(piece))
    return Markup("").join(out)


class Match(NamedTuple):
    kind: str
    ref_id: int
    rank: float  # lower is better, on both databases


@dataclass(frozen=True)
class Filters:
    decision_id: int | None = None
    theme_id: int | None = None
    owner_id: int | None = None
    status: str | None = None   # a key of tracker.recommendations.queries.STATUS_FILTERS


@dataclass(frozen=True)
class Hit:
    kind: str
    ref_id: int
    rank: float
    title: Markup
    body: Markup
    recommendation_id: int | None
    decision_id: int | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


# --- the match, per database ---------------------------------------------------------------------
# Two steps, so the cost does not grow with who may see what: the index alone ranks the
# matches (the database's full-text code, fast however many match) and hands over the best
# ones a batch at a time; the batch is then narrowed to what the person may see (one query per
# kind, on the batch's ids only); only the entries kept are highlighted.
_kind = sa.literal_column(f"{TABLE}.kind")
_ref = sa.literal_column(f"{TABLE}.ref_id")


def _fts_query(terms: Sequence[str], any_word: bool,
               kinds: Sequence[str] = KINDS) -> str:
    """FTS5: each word quoted (a phrase of one word: no operator can be typed), in the title
    and body only; all words, or any with ``any_word``; narrowed to ``kinds`` by the index's
    own kind column when not every kind is wanted."""
    words = (" OR " if any_word else " ").join('"' + t.replace('"', '""') + '"' for t in terms)
    query = f"{{title body}} : ({words})"
    if set(kinds) != set(KINDS):
        query = f"kind : ({' OR '.join(kinds)}) AND {query}"
    return query


def _tsquery(terms: Sequence[str], any_word: bool) -> Any:
    """PostgreSQL: the words read by websearch_to_tsquery (no syntax error is possible),
    joined by "or" with ``any_word``. The words are written into the statement
    (``tracker.planning``): planned once for any words, the similar search read every
    recommendation's document (60 to 90 ms where a plan for its words takes 15)."""
    text = (" or " if any_word else " ").join(terms)
    return sa.func.websearch_to_tsquery(PG_CONFIG, written_in(text, sa.Text))


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _ranked(terms: Sequence[str], any_word: bool, kinds: Sequence[str], offset: int,
            count: int) -> list[Match]:
    """(kind, ref_id, rank) of the ``count`` best matches after ``offset``, lower rank first:
    SQLite's bm25 with the title ten times the body; PostgreSQL's ts_rank_cd over the
    weighted document, negated. Ties by kind and id, so batches never overlap."""
    if _postgresql():
        document = sa.literal_column(f"{TABLE}.document")
        # Any word (similar texts): ts_rank, by the words' weights and frequency. Cover
        # density (ts_rank_cd) weighs how near together the words are, which says nothing
        # of two texts' likeness and cost 60 of 62 ms at the council shape's 3,000.
        ranking = sa.func.ts_rank if any_word else sa.func.ts_rank_cd
        rank = -ranking(document, _tsquery(terms, any_word))
        query = sa.select(_kind.label("kind"), _ref.label("ref_id"), rank.label("rank")) \
            .select_from(sa.text(TABLE)).where(document.op("@@")(_tsquery(terms, any_word)))
        if list(kinds) == ["recommendation"]:  # written out, so its partial index is used
            query = query.where(sa.text(f"{TABLE}.kind = 'recommendation'"))
        elif set(kinds) != set(KINDS):
            query = query.where(_kind.in_(list(kinds)))
        rows = db.session.execute(query.order_by(rank, _kind, _ref).offset(offset).limit(count))
        return [Match(r.kind, r.ref_id, float(r.rank or 0)) for r in rows]
    # SQLite: only the rowid and the rank are read for every match (the kind and id are in
    # the rowid: id × 4 + the kind's number), so ranking touches no stored text.
    rowid = sa.literal_column(f"{TABLE}.rowid")
    rank = sa.literal_column(f"bm25({TABLE}, 10.0, 1.0, 0.0, 0.0)")
    query = sa.select(rowid.label("rowid"), rank.label("rank")).select_from(sa.text(TABLE)) \
        .where(sa.text(f"{TABLE} MATCH :match").bindparams(
            match=_fts_query(terms, any_word, kinds)))
    rows = db.session.execute(query.order_by(rank, rowid).offset(offset).limit(count))
    return [Match(_KIND_OF[r.rowid % 4], r.rowid // 4, float(r.rank or 0)) for r in rows]


def _marked(terms: Sequence[str], keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int],
                                                                          tuple[str, str]]:
    """The title and an excerpt of the body of each entry, the matched words between START
    and STOP (SQLite: highlight() and snippet(); PostgreSQL: ts_headline())."""
    if not keys:
        return {}
    which = sa.or_(*[sa.and_(_kind == k, _ref.in_(sorted(i for kk, i in keys if kk == k)))
                     for k in {k for k, _ in keys}])
    if _postgresql():
        query = _tsquery(terms, False)
        title = sa.func.ts_headline(PG_CONFIG, sa.literal_column(f"{TABLE}.title"), query,
                                    f"StartSel={START}, StopSel={STOP}, HighlightAll=true")
        body = sa.func.ts_headline(
            PG_CONFIG, sa.literal_column(f"{TABLE}.body"), query,
            f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2")
        select = sa.select(_kind, _ref, title, body).select_from(sa.text(TABLE)).where(which)
    else:
        select = sa.select(
            _kind, _ref, sa.literal_column(f"highlight({TABLE}, 0, '{START}', '{STOP}')"),
            sa.literal_column(f"snippet({TABLE}, 1, '{START}', '{STOP}', '…', 16)"),
        ).select_from(sa.text(TABLE)).where(
            sa.text(f"{TABLE} MATCH :match").bindparams(match=_fts_query(terms, True)),
            sa.literal_column(f"{TABLE}.rowid").in_(
                sorted(ref * 4 + KIND_NUMBERS[kind] for kind, ref in keys)))
    return {(k, r): (t, b) for k, r, t, b in db.session.execute(select)}


# --- what each entry belongs to, and who may see it ------------------------------------------------
def _recommendations(user: User, f: Filters) -> sa.Select[Any]:
    """The recommendations (ids) the user may see, narrowed by decision and theme."""
    query = visible_recommendations(sa.select(Recommendation.id), user)
    if f.decision_id is not None:
        query = query.where(Recommendation.part_id.in_(
            sa.select(DecisionPart.id).where(DecisionPart.decision_id == f.decision_id)))
    if f.theme_id is not None:
        query = query.where(Recommendation.id.in_(
            sa.select(recommendation_themes.c.recommendation_id)
            .where(recommendation_themes.c.theme_id == f.theme_id)))
    return query


def allowed(user: User, f: Filters, keys: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
    """Those of ``keys`` (kind, id) the user may see, within the filters: the rules of
    ``tracker.permissions`` (an action or an update is seen where its recommendation is and
    ``visible_actions`` keeps it: a partner officer sees only their organisation's; not once
    withdrawn; a partner officer sees no decisions). Every query is on the ids of ``keys`` only, so the cost does not grow
    with the data."""
    by_kind: dict[str, set[int]] = {}
    for kind, ref in keys:
        by_kind.setdefault(kind, set()).add(ref)
    kept: set[tuple[str, int]] = set()
    # A partner officer opens no decision page: decisions never appear in their results.
    if by_kind.get("decision") and f.theme_id is None and f.owner_id is None \
            and not is_partner(user):
        decisions = visible_decisions(user, sa.select(Decision.id)).where(
            Decision.id.in_(by_kind["decision"]))
        if f.decision_id is not None:
            decisions = decisions.where(Decision.id == f.decision_id)
        kept |= {("decision", i) for i in db.session.scalars(decisions)}
    action_of: dict[int, int] = {}
    if by_kind.get("update"):
        action_of = dict(db.session.execute(
            sa.select(ProgressUpdate.id, ProgressUpdate.action_id)
            .where(ProgressUpdate.id.in_(by_kind["update"]))).tuples().all())
    action_ids = by_kind.get("action", set()) | set(action_of.values())
    actions: dict[int, tuple[int, int | None]] = {}  # live action -> (recommendation, owner)
    if action_ids:
        actions = {aid: (rid, owner) for aid, rid, owner in db.session.execute(visible_actions(
            sa.select(Action.id, Action.recommendation_id, Action.owner_id)
            .where(Action.id.in_(action_ids), Action.withdrawn_at.is_(None)), user))}
    rec_ids = by_kind.get("recommendation", set()) | {rid for rid, _ in actions.values()}
    seen: set[int] = set()
    rec_owner: dict[int, int | None] = {}
    owns_an_action: set[int] = set()
    if rec_ids:
        scope = Filters(decision_id=f.decision_id, theme_id=f.theme_id)
        for rid, owner in db.session.execute(
                _recommendations(user, scope).add_columns(Recommendation.owner_id)
                .where(Recommendation.id.in_(rec_ids))):
            seen.add(rid)
            rec_owner[rid] = owner
        if f.owner_id is not None and by_kind.get("recommendation"):
            owns_an_action = set(db.session.scalars(sa.select(Action.recommendation_id).where(
                Action.recommendation_id.in_(by_kind["recommendation"]),
                Action.owner_id == f.owner_id, Action.withdrawn_at.is_(None))))

    def action_ok(aid: int) -> bool:
        if aid not in actions or actions[aid][0] not in seen:
            return False
        rid, owner = actions[aid]
        return f.owner_id is None or f.owner_id in (owner, rec_owner.get(rid))

    for rid in by_kind.get("recommendation", ()):
        if rid in seen and (f.owner_id is None or rec_owner.get(rid) == f.owner_id
                            or rid in owns_an_action):
            kept.add(("recommendation", rid))
    kept |= {("action", aid) for aid in by_kind.get("action", ()) if action_ok(aid)}
    kept |= {("update", uid) for uid, aid in action_of.items() if action_ok(aid)}
    return kept


def best(user: User, terms: Sequence[str], f: Filters, *, limit: int, any_word: bool = False,
         kinds: Sequence[str] = KINDS, exclude: Iterable[tuple[str, int]] = ()) -> list[Any]:
    """The ``limit`` best matches the user may see (rows of kind, ref_id, rank), reading the
    ranked matches a batch at a time until enough are kept or none are left."""
    found: list[Any] = []
    skip = set(exclude)
    batch = max(limit * 4, 100)
    offset = 0
    while len(found) < limit:
        rows = _ranked(terms, any_word, kinds, offset, batch)
        keep = allowed(user, f, [(r.kind, r.ref_id) for r in rows])
        found += [r for r in rows if (r.kind, r.ref_id) in keep
                  and (r.kind, r.ref_id) not in skip]
        if len(rows) < batch:
            break
        offset += batch
    return found[:limit]


def _owners(hits: Sequence[Any]) -> dict[tuple[str, int], tuple[int | None, int | None]]:
    """(kind, id) -> (recommendation id, decision id) for the hits, in three queries."""
    by_kind: dict[str, list[int]] = {}
    for row in hits:
        by_kind.setdefault(row.kind, []).append(row.ref_id)
    found: dict[tuple[str, int], tuple[int | None, int | None]] = {}
    for did in by_kind.get("decision", ()):
        found[("decision", did)] = (None, did)
    rec_ids = set(by_kind.get("recommendation", ()))
    action_rec: dict[int, int] = {}
    if by_kind.get("update"):
        for uid, aid, rid in db.session.execute(
                sa.select(ProgressUpdate.id, Action.id, Action.recommendation_id)
                .join(Action, ProgressUpdate.action_id == Action.id)
                .where(ProgressUpdate.id.in_(by_kind["update"]))):
            found[("update", uid)] = (rid, None)
            rec_ids.add(rid)
    if by_kind.get("action"):
        action_rec = dict(db.session.execute(
            sa.select(Action.id, Action.recommendation_id)
            .where(Action.id.in_(by_kind["action"]))).tuples().all())
        rec_ids |= set(action_rec.values())
    decision_of = dict(db.session.execute(
        sa.select(Recommendation.id, DecisionPart.decision_id)
        .outerjoin(DecisionPart, Recommendation.part_id == DecisionPart.id)
        .where(Recommendation.id.in_(rec_ids))).tuples().all()) if rec_ids else {}
    for rid in by_kind.get("recommendation", ()):
        found[("recommendation", rid)] = (rid, decision_of.get(rid))
    for aid, rid in action_rec.items():
        found[("action", aid)] = (rid, decision_of.get(rid))
    for key, (rid, _) in list(found.items()):
        if key[0] == "update" and rid is not None:
            found[key] = (rid, decision_of.get(rid))
    return found


def search(user: User, text: str | None, f: Filters = Filters(), *, today: dt.date,
           limit: int = 50, kinds: Sequence[str] = KINDS) -> list[Hit]:
    """The entries matching every word of ``text`` that ``user`` may see within ``f``, best
    first (ties by kind and id, so the order is stable), with highlights."""
    terms = words_of(text)
    if not terms:
        return []
    wanted = [k for k in kinds if f.status is None or k != "decision"]
    rows = best(user, terms, f, limit=CANDIDATES if f.status else limit, kinds=wanted)
    owners = _owners(rows)
    if f.status is not None:
        rows = _with_status(user, rows, owners, f.status, today)[:limit]
    marks = _marked(terms, [(r.kind, r.ref_id) for r in rows])
    return [Hit(r.kind, r.ref_id, float(r.rank or 0),
                highlight(marks.get((r.kind, r.ref_id), ("", ""))[0]),
                highlight(marks.get((r.kind, r.ref_id), ("", ""))[1]),
                *owners.get((r.kind, r.ref_id), (None, None))) for r in rows]


def _with_status(user: User, rows: Sequence[Any],
                 owners: dict[tuple[str, int], tuple[int | None, int | None]],
                 status: str, today: dt.date) -> list[Any]:
    """The hits whose recommendation has ``status`` by the rules of progress, over the
    actions ``user`` may see (``permissions.action_scope``)."""
    from tracker.recommendations import facts
    from tracker.recommendations.queries import STATUS_FILTERS, _matches

    if status not in STATUS_FILTERS:
        return list(rows)
    rec_ids = {owners.get((r.kind, r.ref_id), (None, None))[0] for r in rows} - {None}
    states = facts.states_where(Recommendation.id.in_(rec_ids), today=today,
                                action_scope=action_scope(user)) if rec_ids else {}
    keep = {rid for rid, state in states.items() if _matches(state, status)}
    return [r for r in rows if owners.get((r.kind, r.ref_id), (None, None))[0] in keep]


def names_of(hits: Sequence[Hit]) -> dict[tuple[str, int], str]:
    """What each hit's page calls the thing it belongs to: a recommendation's reference and its
    decision's reference or title; for an update, its action's title."""
    names: dict[tuple[str, int], str] = {}
    rec_ids = {h.recommendation_id for h in hits} - {None}
    if rec_ids:
        for rid, ref, dref, dtitle in db.session.execute(
                sa.select(Recommendation.id, Recommendation.reference, Decision.reference,
                          Decision.title)
                .outerjoin(DecisionPart, Recommendation.part_id == DecisionPart.id)
                .outerjoin(Decision, DecisionPart.decision_id == Decision.id)
                .where(Recommendation.id.in_(rec_ids))):
            names[("recommendation", rid)] = (
                f"Recommendation {ref}" + (f" of {dref or dtitle}" if dtitle else ""))
    update_ids = [h.ref_id for h in hits if h.kind == "update"]
    if update_ids:
        for uid, title in db.session.execute(
                sa.select(ProgressUpdate.id, Action.title)
                .join(Action, ProgressUpdate.action_id == Action.id)
                .where(ProgressUpdate.id.in_(update_ids))):
            names[("update", uid)] = f"Progress update on “{title}”"
    return names
