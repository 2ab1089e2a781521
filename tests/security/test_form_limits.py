"""Every text field of every form has a length limit, and going over it gives a message that
says what to do ("... must be N characters or fewer"), not a crash or a silent cut."""
from __future__ import annotations

import importlib
import inspect
import warnings
from pathlib import Path
from typing import Any

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length
from wtforms.widgets import HiddenInput

ROOT = Path(__file__).resolve().parents[2]


def form_classes() -> list[type[FlaskForm]]:
    found: dict[str, type[FlaskForm]] = {}
    for path in sorted((ROOT / "tracker").rglob("forms.py")):
        module = importlib.import_module(
            ".".join(path.relative_to(ROOT).with_suffix("").parts))
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, FlaskForm) and cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[k] for k in sorted(found)]


def text_fields(cls: type[FlaskForm]) -> dict[str, UnboundField]:
    return {name: value for name in dir(cls)
            if isinstance(value := getattr(cls, name, None), UnboundField)
            and issubclass(value.field_class, StringField)}


def _validators(field: UnboundField) -> list[Any]:
    if "validators" in field.kwargs:
        return list(field.kwargs["validators"] or [])
    return list(field.args[1]) if len(field.args) > 1 else []


def length_limit(field: UnboundField) -> Length | None:
    limits = [v for v in _validators(field) if isinstance(v, Length) and v.max > 0]
    return min(limits, key=lambda v: v.max) if limits else None


FORMS = form_classes()

# Fields limited elsewhere, with the reason (and the test that shows it).
LIMITED_ELSEWHERE = {
    "ImportForm.notice_text": "a pasted notice over 1 MB is refused by the notice reader with "
                              "its own message (tests/decisions/test_import_page.py)",
}


def test_the_walk_finds_the_forms():
    names = {f.__name__ for f in FORMS}
    assert {"SignInForm", "UserForm", "AuditFilterForm"} <= names
    assert len(FORMS) >= 10


def hidden(field: UnboundField) -> bool:
    """A value the page carries for the server (a version, a digest), never typed."""
    return issubclass(field.field_class, HiddenField) or \
        isinstance(field.kwargs.get("widget"), HiddenInput)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_every_text_field_has_a_length_limit_with_a_clear_message(form_class):
    problems = []
    for name, field in text_fields(form_class).items():
        limit = length_limit(field)
        if f"{form_class.__name__}.{name}" in LIMITED_ELSEWHERE and \
                form_class.__module__ == "tracker.decisions.forms":
            continue
        if limit is None:
            problems.append(f"{name}: no Length(max=...) validator")
        elif hidden(field):
            continue  # a limit is enough: no one types it, so no one needs to be told
        elif not limit.message or "characters or fewer" not in str(limit.message):
            problems.append(f"{name}: Length message {limit.message!r} does not say "
                            "'... must be N characters or fewer'")
    assert not problems, f"{form_class.__name__}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_going_over_the_limit_is_refused_with_the_message(app, form_class):
    fields = {name: length_limit(f) for name, f in text_fields(form_class).items()
              if not hidden(f)}
    fields = {k: v for k, v in fields.items() if v is not None}
    if not fields:
        pytest.skip(f"{form_class.__name__} has no text fields")
    data = MultiDict({name: "x" * (limit.max + 1) for name, limit in fields.items()})
    with app.test_request_context(method="POST", data=data), warnings.catch_warnings():
        # Other deprecations are their forms' own tests' business; this one is about limits.
        warnings.simplefilter("ignore", DeprecationWarning)
        form = form_class(meta={"csrf": False})
        for field in form:
            if getattr(field, "choices", ()) is None:
                field.choices = []  # choices a view fills in; irrelevant to lengths
        form.validate()
        for name, limit in fields.items():
            errors = [str(e) for e in getattr(form, name).errors]
            assert any(str(limit.message) == e for e in errors), (name, errors)
