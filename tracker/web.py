"""Request-wide behaviour: who is signed in, headers, template helpers, error pages."""
from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any

from flask import Flask, Response, g, render_template
from flask_login import current_user
from markupsafe import Markup

from tracker import history_words, params, permissions, security, select_widget, vocab
from tracker.clock import to_london
from tracker.extensions import db, login_manager
from tracker.models import User
from tracker.progress import format_share


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)

    security.init_app(app)  # headers, proxy trust, session lifetime
    params.init_app(app)  # ids bounded to the database's, unreadable query strings refused
    app.context_processor(template_globals)
    for name, func in FILTERS.items():
        app.add_template_filter(func, name)
    app.jinja_env.globals["history_rows"] = history_words.history_rows  # history tables in words
    app.jinja_env.globals["options_html"] = select_widget.options_html   # a page's own <select>
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, error_page)


def load_user(session_id: str) -> User | None:
    """Sessions carry "id:session_version": a bumped version ends every copy of a session."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def error_page(error: Any) -> tuple[str, int]:
    """The error page, with the request's id for the person to quote (tracker.logs)."""
    code = getattr(error, "code", 500) or 500
    if code == 500:
        db.session.rollback()
    if g.get("request_id") is None:
        g.request_id = uuid.uuid4().hex
    return render_template("errors/error.html", code=code, error=error,
                           request_id=g.request_id), code


def template_globals() -> dict[str, Any]:
    from flask import current_app
    return {
        "navigation_items": navigation_items,
        "may_open": may_open,
        "permissions": permissions,
        "vocab": vocab,
        "service_name": current_app.config["SERVICE_NAME"],
        "council_name": current_app.config["COUNCIL_NAME"],
    }


NAVIGATION = (
    # (endpoint, text): each link shows to the roles its page admits (its @roles), so the
    # menu never disagrees with the role table in tracker.permissions.
    ("main.home", "Home"),
    ("decisions.list_decisions", "Decisions"),
    ("recommendations.list_recommendations", "Recommendations"),
    ("themes.list_themes", "Themes"),
    ("search.search", "Search"),
    ("schools.list_schools", "Schools"),
    ("dashboard.show_dashboard", "Dashboard"),
    ("dashboard.committee_report", "Committee report"),
    ("users.list_users", "Users"),
    ("organisations.list_organisations", "Organisations"),
    ("terminology.list_rules", "Terminology"),
    ("admin_tools.audit_log", "Audit log"),
    ("messages.list_rounds", "Update rounds"),
    ("messages.list_messages", "Messages"),
    ("auth.account", "Your account"),
)


def may_open(endpoint: str) -> bool:
    """Whether the signed-in user's role may open the page (its ``@roles``)."""
    from flask import current_app
    return current_user.role in current_app.view_functions[endpoint].allowed_roles


def navigation_items() -> list[dict[str, str]]:
    """Links to the pages the signed-in user's role may open."""
    from flask import url_for
    return [{"href": url_for(endpoint), "text": text} for endpoint, text in NAVIGATION
            if may_open(endpoint)]


def format_date(value: dt.date | dt.datetime | None, empty: str = "Not given") -> str:
    if value is None:
        return empty
    if isinstance(value, dt.datetime):
        value = to_london(value).date()
    return _date_words(value)


@functools.lru_cache(maxsize=8192)
def _date_words(day: dt.date) -> str:
    """"5 March 2024". Remembered: ``strftime`` costs some 10 microseconds here, and a long
    page (the committee report, the decision page's late list) writes thousands of dates."""
    return f"{day.day} {day:%B %Y}"


def format_datetime(value: dt.datetime | None, empty: str = "Not given") -> str:
    if value is None:
        return empty
    local = to_london(value)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not known")  # type: ignore[arg-type]


def paragraphs(value: str | None) -> Markup:
    """Escape text and keep its paragraphs."""
    from markupsafe import escape
    if not value:
        return Markup("")
    parts = [p.strip() for p in str(value).split("\n\n") if p.strip()]
    return Markup("").join(
        Markup('<p class="govuk-body">') + Markup("<br>").join(escape(line) for line in p.split("\n"))
        + Markup("</p>") for p in parts)


FILTERS = {
    "share": format_share,  # a share of a total in words: "67%", or "–" for 0 of 0
    "date": format_date,
    "datetime": format_datetime,
    "yes_no": yes_no,
    "paragraphs": paragraphs,
}


HISTORY_PAGE = "history_page"   # the query parameter naming a page of a history


def history_shown(obj: Any) -> Any:
    """The page of ``obj``'s history the request asks for (``?history_page=``; the
    ``paged_history`` macro's pages link there): ``audit.history_of``."""
    from tracker.audit import history_of

    return history_of(obj, page=params.page_arg(HISTORY_PAGE))


def page_around(template: str, bodies: dict[str, bytes], **context: Any) -> Response:
    """The page ``template`` renders with each of ``bodies`` (HTML our own templates wrote,
    as UTF-8: a stored body, ``tracker.dashboard.stored``) where the template writes the
    variable of its name. The template is rendered around a stand-in for each and the
    bytes put in its place: a page of a megabyte is not decoded, copied through the
    template and encoded again. The bytes are what rendering with the body would write: the
    layout is told whether a body shows a status colour (``rag_in_stored_body``: it then
    writes the key to the colours, as it does when its content shows one)."""
    stand_ins = {name: _STAND_IN.format(name) for name in bodies}
    html = render_template(template, **context, **{
        name: Markup(mark) for name, mark in stand_ins.items()},  # nosec B704  # our marks
        rag_in_stored_body=any(_RAG in body for body in bodies.values())).encode()
    marks = sorted((html.find(mark.encode()), name) for name, mark in stand_ins.items())
    pieces, start = [], 0
    for at, name in marks:
        mark = stand_ins[name].encode()
        if at < 0 or html.count(mark) != 1:
            raise ValueError(f"{template} writes {name} other than once")
        pieces += [html[start:at], bodies[name]]
        start = at + len(mark)
    return Response(b"".join([*pieces, html[start:]]), mimetype="text/html")


_STAND_IN = "<!--tracker-stored-body:{}-->"
_RAG = b"tracker-rag"   # what templates/layout.html looks for in the page's content
