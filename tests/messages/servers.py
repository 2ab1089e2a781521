"""Real servers on 127.0.0.1 for the messages tests: an SMTP server (aiosmtpd) that can be
told to refuse, one that never answers (a time-out), and a stand-in for GOV.UK Notify's
API that checks every request as Notify documents it and answers as Notify does."""
from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return body.get_content()


@dataclass
class SmtpHandler:
    received: list[Received] = field(default_factory=list)
    refuse_with: str | None = None  # e.g. "451 4.3.0 Try again later"
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse_with:
            return self.refuse_with
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.handler = SmtpHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received


class SilentServer:
    """Accepts connections and never says a word: an SMTP client times out."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self.held.append(conn)
            except OSError:
                continue

    def __enter__(self) -> SilentServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        self.thread.join()
        for conn in self.held:
            conn.close()
        self.sock.close()


# --- GOV.UK Notify ---------------------------------------------------------------------------
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"test_key-{SERVICE_ID}-{SECRET}"


def notify_error(status: int, error: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"status_code": status, "errors": [{"error": error, "message": message}]}


class NotifyStandIn:
    """POST /v2/notifications/email as Notify's API documentation describes it: a bearer JWT
    (HS256, signed with the API key's secret, iss = service id, iat within 30 seconds), a JSON
    body with email_address, template_id and personalisation; 201 with the notification, or
    Notify's error answers (400 BadRequestError, 403 AuthError, 429 RateLimitError, 500)."""

    def __init__(self, templates: set[str]):
        self.templates = templates
        self.accepted: list[dict[str, Any]] = []
        self.refused: list[tuple[int, str]] = []
        self.force: tuple[int, dict[str, Any]] | None = None
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                status, answer = stand_in.answer(self.path, dict(self.headers), raw)
                if status >= 400:
                    stand_in.refused.append((status, answer["errors"][0]["error"]))
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> NotifyStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any]]:
        if path != "/v2/notifications/email":
            return notify_error(404, "NotFoundError", "Not Found")
        auth = headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return notify_error(401, "AuthError", "Unauthorized: authentication token must be provided")
        try:
            claims = jwt.decode(auth[7:], SECRET, algorithms=["HS256"],
                                options={"require": ["iss", "iat"]})
        except jwt.PyJWTError as error:
            return notify_error(403, "AuthError", f"Invalid token: {error}")
        if claims["iss"] != SERVICE_ID:
            return notify_error(403, "AuthError", "Invalid token: service not found")
        if abs(time.time() - claims["iat"]) > 30:
            return notify_error(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
        if headers.get("Content-Type", headers.get("Content-type")) != "application/json":
            return notify_error(400, "BadRequestError", "Content-Type must be application/json")
        body = json.loads(raw)
        for name in ("email_address", "template_id"):
            if name not in body:
                return notify_error(400, "ValidationError", f"{name} is a required property")
        if body["template_id"] not in self.templates:
            return notify_error(400, "BadRequestError", "Template not found")
        if not isinstance(body.get("personalisation", {}), dict):
            return notify_error(400, "ValidationError", "personalisation is not of type object")
        if "@" not in body["email_address"]:
            return notify_error(400, "ValidationError", "email_address Not a valid email address")
        if self.force is not None:
            return self.force
        self.accepted.append(body)
        ident = str(uuid.uuid4())
        return 201, {
            "id": ident, "reference": body.get("reference"),
            "content": {"subject": body.get("personalisation", {}).get("subject", ""),
                        "body": body.get("personalisation", {}).get("body", ""),
                        "from_email": "tracker@notifications.service.gov.uk"},
            "uri": f"{self.url}/v2/notifications/{ident}",
            "template": {"id": body["template_id"], "version": 1,
                         "uri": f"{self.url}/services/{SERVICE_ID}/templates/{body['template_id']}"},
        }
