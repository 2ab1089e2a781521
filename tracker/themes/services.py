"""Writing themes, the themes of a recommendation and links between recommendations. Every
change is audited in the same transaction (docs/search-and-themes.md)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from tracker import audit
from tracker.extensions import db
from tracker.models import Recommendation, RecommendationLink, Theme, User, recommendation_themes
from tracker.problems import FieldProblem
from tracker.vocab import LINK_KINDS, LINK_LABELS


def _name(values: dict[str, Any]) -> str:
    return " ".join((values.get("name") or "").split())


def _check_name(name: str, theme: Theme | None = None) -> None:
    if not name:
        raise FieldProblem("name", "Enter the theme's name")
    clash = db.session.scalar(sa.select(Theme).where(
        sa.func.lower(Theme.name) == name.lower(), Theme.withdrawn_at.is_(None)))
    if clash is not None and clash is not theme:
        raise FieldProblem("name", f"There is already a theme called “{clash.name}”")


def add_theme(values: dict[str, Any], *, is_example: bool = False) -> Theme:
    name = _name(values)
    _check_name(name)
    theme = Theme(name=name, description=values.get("description") or None,
                  is_example=is_example)
    audit.created(theme, f"Added the theme “{name}”")
    db.session.commit()
    return theme


def edit_theme(theme: Theme, values: dict[str, Any], expected_version: int | None) -> None:
    """Rename a theme (or change its description): its recommendations keep it."""
    audit.check_version(theme, expected_version)
    name = _name(values)
    _check_name(name, theme)
    old = theme.name
    summary = (f"Renamed the theme “{old}” to “{name}”" if name != old
               else f"Edited the theme “{name}”")
    audit.updated(theme, {"name": name, "description": values.get("description") or None},
                  summary, expected_version)
    db.session.commit()


def withdraw_theme(theme: Theme, reason: str, expected_version: int | None) -> None:
    """Withdraw a theme: no longer offered, its page stays for the record."""
    audit.withdrawn(theme, reason, f"Withdrew the theme “{theme.name}”", expected_version)
    db.session.commit()


def theme_ids_of(recommendation_id: int) -> set[int]:
    return set(db.session.scalars(sa.select(recommendation_themes.c.theme_id).where(
        recommendation_themes.c.recommendation_id == recommendation_id)))


def set_themes(rec: Recommendation, theme_ids: Iterable[int], *, commit: bool = True) -> bool:
    """Give ``rec`` exactly these themes (withdrawn themes it already has stay; none can be
    added). Audited as one change with the names before and after. Returns whether anything
    changed."""
    wanted = set(theme_ids)
    live = set(db.session.scalars(sa.select(Theme.id).where(Theme.withdrawn_at.is_(None))))
    if wanted - live:
        raise FieldProblem("themes", "Choose themes from the list")
    before = theme_ids_of(rec.id)
    after = wanted | (before - live)
    if after == before:
        return False
    if before - after:
        db.session.execute(sa.delete(recommendation_themes).where(
            recommendation_themes.c.recommendation_id == rec.id,
            recommendation_themes.c.theme_id.in_(before - after)))
    if after - before:
        db.session.execute(sa.insert(recommendation_themes), [
            {"recommendation_id": rec.id, "theme_id": t} for t in sorted(after - before)])
    names = dict(db.session.execute(sa.select(Theme.id, Theme.name).where(
        Theme.id.in_(before | after))).tuples().all())
    # The ids beside the names: a theme can be renamed, and a withdrawn theme can share a
    # name with one in use, so only the ids say which themes it had (docs/search-and-themes.md).
    audit.record("update", rec, summary=f"Themes of recommendation {rec.reference} changed",
                 before={"themes": sorted(names[t] for t in before),
                         "theme_ids": sorted(before)},
                 after={"themes": sorted(names[t] for t in after), "theme_ids": sorted(after)})
    if commit:
        db.session.commit()
    return True


def link(user: User, rec: Recommendation, earlier: Recommendation, kind: str) -> RecommendationLink:
    """Record that ``rec`` repeats (or is related to) ``earlier``."""
    if kind not in LINK_KINDS:
        raise FieldProblem("kind", "Choose whether it repeats or is related")
    if earlier.id == rec.id:
        raise FieldProblem("earlier", "Choose another recommendation")
    existing = db.session.scalar(sa.select(RecommendationLink).where(
        RecommendationLink.withdrawn_at.is_(None),
        sa.or_(sa.and_(RecommendationLink.recommendation_id == rec.id,
                       RecommendationLink.earlier_id == earlier.id),
               sa.and_(RecommendationLink.recommendation_id == earlier.id,
                       RecommendationLink.earlier_id == rec.id))))
    if existing is not None:
        raise FieldProblem("earlier", f"These two are already linked "
                                      f"({LINK_LABELS[existing.kind].lower()})")
    found = RecommendationLink(recommendation_id=rec.id, earlier_id=earlier.id, kind=kind,
                               linked_by_id=user.id)
    audit.created(found, f"Linked recommendation {rec.reference}: "
                         f"{LINK_LABELS[kind].lower()} {earlier.reference}")
    db.session.commit()
    return found


def unlink(found: RecommendationLink, reason: str) -> None:
    audit.withdrawn(found, reason, "Removed the link between recommendations "
                                   f"{found.recommendation.reference} and {found.earlier.reference}")
    db.session.commit()
