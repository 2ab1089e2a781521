"""Request-wide protections: response headers, proxy trust, session lifetime, sign-in limits.

* Every response carries a content security policy with ``script-src 'self'`` and no
  exception for inline script or eval, ``frame-ancestors 'none'``, ``nosniff``, a referrer
  policy, and HSTS in production. Every page except static files is ``no-store``: schools
  share computers, and a signed-out browser must not show a cached page from the last user.
* Proxy headers (X-Forwarded-For, -Proto, -Host) are believed only for ``PROXY_FIX_HOPS``
  proxies; with 0 (the default) they are ignored, so no one can fake their address.
* A session lasts ``PERMANENT_SESSION_LIFETIME`` (8 hours) from sign-in, however busy it is.
* After signing in, ``next`` is followed only to a page of the tracker (``local_path``).
* A request may carry a little when not signed in, a form's worth when signed in, and a
  file's worth only on the upload routes for administrators (``limit_request_size``).
* A browser that has signed in is remembered (a signed cookie naming the accounts): when
  wrong passwords have slowed an account down, its owner's browser is not kept waiting.
* Sign-in attempts are limited per address (Flask-Limiter; Redis when
  ``RATELIMIT_STORAGE_URI`` is set, so every worker shares the count) on top of the
  per-account count kept in the database (``tracker.auth.services``).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_limiter import RequestLimit
from flask_login import logout_user
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.urls import iri_to_uri

from tracker.extensions import limiter

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SIGNED_IN_AT = "signed_in_at"


def init_app(app: Flask) -> None:
    hops = int(app.config.get("PROXY_FIX_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.before_request(end_expired_session)
    # First of all: before CSRF protection (or anything else) reads the body.
    app.before_request_funcs.setdefault(None, []).insert(0, limit_request_size)
    app.after_request(security_headers)


def security_headers(response: Any) -> Any:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if not request.path.startswith("/static/"):
        # Pages, exports and error pages alike: nothing a shared computer could show again.
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
        headers.pop("Last-Modified", None)
        headers.pop("ETag", None)
    return response


# --- How much a request may carry -----------------------------------------------------------

MB = 1024 * 1024
# The routes that take a file, and the most each takes: for administrators only (the routes
# admit no one else, and the size is granted before the route is reached, so it checks too).
UPLOAD_LIMITS: dict[str, int] = {
    "schools.import_schools": 61 * MB,  # a whole-England GIAS extract is about 60 MB
    # Notice files: up to 20 at once, each at most 10 MB (a PDF or Word document; its text at
    # most 1 MB), 40 MB together (decisions.notice_files, decisions.import_views).
    "decisions.import_notice": 41 * MB,
    "decisions.confirm_import": 3 * MB,  # the notice's text comes back to be saved
    "recommendations.import_recommendations": 16 * MB,  # forms.MAX_CSV_BYTES, and the form
    "recommendations.confirm_import": 22 * MB,  # the same file again, base64 in the form
}


def limit_request_size() -> None:
    """Set this request's limits before anything reads its body: werkzeug answers 413."""
    from flask_login import current_user

    from tracker.permissions import can_manage

    config = current_app.config
    limit = config["PUBLIC_REQUEST_BYTES"]
    # Only a form carries a body worth more: pages and static files load no user for this.
    if request.method == "POST" and current_user.is_authenticated:
        limit = config["FORM_REQUEST_BYTES"]
        upload = UPLOAD_LIMITS.get(request.endpoint or "")
        if upload and can_manage(current_user):
            limit = upload
    request.max_content_length = limit
    request.max_form_memory_size = limit


# --- Where to go after signing in -----------------------------------------------------------

