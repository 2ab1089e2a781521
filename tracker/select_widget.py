"""The GOV.UK select, its options written in Python.

``govukSelect`` (govuk-frontend-jinja) writes each option through a Jinja loop that calls
``govukAttributes`` and two filters per option: about 0.1 ms an option, so a filter form
choosing among 200 decisions and 40 owners spent most of its page's time on its options.
This widget asks the macro for everything but the options (label, hint, error, the
``<select>`` tag and the whitespace between options, from two stand-in options) and writes
each option as the macro would. The page is byte for byte what ``govukSelect`` writes
(``tests/foundation/test_select_widget.py`` compares the two).

What the macro writes around the options depends on the params alone (never on the request),
so it is kept per app for each set of params seen (:data:`SHELLS_KEPT` at most): a filter
form's six selects are written once a process, not on every page. A long list of choices
(a filter's decisions and owners, the same on every page of a day) is kept written too, each
option unselected, so a page writes only the options it selects.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import current_app
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput as _GovCheckboxInput
from govuk_frontend_wtf.wtforms_widgets import GovDateInput as _GovDateInput
from govuk_frontend_wtf.wtforms_widgets import GovSelect as _GovSelect
from govuk_frontend_wtf.wtforms_widgets import GovTextInput as _GovTextInput
from markupsafe import Markup

_ITEM_KEYS = {"text", "value", "selected"}   # what GovSelect gives each choice
# Stand-in options: values no choice has, so the macro's output can be cut at them.
_FIRST, _SECOND = "tracker-select-option-1-\u2063", "tracker-select-option-2-\u2063"
# Filled with ``%`` (markupsafe escapes each value): half the cost of ``Markup.format``.
_OPTION = Markup('<option value="%s"%s>%s</option>')
_SELECTED = Markup(" selected")
SHELLS_KEPT = 256   # shells kept per app (params differ by field, error and hint)
OPTIONS_WORTH_KEEPING = 20   # a shorter list is written afresh
OPTION_LISTS_KEPT = 64       # lists of choices kept per app (each a reader's scope's)
_Shell = tuple[Markup, Markup, Markup]   # before the options, between two, after them


def option_html(value: Any, text: Any, selected: bool) -> Markup:
    """One ``<option>`` as govukSelect writes an item {value, text, selected} (its value and
    text escaped)."""
    shown = ("true" if value else "false") if isinstance(value, bool) else value
    return _OPTION % (shown, _SELECTED if selected else "", text)


class GovSelect(_GovSelect):
    """govuk_frontend_wtf's GovSelect, the same bytes, its options written in Python."""

    def render(self, params: dict[str, Any]) -> Markup:
        items = params.get("items") or []
        if not items or any(item.keys() != _ITEM_KEYS for item in items):
            return super().render(params)   # nothing to write, or more than this writes
        shell = self._shell(params)
        if shell is None:
            return super().render(params)   # the macro changed its shape: let it write them
        before, between, after = shell
        return before + between.join(_written(items)) + after

    def _shell(self, params: dict[str, Any]) -> _Shell | None:
        """What the macro writes around the options for these params (kept per app), or
        None when it cannot be cut at the stand-in options."""
        try:
            wanted = _frozen({k: v for k, v in params.items() if k != "items"})
        except TypeError:     # a param that cannot be a key: written afresh
            return self._cut(params)
        shell: _Shell | None = _kept("select_shells", SHELLS_KEPT, wanted,
                                     lambda: self._cut(params))
        return shell

    def _cut(self, params: dict[str, Any]) -> _Shell | None:
        stand_ins = [{"text": _FIRST, "value": _FIRST, "selected": False},
                     {"text": _SECOND, "value": _SECOND, "selected": False}]
        shell = super().render({**params, "items": stand_ins})
        first, second = option_html(_FIRST, _FIRST, False), option_html(_SECOND, _SECOND, False)
        before, found, rest = shell.partition(first)
        between, found_too, after = rest.partition(second)
        if not (found and found_too) or first in after or second in after:
            return None
        return before, between, after   # Markup, as the shell was


