"""The one way every form is saved: validate, show text warnings once, call the service,
and turn a refusal into messages on the form, shown again with what the user typed.

Refusals, each shown one way:
- ``tracker.problems.FieldProblem``: each message next to its field (a name the form does
  not have: in the error summary);
- ``tracker.audit.StaleEdit`` (someone saved first): in the error summary, what they
  changed ("Title is now “...” (was “...”)"), and the form takes the current version so saving again is
  a deliberate choice;
- ``tracker.decisions.callin.CallInRefused``: next to the field that asked for the work;
- a concurrent save the database caught (``StaleDataError``): in the error summary;
- ``tracker.problems.NotAllowed``: 404, as if absent (and audited).
A create form given ``once_to`` (its result page) spends its one-time token with the save
(tracker/once.py): a second copy of the form is answered with the first one's result.
Services raise ``FieldProblem`` and ``StaleEdit`` before their first write, so those leave
nothing to undo; after the others, anything written is rolled back.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit import StaleEdit
from tracker.extensions import db
from tracker.forms import warnings_to_review
from tracker.problems import FieldProblem, NotAllowed

Texts = Sequence[str | None] | Callable[[], Sequence[str | None]] | None
CONCURRENT = ("Someone else saved a change to this at the same moment. Nothing of yours was "
              "saved: check and try again.")


@dataclass
class Outcome:
    """What became of a submitted form: saved, or why not (shown on the form again)."""
    saved: bool = False
    warnings: list[str] = field(default_factory=list)
    stale: StaleEdit | None = None
    repeated: str | None = None  # a second copy of a create form: where the first one went


def save_form(form: Any, texts: Texts, save: Callable[[], Any], *,
              valid: Callable[[], bool] | None = None, call_in_field: str = "status",
              ignore_warning: Callable[[str], bool] | None = None,
              once_to: str | None = None) -> Outcome:
    """Validate ``form`` (and ``valid()``, a view's own check), warn once about ``texts``
    (terminology, personal data; None for a form without free text), then ``save()``.
    ``once_to``: a create form's result page (the form is a ``tracker.forms.OnceForm``)."""
    from flask_login import current_user

    from tracker import once
    from tracker.decisions.callin import CallInRefused
    from tracker.permissions import refuse

    if not form.is_submitted():
        return Outcome()
    token = form.once.data if once_to is not None else None
    if token and (first := once.result_of(token, current_user.id)) is not None:
        return Outcome(saved=True, repeated=first)
    ok = form.validate()
    ok = (valid() if valid else True) and ok
    if not ok:
        return Outcome()
    if texts is not None:
        shown = list(texts() if callable(texts) else texts)
        warnings = [w for w in warnings_to_review(form, *shown)
                    if not (ignore_warning and ignore_warning(w))]
        if warnings:
            return Outcome(warnings=warnings)
    try:
        if token:
            once.spend(token, current_user.id, once_to or "")
        save()
    except IntegrityError:
        db.session.rollback()
        if token and (first := once.result_of(token, current_user.id)) is not None:
            return Outcome(saved=True, repeated=first)  # the other copy was saved first
        raise
    except NotAllowed:
        db.session.rollback()
        refuse()
    except FieldProblem as problem:  # raised before the first write: nothing to undo
        for name, message in problem.errors.items():
            add_error(form, name, message)
    except StaleEdit as stale:  # likewise (tracker.audit.check_version comes first)
        show_stale(form, stale)
        return Outcome(stale=stale)
    except CallInRefused as refused:
        db.session.rollback()
        add_error(form, call_in_field, refused.status.reason)
    except StaleDataError:
        db.session.rollback()
        form.form_errors.append(CONCURRENT)
    else:
        return Outcome(saved=True)
    return Outcome()


def add_error(form: Any, name: str, message: str) -> None:
    """``message`` next to the field ``name``; in the error summary if there is none."""
    target = getattr(form, name, None) if name else None
    if target is None or not hasattr(target, "errors"):
        form.form_errors.append(message)
        return
    target.errors = [*target.errors, message]


def _shown(value: Any) -> str:
    return "empty" if value in (None, "") else f"“{str(value)[:200]}”"


def show_stale(form: Any, stale: StaleEdit) -> None:
    """The one way a stale edit is shown: the message, then what changed, in the error
    summary; the form takes the current version, so saving again knowingly works."""
    form.form_errors.append(stale.message)
    for name, before, now in stale.changes:
        if name not in ("withdrawn_at", "withdrawn_by_id"):
            form.form_errors.append(f"{name.replace('_', ' ').capitalize()} is now "
                                    f"{_shown(now)} (was {_shown(before)})")
    if hasattr(form, "version_id") and getattr(stale.obj, "version_id", None) is not None:
        form.version_id.data = stale.obj.version_id
        form.version_id.raw_data = [str(stale.obj.version_id)]
