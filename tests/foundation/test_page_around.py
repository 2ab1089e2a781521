"""A page around a stored body (tracker.web.page_around) is byte for byte the page the
template renders with the body in it, the key to the status colours included."""
from __future__ import annotations

import pytest
from flask import Flask, render_template
from jinja2 import ChoiceLoader, DictLoader
from markupsafe import Markup

from tracker.web import page_around

TEMPLATES = {
    "one.html": '{% extends "layout.html" %}{% block content %}<h1>{{ title }}</h1>'
                '{{ body }}<p>after</p>{% endblock %}',
    "two.html": '{% extends "layout.html" %}{% block content %}{{ second }}<hr>{{ first }}'
                '{% endblock %}',
    "twice.html": '{% extends "layout.html" %}{% block content %}{{ body }}{{ body }}'
                  '{% endblock %}',
}
RAG = '<strong class="govuk-tag govuk-tag--red tracker-rag">Red</strong> – café'


@pytest.fixture()
def templates(app: Flask) -> Flask:
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])
    app.jinja_env.cache = None
    return app


@pytest.mark.parametrize("body", ["<p>No colours – none</p>", RAG, ""])
def test_the_page_is_what_the_template_writes_with_the_body(templates: Flask,
                                                             body: str) -> None:
    with templates.test_request_context():
        written = page_around("one.html", {"body": body.encode()}, title="A & B")
        expected = render_template("one.html", body=Markup(body), title="A & B")
        assert written.get_data() == expected.encode()
        assert written.mimetype == "text/html"
        assert ("Key to the status colours" in expected) == ("tracker-rag" in body)


def test_bodies_go_where_the_template_writes_them_in_any_order(templates: Flask) -> None:
    with templates.test_request_context():
        written = page_around("two.html", {"first": b"<p>1</p>", "second": RAG.encode()})
        expected = render_template("two.html", first=Markup("<p>1</p>"), second=Markup(RAG))
        assert written.get_data() == expected.encode()


def test_a_body_written_twice_or_never_is_refused(templates: Flask) -> None:
    with templates.test_request_context():
        with pytest.raises(ValueError):
            page_around("twice.html", {"body": b"x"})
        with pytest.raises(ValueError):
            page_around("one.html", {"nowhere": b"x"}, body="", title="")
