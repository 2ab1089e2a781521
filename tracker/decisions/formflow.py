"""The one way every decisions form is saved: validate, show warnings once, call the
service, and turn a refusal (a problem with a field, or a stale edit) into messages.

The services check before they change anything (``FieldProblem`` and ``StaleEdit`` are
raised before the first write), so a refusal leaves nothing to roll back."""
from __future__ import annotations

from typing import Any, Callable

from tracker.problems import FieldProblem
from tracker.audit import StaleEdit
from tracker.forms import warnings_to_review


def save_form(form: Any, texts: list[str | None] | None, save: Callable[[], Any],
              row: Any = None) -> tuple[bool, list[str]]:
    """Returns (saved, warnings to show). On a refusal the form carries the message.

    ``texts``: the free text to check (terminology, personal data); None for forms without.
    ``row``: the row being edited, so a stale form is given its current version.
    """
    if not form.validate_on_submit():
        return False, []
    if texts is not None:
        warnings = warnings_to_review(form, *texts)
        if warnings:
            return False, warnings
    try:
        save()
    except FieldProblem as problem:
        field = getattr(form, problem.field, None)
        if field is not None:
            field.errors = list(field.errors) + [str(problem)]
        else:
            form.form_errors.append(str(problem))
        return False, []
    except StaleEdit as stale:
        form.form_errors.append(stale.message)
        for name, _, now in stale.changes:
            if name not in ("withdrawn_at", "withdrawn_by_id"):
                shown = "empty" if now in (None, "") else f"“{str(now)[:200]}”"
                form.form_errors.append(f"{name.replace('_', ' ').capitalize()} is now {shown}")
        if row is not None:  # the current version, so saving again (knowingly) works
            form.version_id.data = row.version_id
            form.version_id.raw_data = [str(row.version_id)]
        return False, []
    return True, []
