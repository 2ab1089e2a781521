"""Writing terminology rules. Every change audited in the same transaction."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tracker.problems import FieldProblem
from tracker import audit
from tracker.extensions import db
from tracker.models import TerminologyRule

RULE_FIELDS = ("term", "replacement", "explanation", "source_kind", "decision_id",
               "source_title", "source_url")




def _check(values: dict[str, Any], rule: TerminologyRule | None = None) -> None:
    term = " ".join(values["term"].split()).lower()
    clash = db.session.scalar(sa.select(TerminologyRule).where(
        sa.func.lower(TerminologyRule.term) == term, TerminologyRule.withdrawn_at.is_(None)))
    if clash is not None and clash is not rule:
        raise FieldProblem("term", f"There is already a rule for “{clash.term}”: edit that one")
    if term == " ".join(values["replacement"].split()).lower():
        raise FieldProblem("replacement", "The replacement must differ from the term")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: values.get(k) for k in RULE_FIELDS}
    if out["source_kind"] == "decision":
        out["source_url"] = None
    else:
        out["decision_id"] = None
    return out


def add_rule(values: dict[str, Any]) -> TerminologyRule:
    _check(values)
    rule = TerminologyRule(**_clean(values))
    audit.created(rule, f"Added terminology rule “{rule.term}” → “{rule.replacement}”")
    db.session.commit()
    return rule


def edit_rule(rule: TerminologyRule, values: dict[str, Any], expected_version: int | None) -> None:
    audit.check_version(rule, expected_version)
    _check(values, rule)
    audit.updated(rule, _clean(values), f"Edited terminology rule “{values['term']}”",
                  expected_version)
    db.session.commit()


def withdraw_rule(rule: TerminologyRule, reason: str, expected_version: int | None) -> None:
    audit.withdrawn(rule, reason, f"Withdrew terminology rule “{rule.term}”", expected_version)
    db.session.commit()
