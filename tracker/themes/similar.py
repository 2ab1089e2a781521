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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracker import progress
from tracker.extensions import db
from tracker.id_lists import among
from tracker.dashboard import stored
from tracker.models import (
    Action, Decision, DecisionPart, Recommendation, RecommendationLink, Theme, User,
)
from tracker.permissions import action_scope, is_partner, scope_words, visible_recommendations
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


def _suggestions(user: User, text: str | None, exclude: Sequence[int]) -> list[dict[str, Any]]:
    """:func:`similar_to` ``text`` as the page lists them (id, reference, source, decision,
    text), best first; their status is the page's to read (:func:`learning`)."""
    found = [s.recommendation_id for s in similar_to(user, text, exclude=exclude)]
    if not found:
        return []
    rows = {row.id: row for row in db.session.execute(
        sa.select(Recommendation.id, Recommendation.reference, Recommendation.text,
                  Recommendation.source, Decision.reference.label("decision_reference"),
                  Decision.title.label("decision_title"))
        .outerjoin(DecisionPart, Recommendation.part_id == DecisionPart.id)
        .outerjoin(Decision, DecisionPart.decision_id == Decision.id)
        .where(Recommendation.id.in_(found)))}
    return [_listed(rows[rid], rows[rid].decision_reference, rows[rid].decision_title)
            for rid in found if rid in rows]


def _listed(rec: Any, decision_reference: str | None, decision_title: str | None
            ) -> dict[str, Any]:
    """A recommendation (or a row of its columns) as the learning lists it, its status
    left to the page (:func:`learning`)."""
    return {"id": rec.id, "reference": rec.reference, "text": rec.text, "source": rec.source,
            "decision": _decision_words(decision_reference, decision_title)}


def _decision_words(reference: str | None, title: str | None) -> str | None:
    """How a recommendation's decision is named beside it: its reference, else its title
    (None: not yet taken up under a decision)."""
    return (reference or title) if title is not None else None


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


def _links_seen(user: User, rec_ids: Sequence[int], as_at: dt.date | None
                ) -> tuple[list[RecommendationLink], dict[int, Recommendation]]:
    """The live links (as recorded by the end of ``as_at``; None: now) of ``rec_ids``, either
    way, and the recommendations at their ends that ``user`` may see (three queries)."""
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
    return links, recs


def links_of(user: User, rec_ids: Sequence[int], *, today: dt.date,
             as_at: dt.date | None = None) -> dict[int, list[LinkLine]]:
    """For each of ``rec_ids``: its links (either way) to recommendations ``user`` may see,
    as recorded by the end of ``as_at`` (None: now), each with the other's status then. Four
    queries however many."""
    if not rec_ids:
        return {}
    links, recs = _links_seen(user, rec_ids, as_at)
    states = facts.states_where(Recommendation.id.in_(sorted(recs)), today=today, as_at=as_at,
                                action_scope=action_scope(user)) if recs else {}
    out: dict[int, list[LinkLine]] = {}
    for mine, lk, other, words in _ends(links, recs, rec_ids):
        state = states.get(other.id)
        out.setdefault(mine, []).append(LinkLine(lk, other, words, facts.rec_tag(state),
                                                 progress.still_open(state)))
    return out


def _ends(links: Sequence[RecommendationLink], recs: dict[int, Recommendation],
          rec_ids: Sequence[int]) -> Iterator[tuple[int, RecommendationLink, Recommendation, str]]:
    """Each link seen from each of ``rec_ids`` at one end, to a recommendation of ``recs``
    at the other: (the one it is seen from, the link, the other, how it reads)."""
    wanted = set(rec_ids)
    for lk in links:
        for mine, other, outgoing in ((lk.recommendation_id, lk.earlier_id, True),
                                      (lk.earlier_id, lk.recommendation_id, False)):
            if mine in wanted and other in recs:
                yield mine, lk, recs[other], _words(lk, outgoing)


# --- the recommendation page's learning: themes, links and similar ones, stored ------------------
@dataclass(frozen=True)
class ThemeLine:
    id: int
    name: str
    is_withdrawn: bool


