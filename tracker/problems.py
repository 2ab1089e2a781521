"""The one exception a service raises for input it refuses: what is wrong, by form field
name, each message shown next to its field by the one save helper
(``tracker.forms.save_form``). Services raise it before their first write, so a refusal
leaves nothing to roll back. A stale edit is ``tracker.audit.StaleEdit``."""
from __future__ import annotations


class FieldProblem(ValueError):
    """``FieldProblem("due_on", "Enter a due date")`` or ``FieldProblem({field: message})``."""

    def __init__(self, field: str | dict[str, str], message: str | None = None):
        if isinstance(field, dict):
            self.errors = dict(field)
        else:
            self.errors = {field: message or ""}
        self.field = next(iter(self.errors), "")
        super().__init__("; ".join(self.errors.values()))


class NotAllowed(Exception):
    """The user may not do this: answered 404, as if the thing were absent."""
