"""Request ids and logs a monitoring system can read.

* Every request has an id: the ``X-Request-ID`` a proxy or load balancer sent, if it looks
  like one (8 to 128 letters, digits, ``-``, ``_``, ``.``), else a new random one. It goes
  back in the ``X-Request-ID`` response header and on error pages, so a person can quote it
  and IT can find the request in the logs of whichever host served it.
* With ``LOG_FORMAT=json`` (production's default) every log line is one JSON object:
  ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, ``request_id`` and
  ``user_id`` (during a request), and for the line each request ends with: ``method``,
  ``route`` (the route's pattern, e.g. ``/decisions/<int:decision_id>``: never the address
  itself, which may carry an invitation token, nor the query string), ``endpoint``,
  ``status`` and ``duration_ms``. An exception is written in the same line, as ``exception``.
* Health checks that pass are not logged: a load balancer asks every few seconds.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")  # the whole header, fullmatch
QUIET_WHEN_OK = frozenset({"health.healthz", "health.readyz"})
REQUEST_LOGGER = "tracker.requests"
# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Also named by deploy/gunicorn.conf.py for gunicorn's own
    loggers, so every line a host writes parses the same way."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            line["request_id"] = g.get("request_id")
            line["user_id"] = _user_id()
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def _user_id() -> int | None:
    """The signed-in user's id, if this request has loaded them: a log line never queries
    the database (which may be the thing that is down)."""
    user = g.get("_login_user")  # where Flask-Login keeps the user it loaded
    return int(user.id) if user is not None and user.is_authenticated else None


def init_app(app: Flask) -> None:
    if app.config.get("LOG_FORMAT") == "json":
        _use_json(app)
    # First of all before-request functions, so a request refused early (the sign-in limit,
    # an ended session) still has its id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)


def _use_json(app: Flask) -> None:
    """Send the app's loggers (``tracker`` and below) to stderr as JSON, once per process."""
    logger = logging.getLogger("tracker")
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.handlers = [handler]  # replaces Flask's default handler
        # Python's warnings become log lines too, rather than plain text on stderr.
        logging.captureWarnings(True)
        logging.getLogger("py.warnings").handlers = [handler]
        logging.getLogger("py.warnings").propagate = False
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logger.propagate = False


def _start() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Any) -> Any:
    rid = g.get("request_id")
    if rid is None:  # a request that failed before _start ran
        rid = g.request_id = uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = rid
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    if request.endpoint in QUIET_WHEN_OK and response.status_code == 200:
        return response
    rule = request.url_rule.rule if request.url_rule is not None else None
    level = logging.ERROR if response.status_code >= 500 else logging.INFO
    logging.getLogger(REQUEST_LOGGER).log(
        level, "%s %s %s", request.method, rule or "(no route)", response.status_code,
        extra={"method": request.method, "route": rule, "endpoint": request.endpoint,
               "status": response.status_code, "duration_ms": duration})
    return response