def _written(items: list[dict[str, Any]]) -> list[Markup]:
    """Each item's ``<option>`` (its value and text escaped): a long list's from those kept
    (:func:`_kept_options`), only the selected ones written afresh."""
    written = _kept_options(items)
    if written is None:
        return [option_html(item["value"], item["text"], bool(item["selected"]))
                for item in items]
    chosen = [n for n, item in enumerate(items) if item["selected"]]
    if chosen:
        written = list(written)   # the kept list stays unselected
        for n in chosen:
            written[n] = option_html(items[n]["value"], items[n]["text"], True)
    return written


def options_html(pairs: Sequence[Sequence[str]], selected: str | None) -> Markup:
    """``<option>`` elements for (value, words) pairs, the one valued ``selected`` selected,
    as the select widget writes them (kept per app when the list is long): for a page's own
    ``<select>`` (the executive response table's choice of 200 decisions)."""
    return Markup().join(_written([{"value": value, "text": text, "selected": value == selected}
                                   for value, text in pairs]))


def _kept_options(items: list[dict[str, Any]]) -> list[Markup] | None:
    """Each item's ``<option>`` unselected, kept per app for each list of choices seen
    (:data:`OPTION_LISTS_KEPT` at most), or None for a short list or one whose values or
    texts are not plain strings (Markup and booleans are written otherwise). A filter's
    choices (200 decisions, 40 owners) are the same on every page of a day: escaping and
    writing each of them cost a list's page about 1.5 ms."""
    if len(items) < OPTIONS_WORTH_KEEPING:
        return None
    pairs = tuple((item["value"], item["text"]) for item in items)
    if any(type(value) is not str or type(text) is not str for value, text in pairs):
        return None
    written: list[Markup] = _kept("select_options", OPTION_LISTS_KEPT, pairs, lambda: [
        option_html(value, text, False) for value, text in pairs])
    return written


WIDGETS_KEPT = 512          # small widgets' HTML kept per app
KEPT_VALUE_LENGTH = 200     # a longer value typed in is written afresh, never kept


class KeptRender:
    """A GOV.UK widget whose macro's output is kept per app for each set of params seen
    (:data:`WIDGETS_KEPT` at most): the macro's output depends on its params alone. A
    filter form's text, date and checkbox fields are written by Jinja macros, about 0.5 ms
    each (the audit log's filter: 4.7 ms), for the same params on almost every page."""

    template: str

    def render(self, params: dict[str, Any]) -> Markup:
        value = params.get("value")
        if isinstance(value, str) and len(value) > KEPT_VALUE_LENGTH:
            return super().render(params)   # type: ignore[misc, no-any-return]
        try:
            wanted = (self.template, _frozen(params))
        except TypeError:     # a param that cannot be a key: written afresh
            return super().render(params)   # type: ignore[misc, no-any-return]
        html: Markup = _kept("widget_html", WIDGETS_KEPT, wanted,
                             lambda: super(KeptRender, self).render(params))  # type: ignore[misc]
        return html


class GovTextInput(KeptRender, _GovTextInput):
    """govuk_frontend_wtf's GovTextInput, its HTML kept per set of params."""


class GovDateInput(KeptRender, _GovDateInput):
    """govuk_frontend_wtf's GovDateInput, its HTML kept per set of params."""


class GovCheckboxInput(KeptRender, _GovCheckboxInput):
    """govuk_frontend_wtf's GovCheckboxInput, its HTML kept per set of params."""


def _kept(store: str, limit: int, key: Any, make: Callable[[], Any]) -> Any:
    """What ``make()`` gives for ``key``, kept per app in the store named ``store`` (emptied
    once it holds ``limit``): what the macros write depends on their params alone, and a
    list of choices on its values and texts alone, so a kept one is never out of date."""
    kept = current_app.extensions.setdefault(store, {})
    if key not in kept:
        if len(kept) >= limit:
            kept.clear()
        kept[key] = make()
    return kept[key]


def _frozen(value: Any) -> Any:
    """``value`` as a key: dicts and lists as tuples, each leaf with its type (Markup and a
    plain string are written differently). TypeError for what cannot be hashed."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), _frozen(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(_frozen(v) for v in value))
    hash(value)
    return type(value).__name__, value
