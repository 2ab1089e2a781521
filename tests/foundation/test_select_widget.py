"""The select widget writes its options in Python (tracker.select_widget, for speed): the
page must be byte for byte what GOV.UK's govukSelect macro writes for the same field."""
from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from hypothesis import given, settings
from hypothesis import strategies as st
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice

from tracker.select_widget import GovSelect, option_html


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