@dataclass(frozen=True)
class LinkView:
    """A :class:`LinkLine` as the page shows it."""
    id: int
    kind: str
    words: str
    other: Suggestion
    still_open: bool


@dataclass(frozen=True)
class Learning:
    themes: tuple[ThemeLine, ...]
    links: tuple[LinkView, ...]
    similar: tuple[Suggestion, ...]


# What a learning body reads (``tracker.dashboard.stored.Reads``): texts, decisions, links and
# themes, not progress, so a progress update does not rebuild it (its statuses are read per
# request). Giving a recommendation themes is audited as a change of it. A partner officer
# sees the recommendations their organisation owns an action of: actions too.
LEARNING_READS = stored.Reads.of(Decision, DecisionPart, Recommendation, RecommendationLink,
                                 Theme)
PARTNER_LEARNING_READS = stored.Reads.of(*LEARNING_READS.tables, Action)


def learning(user: User, rec: Recommendation, *, today: dt.date) -> Learning:
    """What a recommendation's page shows of its learning: its themes, its links (either
    way) to recommendations the reader may see, and the most similar ones not yet linked
    (:func:`similar_to`), each with its status today. Which they are is the same for every
    reader of the role (a partner officer: of their organisation), so stored for the day
    while none of the texts, decisions, links and themes it reads is written
    (``tracker.dashboard.stored``, kind "learning", :data:`LEARNING_READS`): the search
    ranks every recommendation sharing a word with the text, 80 ms on PostgreSQL at the
    large council's shape, on every page of a recommendation. An edit of a text, a theme
    given or renamed, a link made or removed are audited and a new recommendation is a new
    id, so none is missed. Their statuses are read per request from the kept roll-ups (one
    question, ``queries.states_today``: a partner officer's over their agency's actions,
    from the history), so progress recorded since is shown at once and rebuilds nothing."""
    from tracker.recommendations.queries import states_today

    body = json.loads(stored.served(
        stored.Shown((), today, None, False), "learning",
        functools.partial(_learning_body, user, rec.id, rec.text),
        words=(*scope_words(user), f"recommendation {rec.id}"),
        reads=PARTNER_LEARNING_READS if is_partner(user) else LEARNING_READS))
    sources = {row["id"]: row["source"]
               for row in [*(link["other"] for link in body["links"]), *body["similar"]]}
    states = states_today(sa.select(Recommendation.id).where(
        Recommendation.id.in_(sorted(sources))), sources, user, today=today) if sources else {}

    def suggestion(row: dict[str, Any]) -> Suggestion:
        return Suggestion(**{k: v for k, v in row.items() if k != "source"},
                          tag=facts.rec_tag(states.get(row["id"])))

    return Learning(
        themes=tuple(ThemeLine(**row) for row in body["themes"]),
        links=tuple(LinkView(**{**row, "other": suggestion(row["other"]), "still_open":
                                progress.still_open(states.get(row["other"]["id"]))})
                    for row in body["links"]),
        similar=tuple(suggestion(row) for row in body["similar"]))


def _learning_body(user: User, rec_id: int, text: str | None) -> bytes:
    """Which themes, links and similar recommendations a recommendation's page shows, without
    their statuses (:func:`learning` reads those)."""
    from tracker.themes.queries import themes_of

    links, recs = _links_seen(user, [rec_id], None)
    ends = [(lk, other, words) for _, lk, other, words in _ends(links, recs, [rec_id])]
    return json.dumps({
        "themes": [{"id": t.id, "name": t.name, "is_withdrawn": t.is_withdrawn}
                   for t in themes_of(rec_id)],
        "links": [{"id": lk.id, "kind": lk.kind, "words": words, "other": _listed(
                       other, *((other.part.decision.reference, other.part.decision.title)
                                if other.part is not None else (None, None)))}
                  for lk, other, words in ends],
        "similar": _suggestions(user, text, [rec_id] + [other.id for _, other, _ in ends])
    }).encode()
