"""The select widget writes its options in Python (tracker.select_widget, for speed): the
page must be byte for byte what GOV.UK's govukSelect macro writes for the same field."""
from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from hypothesis import given, settings
from hypothesis import strategies as st
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice

from tracker.select_widget import OPTIONS_WORTH_KEEPING, GovSelect, option_html


def _macro(params: dict[str, Any]) -> str:
    """What govukSelect writes (the template govuk_frontend_wtf's own widget renders)."""
    return render_template(GovSelect.template, params=params)


texts = st.text(alphabet=st.sampled_from('aZ 9<>&"\'é–-'), max_size=8)
choices = st.lists(st.tuples(texts, texts), max_size=6)


def _field(pairs: list[tuple[str, str]], data: str | None, errors: list[str],
           description: str) -> Any:
    class Filters(Form):
        pick = SelectField("Pick <one>", choices=[SelectChoice(v, t) for v, t in pairs], widget=GovSelect(),
                           validate_choice=False, description=description)

    form = Filters(data={"pick": data} if data is not None else None)
    form.pick.errors = errors
    return form.pick


@settings(max_examples=60, deadline=None)
@given(pairs=choices, pick=st.integers(min_value=0, max_value=6),
       error=st.sampled_from([[], ["Choose one <now>"]]), hint=st.sampled_from(["", "A hint"]),
       params=st.sampled_from([{}, {"params": {"classes": "govuk-!-width-full"}},
                               {"params": {"label": {"classes": "govuk-label--s"}}}]))
def test_the_select_is_what_govukSelect_writes(app: Flask, pairs: list[tuple[str, str]],
                                                pick: int, error: list[str], hint: str,
                                                params: dict[str, Any]) -> None:
    with app.test_request_context():
        field = _field(pairs, pairs[pick][0] if pick < len(pairs) else None, error, hint)
        widget = field.widget
        written = str(field(**{k: dict(v) for k, v in params.items()}))
        kwargs = {"id": field.id, "items": [
            {"text": label, "value": value, "selected": selected}
            for value, label, selected, _ in field.iter_choices()],
            **{k: dict(v) for k, v in params.items()}}
        assert written == _macro(widget.map_gov_params(field, **kwargs))


def test_an_option_is_written_as_the_macro_writes_it(app: Flask) -> None:
    with app.test_request_context():
        for value, text, selected in [("1", "A & B", True), (True, "Yes", False),
                                      (False, "No", True), (7, "<b>", False),
                                      ("x\"y", "It's", False)]:
            params = {"id": "p", "name": "p", "label": {"text": "P"}, "attributes": {},
                      "items": [{"text": text, "value": value, "selected": selected}]}
            assert option_html(value, text, selected) in _macro(params)


def test_what_is_around_the_options_is_kept_once_per_params(app: Flask) -> None:
    """The macro writes the select's shell once for each set of params; a second field with
    the same params and other choices reuses it and is still what the macro writes."""
    with app.test_request_context():
        app.extensions.pop("select_shells", None)
        for pairs, data in ([("1", "One"), ("2", "Two")], "2"), ([("3", "<Three>")], None):
            field = _field(pairs, data, [], "")
            kwargs = {"id": field.id, "items": [
                {"text": label, "value": value, "selected": selected}
                for value, label, selected, _ in field.iter_choices()]}
            assert str(field()) == _macro(field.widget.map_gov_params(field, **kwargs))
        assert len(app.extensions["select_shells"]) == 1
        errored = _field([("1", "One")], None, ["Choose one"], "")
        assert "Choose one" in str(errored())
        assert len(app.extensions["select_shells"]) == 2


@settings(max_examples=30, deadline=None)
@given(pairs=st.lists(st.tuples(texts, texts), min_size=OPTIONS_WORTH_KEEPING,
                      max_size=OPTIONS_WORTH_KEEPING + 10),
       picks=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=4))
def test_a_long_list_kept_written_is_what_govukSelect_writes_whichever_is_selected(
        app: Flask, pairs: list[tuple[str, str]], picks: list[int]) -> None:
    """The options of a long list are kept written, unselected (per app); each page
    selects its own, and the kept list is never changed by one page's choice."""
    with app.test_request_context():
        app.extensions.pop("select_options", None)
        for pick in [*picks, 99]:       # 99: nothing selected, after the others
            field = _field(pairs, pairs[pick][0] if pick < len(pairs) else None, [], "")
            kwargs = {"id": field.id, "items": [
                {"text": label, "value": value, "selected": selected}
                for value, label, selected, _ in field.iter_choices()]}
            assert str(field()) == _macro(field.widget.map_gov_params(field, **kwargs))
        assert len(app.extensions["select_options"]) == 1
        assert " selected" not in "".join(app.extensions["select_options"].popitem()[1])
