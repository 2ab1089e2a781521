"""Writing a message: plain text and HTML (GOV.UK email style) from templates/messages/.

What a message may carry: titles, dates, counts and links, and the council's name. Never a
narrative, an answer's text, or anything about a child or a family: the templates are given
only those fields, and tests/messages/test_content.py reads every kind for narrative text.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

from flask import current_app

from tracker.models import Message, User

LINK_PLACEHOLDER = "((link))"


def fill(body: str, message: Message) -> str:
    """Put a one-time link, kept only until the message leaves, where the body says ((link))."""
    return body.replace(LINK_PLACEHOLDER, message.secret_link or "(link no longer available)")


@functools.lru_cache(maxsize=8)
def _adapter(url_map: Any, base_url: str) -> Any:
    base = urlsplit(base_url)
    return url_map.bind(base.netloc, script_name=base.path or "/",
                        url_scheme=base.scheme or "https")


def link(endpoint: str, **values: Any) -> str:
    """An absolute link to a page, built from BASE_URL (commands have no request to copy)."""
    anchor = values.pop("_anchor", None)
    adapter = _adapter(current_app.url_map, current_app.config["BASE_URL"])
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def compose(kind: str, recipient: User | None, subject: str, *, to_address: str | None = None,
            page_link: str, dedupe_key: str | None = None, secret_link: str | None = None,
            **context: Any) -> Message:
    """A message of ``kind`` (templates/messages/<kind>.txt and .html), not yet queued."""
    council = current_app.config["COUNCIL_NAME"]
    service = current_app.config["SERVICE_NAME"]
    values = {"council": council, "service": service, "recipient": recipient,
              "subject": subject, "link": page_link, **context}
    env = current_app.jinja_env  # no request: the pages' context processors are not wanted
    text = (env.get_template(f"messages/{kind}.txt").render(values).strip()
            + f"\n\n--\n{service}, {council}. Do not reply to this email: sign in to the "
            "tracker to answer.\n")
    html = env.get_template(f"messages/{kind}.html").render(values)
    return Message(
        kind=kind, recipient_id=recipient.id if recipient else None,
        to_address=(to_address or (recipient.email if recipient else "")),
        subject=f"{subject} – {council}"[:300], body_text=text, body_html=html,
        personalisation={"subject": f"{subject} – {council}"[:300],
                         "name": recipient.name if recipient else "",
                         "council": council, "link": page_link},
        dedupe_key=dedupe_key, secret_link=secret_link)


@dataclass(frozen=True)
class Pending:
    """A message not yet written: its key first, so a run skips known keys before the work
    of writing the message (a second run, or a catch-up, writes nothing twice)."""

    key: str
    build: Callable[[], Message]


@dataclass(frozen=True)
class Person:
    """What a message needs of its recipient, read once: writing it touches no database."""

    id: int
    name: str
    email: str


def later(kind: str, recipient: User | None, subject: str, *, dedupe_key: str,
          **kwargs: Any) -> Pending:
    person = Person(recipient.id, recipient.name, recipient.email) if recipient else None
    build = functools.partial(compose, kind, person, subject,  # type: ignore[arg-type]
                              dedupe_key=dedupe_key, **kwargs)
    return Pending(dedupe_key, build)