def local_path(target: object) -> str | None:
    """``target`` as the Location header will carry it, if that is a path on this site;
    otherwise None (the caller goes home).

    The check is made on what the browser will receive, not on what was asked for: the
    response passes Location through ``iri_to_uri``, whose URL parsing drops tabs and line
    breaks (so ``/\t/evil.example`` would leave as ``//evil.example``), and browsers read a
    backslash as a slash. Any control character, space or backslash is refused outright."""
    if not isinstance(target, str) or not target.startswith("/") or len(target) > 2000:
        return None
    if any(ch in target for ch in "\\ ") or any(ord(ch) < 0x20 or ord(ch) == 0x7F
                                                for ch in target):
        return None
    try:
        sent = iri_to_uri(target)
    except ValueError:
        return None
    parts = urlsplit(sent)
    if parts.scheme or parts.netloc or not sent.startswith("/") or sent.startswith("//"):
        return None
    return sent


# --- Browsers that have signed in before ------------------------------------------------------

DEVICE_COOKIE = "tracker-device"
DEVICE_ACCOUNTS = 10  # a shared school computer may know several people


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="known-device")


def known_device_users() -> frozenset[int]:
    """The accounts that have signed in from this browser (within ``KNOWN_DEVICE_DAYS``)."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return frozenset()
    try:
        ids = _devices().loads(raw, max_age=current_app.config["KNOWN_DEVICE_DAYS"] * 86400)
    except BadData:
        return frozenset()
    return frozenset(i for i in ids if isinstance(i, int)) if isinstance(ids, list) else frozenset()


def remember_device(response: Any, user_id: int) -> Any:
    """Call on the response that completes a sign-in."""
    ids = [user_id, *sorted(known_device_users() - {user_id})][:DEVICE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE, _devices().dumps(ids), max_age=current_app.config["KNOWN_DEVICE_DAYS"] * 86400,
        httponly=True, secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        samesite="Lax")
    return response


def password_proof(nonce: str, user_id: int, right: bool) -> str:
    """What the session carries between the password and the code while an account is
    slowed down: a keyed hash if the password was right, random bytes if not. The session
    cookie is signed, not secret, so the verdict itself must not be readable in it."""
    if not right:
        return secrets.token_hex(32)
    return _proof(nonce, user_id)


def proof_holds(nonce: object, user_id: int, proof: object) -> bool:
    if not isinstance(nonce, str) or not isinstance(proof, str):
        return False
    return hmac.compare_digest(proof, _proof(nonce, user_id))


def _proof(nonce: str, user_id: int) -> str:
    key = str(current_app.secret_key or "").encode()
    return hmac.new(key, f"password-right:{user_id}:{nonce}".encode(), hashlib.sha256).hexdigest()


# --- Session lifetime ---------------------------------------------------------------------

def start_session() -> None:
    """Call right after ``login_user``: the session ends 8 hours from now, however used."""
    session.permanent = True
    session[SIGNED_IN_AT] = int(time.time())


def end_expired_session() -> Any:
    if "_user_id" not in session:
        return None
    started = session.get(SIGNED_IN_AT)
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    if isinstance(started, int) and 0 <= time.time() - started <= lifetime:
        return None
    logout_user()
    session.clear()
    if request.endpoint == "static":
        return None
    flash("Your session has ended. Sign in again.", "info")
    if request.method == "GET":
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    return redirect(url_for("auth.sign_in"))


# --- Sign-in limits per address -----------------------------------------------------------

@limiter.request_filter
def _limits_switched_off() -> bool:
    """Each app decides for itself (the limiter object is shared by every app in a process,
    as in the test suite, which switches limits off except where it tests them)."""
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def _sign_in_limit_value() -> str:
    return str(current_app.config["SIGN_IN_LIMIT"])


def _sign_in_limit_breached(limit: RequestLimit) -> None:
    # Logged, not audited: a flood of refused requests must not flood the audit trail.
    # The refusal reveals nothing about any account: every address gets the same page.
    current_app.logger.warning("Sign-in limit %s reached for %s on %s", limit.limit,
                               request.remote_addr, request.path)


# One count per address shared by the password step and the second-factor step.
sign_in_limit = limiter.shared_limit(
    _sign_in_limit_value, scope="sign-in", methods=["POST"],
    on_breach=_sign_in_limit_breached)
