"""Repeated learning: the existing recommendations most like a text, by the full-text index's
own similarity (docs/search-and-themes.md), and the links administrators record between them.

The salient words of the text (its words less common English words, at most 16) are asked
for as an OR query against the recommendations in the index, ranked by bm25 (SQLite) or
ts_rank (PostgreSQL): a recommendation sharing more of the words (on SQLite, more of the
rarer words) ranks higher.
Only recommendations the person may see are compared (``tracker.search.queries``)."""
from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from tracker import progress
from tracker.extensions import db
from tracker.id_lists import among
from tracker.models import Decision, DecisionPart, Recommendation, RecommendationLink, User
from tracker.permissions import action_scope, scope_words, visible_recommendations
from tracker.recommendations import facts
from tracker.search import queries as search

SALIENT = 16
# Common English words that say nothing about the learning (PostgreSQL's english
# configuration leaves its own stop words out as well).
STOP_WORDS = frozenset("""
a about after all also an and any are as at be been before being between both but by can
could did do does each for from had has have how if in into is it its may more most must no
not of on or other our should so some such than that the their them then there these they
this those through to under up upon was we were what when where which while who will with
would you your all every ensure ensures ensuring including within across review reviews
recommendation recommendations council
""".split())


def salient_words(text: str | None, limit: int = SALIENT) -> list[str]:
    """The words of ``text`` worth comparing: no common words, none shorter than three
    letters, each once, in the order they come."""
    return [w for w in search.words_of(text, limit=400)
            if len(w) >= 3 and w not in STOP_WORDS and not w.isdigit()][:limit]


@dataclass(frozen=True)
class Similar:
    recommendation_id: int
    rank: float


def similar_to(user: User, text: str | None, *, exclude: Sequence[int] = (),
               limit: int = 5) -> list[Similar]:
    """The recommendations most like ``text`` that ``user`` may see, best first (``exclude``:
    the recommendation itself, and those already linked)."""
    words = salient_words(text)
    if not words:
        return []
    rows = search.best(user, words, search.Filters(), limit=limit, any_word=True,
                       kinds=["recommendation"],
                       exclude=[("recommendation", i) for i in exclude])
    return [Similar(r.ref_id, float(r.rank or 0)) for r in rows]


@dataclass(frozen=True)
class Suggestion:
    """A similar recommendation as a recommendation's page lists it, with its status today."""
    id: int
    reference: str
    decision: str | None   # its decision's reference (else title); None: not yet taken up
    text: str
    tag: tuple[str, str]


def suggestions(user: User, rec: Recommendation, *, exclude: Sequence[int],
                today: dt.date) -> list[Suggestion]:
    """:func:`similar_to` ``rec``'s text, as its page lists them (``exclude``: itself and
    those already linked). The same for every reader of the role (a partner officer: of
    their organisation), so stored for the day while nothing they read is written
    (``tracker.dashboard.stored``, kind "similar", as the lists' filter choices are): the
    search ranks every recommendation sharing a word with the text, 80 ms on PostgreSQL at
    the large council's shape, on every page of a recommendation. An edit of a text is
    audited and a new recommendation is a new id, so neither is missed."""
    from tracker.dashboard import stored

    left_out = sorted(set(exclude))
    body = stored.served(
        stored.Shown((), today, None, False), "similar",
        functools.partial(_suggestions_body, user, rec.text, left_out, today),
        words=(*scope_words(user), f"recommendation {rec.id}",
               "excluding " + " ".join(str(i) for i in left_out)))
    return [Suggestion(**{**row, "tag": tuple(row["tag"])}) for row in json.loads(body)]


def _suggestions_body(user: User, text: str | None, exclude: Sequence[int],
                      today: dt.date) -> bytes:
    found = [s.recommendation_id for s in similar_to(user, text, exclude=exclude)]
    if not found:
        return b"[]"
    rows = {row.id: row for row in db.session.execute(
        sa.select(Recommendation.id, Recommendation.reference, Recommendation.text,
                  Decision.reference.label("decision_reference"),
                  Decision.title.label("decision_title"))
        .outerjoin(DecisionPart, Recommendation.part_id == DecisionPart.id)
        .outerjoin(Decision, DecisionPart.decision_id == Decision.id)
        .where(Recommendation.id.in_(found)))}
    states = facts.states_where(Recommendation.id.in_(found), today=today,
                                action_scope=action_scope(user))
    return json.dumps([
        {"id": rid, "reference": rows[rid].reference, "text": rows[rid].text,
         "decision": (rows[rid].decision_reference or rows[rid].decision_title)
         if rows[rid].decision_title is not None else None,
         "tag": facts.rec_tag(states.get(rid))}
        for rid in found if rid in rows]).encode()


# --- links ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinkLine:
    """One link seen from a recommendation: the other one, how they are linked, and whether
    the other is still open (not complete, not closed, by the rules of progress)."""
    link: RecommendationLink
    other: Recommendation
    words: str          # "Repeats", "Repeated by", "Related to"
    tag: tuple[str, str]
    still_open: bool


def _words(link: RecommendationLink, outgoing: bool) -> str:
    if link.kind == "repeats":
        return "Repeats" if outgoing else "Repeated by"
    return "Related to"


def links_of(user: User, rec_ids: Sequence[int], *, today: dt.date,
             as_at: dt.date | None = None) -> dict[int, list[LinkLine]]:
    """For each of ``rec_ids``: its links (either way) to recommendations ``user`` may see,
    as recorded by the end of ``as_at`` (None: now), each with the other's status then. Four
    queries however many."""
    if not rec_ids:
        return {}
    ids = list(rec_ids)
    query = sa.select(RecommendationLink).where(sa.or_(
        among(RecommendationLink.recommendation_id, ids),
        among(RecommendationLink.earlier_id, ids)))
    cutoff = progress.cutoff_for(as_at)
    if cutoff is None:
        query = query.where(RecommendationLink.withdrawn_at.is_(None))
    else:
        query = query.where(RecommendationLink.created_at < cutoff, sa.or_(
            RecommendationLink.withdrawn_at.is_(None), RecommendationLink.withdrawn_at >= cutoff))
    links = list(db.session.scalars(query.order_by(RecommendationLink.id)))
    others = {lk.earlier_id for lk in links} | {lk.recommendation_id for lk in links}
    visible = set(db.session.scalars(visible_recommendations(
        sa.select(Recommendation.id), user).where(among(Recommendation.id, others)))
    ) if others else set()
    recs = {r.id: r for r in facts.load_by_ids(sorted(visible))} if visible else {}
    states = facts.states_where(Recommendation.id.in_(visible), today=today, as_at=as_at,
                                action_scope=action_scope(user)) if visible else {}
    out: dict[int, list[LinkLine]] = {}
    wanted = set(ids)
    for lk in links:
        for mine, other, outgoing in ((lk.recommendation_id, lk.earlier_id, True),
                                      (lk.earlier_id, lk.recommendation_id, False)):
            if mine in wanted and other in recs:
                state = states.get(other)
                out.setdefault(mine, []).append(LinkLine(
                    lk, recs[other], _words(lk, outgoing), facts.rec_tag(state),
                    progress.still_open(state)))
    return out
