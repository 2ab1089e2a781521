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


@settings(max_examples=40, deadline=None)
@given(value=texts, error=st.sampled_from([[], ["Enter <something>"]]),
       hint=st.sampled_from(["", "A hint"]), checked=st.booleans())
def test_a_kept_widget_is_what_its_macro_writes(app: Flask, value: str, error: list[str],
                                                hint: str, checked: bool) -> None:
    """Text, date and checkbox fields are written once per set of params (kept per app):
    what is served is what the macro writes for those params, whatever was kept before."""
    from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput as Checkbox
    from govuk_frontend_wtf.wtforms_widgets import GovDateInput as Date
    from govuk_frontend_wtf.wtforms_widgets import GovTextInput as Text
    from wtforms import BooleanField, DateField, StringField

    from tracker.forms import GovCheckboxInput, GovDateInput, GovTextInput

    class Filters(Form):
        words = StringField("Words <any>", widget=GovTextInput(), description=hint)
        since = DateField("Since", widget=GovDateInput(), description=hint)
        late = BooleanField("Only late", widget=GovCheckboxInput(), description=hint)

    with app.test_request_context():
        for _ in range(2):    # the second time from what was kept
            form = Filters(data={"words": value, "late": checked})
            form.since.raw_data = [value, "3", "2021"]
            for field, upstream in ((form.words, Text()), (form.since, Date()),
                                    (form.late, Checkbox())):
                field.errors = error
                assert str(field()) == str(upstream(field))
        assert len(app.extensions["widget_html"]) >= 3


def test_a_long_value_typed_in_is_never_kept(app: Flask) -> None:
    from wtforms import StringField

    from tracker.forms import GovTextInput
    from tracker.select_widget import KEPT_VALUE_LENGTH

    class Search(Form):
        words = StringField("Words", widget=GovTextInput())

    with app.test_request_context():
        app.extensions.pop("widget_html", None)
        long = "x" * (KEPT_VALUE_LENGTH + 1)
        assert long in str(Search(data={"words": long}).words())
        assert "widget_html" not in app.extensions or not app.extensions["widget_html"]
        assert 'value="short"' in str(Search(data={"words": "short"}).words())
        assert len(app.extensions["widget_html"]) == 1


def test_a_pages_own_options_are_written_as_the_widget_writes_them(app: Flask) -> None:
    """options_html (a page's own <select>): each option as the widget writes it, the one
    chosen selected, a long list kept and never changed by one page's choice."""
    from tracker.select_widget import options_html

    pairs = [(str(n), f"Decision <{n}> & co") for n in range(OPTIONS_WORTH_KEEPING + 10)]
    with app.test_request_context():
        app.extensions.pop("select_options", None)
        for chosen in ("3", None, "29", "no such"):
            assert str(options_html(pairs, chosen)) == "".join(
                str(option_html(value, text, value == chosen)) for value, text in pairs)
        assert len(app.extensions["select_options"]) == 1
