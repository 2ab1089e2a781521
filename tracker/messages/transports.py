"""The two ways a message leaves: the council's SMTP relay (standard library ``smtplib``) or
GOV.UK Notify (its official client). Chosen by configuration; with neither, ``configured``
answers None and messages stay in the outbox.

A transport raises ``Temporary`` for what may work later (a refused connection, a time-out,
4xx answers, Notify's rate limit or server errors) and ``Permanent`` for what never will
(an address the relay rejects for good, a request Notify calls bad).
"""
from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from email.header import Header
from email.policy import compat32
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
from typing import Any, Iterator, Protocol

from flask import current_app

from tracker.messages.composing import fill
from tracker.models import Message


# smtplib sends bytes as given: lines must already end in CRLF (RFC 5321).
SMTP_LINES = compat32.clone(linesep="\r\n")


class Temporary(Exception):
    pass


class Permanent(Exception):
    pass


class Connection(Protocol):
    def send(self, message: Message, text: str, html: str) -> str | None: ...


class Transport(Protocol):
    name: str

    def connect(self) -> contextlib.AbstractContextManager[Connection]: ...


def _reason(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".strip()
    return text[:480]


def _answer(code: int, said: bytes | str) -> str:
    text = said.decode(errors="replace") if isinstance(said, bytes) else str(said)
    return f"The mail server answered {code} {text}"[:480]


# --- SMTP ------------------------------------------------------------------------------------
class SmtpConnection:
    def __init__(self, smtp: smtplib.SMTP, sender: str):
        self.smtp = smtp
        self.sender = sender

    def send(self, message: Message, text: str, html: str) -> str | None:
        email = MIMEMultipart("alternative")
        email["Subject"] = Header(message.subject, "utf-8")
        email["From"] = self.sender
        email["To"] = message.to_address
        email["Date"] = formatdate(localtime=False)
        email["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        email.attach(MIMEText(text, "plain", "utf-8"))
        email.attach(MIMEText(html, "html", "utf-8"))
        try:
            refused = self.smtp.sendmail(self.sender, [message.to_address],
                                         email.as_bytes(policy=SMTP_LINES))
        except smtplib.SMTPRecipientsRefused as error:
            answers = list(error.recipients.values())
            code, said = answers[0] if answers else (0, b"")
            raise (Permanent if code >= 500 else Temporary)(_answer(code, said))
        except smtplib.SMTPResponseException as error:
            raise (Permanent if error.smtp_code >= 500 else Temporary)(
                _answer(error.smtp_code, error.smtp_error))
        except (smtplib.SMTPException, OSError) as error:
            raise Temporary(_reason(error))
        if refused:
            raise Permanent(f"Refused: {refused}"[:480])
        return str(email["Message-ID"])


class SmtpTransport:
    name = "smtp"

    def __init__(self, config: dict[str, Any]):
        self.host = config["MAIL_SERVER"]
        self.port = int(config["MAIL_PORT"])
        self.use_tls = bool(config["MAIL_USE_TLS"])
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.sender = config["MAIL_FROM"]
        self.timeout = float(config["MAIL_TIMEOUT"])

    @contextlib.contextmanager
    def connect(self) -> Iterator[SmtpConnection]:
        """One connection for a batch (the relay is asked once, not once per message)."""
        try:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
        except (smtplib.SMTPException, OSError, socket.timeout) as error:
            raise Temporary(_reason(error)) from error
        try:
            yield SmtpConnection(smtp, self.sender)
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.quit()


# --- GOV.UK Notify ---------------------------------------------------------------------------
class NotifyConnection:
    def __init__(self, client: Any, templates: dict[str, str]):
        self.client = client
        self.templates = templates

    def send(self, message: Message, text: str, html: str) -> str | None:
        from notifications_python_client.errors import APIError, TokenError

        template_id = self.templates.get(message.kind)
        if not template_id:
            raise Temporary(f"No Notify template id is set for {message.kind} messages "
                            f"(NOTIFY_TEMPLATE_{message.kind.upper()})")
        personalisation = {key: fill(value, message) if isinstance(value, str) else value
                           for key, value in (message.personalisation or {}).items()}
        personalisation["body"] = text
        try:
            answer = self.client.send_email_notification(
                email_address=message.to_address, template_id=template_id,
                personalisation=personalisation, reference=f"message-{message.id}")
        except APIError as error:
            status = getattr(error, "status_code", 0) or 0
            reason = f"Notify answered {status}: {error.message}"[:480]
            if status == 400:
                raise Permanent(reason) from error
            raise Temporary(reason) from error
        except TokenError as error:
            raise Temporary(_reason(error)) from error
        except OSError as error:
            raise Temporary(_reason(error)) from error
        return str(answer.get("id")) if isinstance(answer, dict) else None


class NotifyTransport:
    name = "notify"

    def __init__(self, config: dict[str, Any]):
        self.api_key = config["NOTIFY_API_KEY"]
        self.base_url = config.get("NOTIFY_BASE_URL")
        self.templates = dict(config.get("NOTIFY_TEMPLATES") or {})
        self.timeout = float(config["MAIL_TIMEOUT"])

    @contextlib.contextmanager
    def connect(self) -> Iterator[NotifyConnection]:
        from notifications_python_client.notifications import NotificationsAPIClient

        kwargs: dict[str, Any] = {"timeout": self.timeout}
        if self.base_url:
            kwargs["base_url"] = self.base_url
        try:
            client = NotificationsAPIClient(self.api_key, **kwargs)
        except (AssertionError, ValueError, IndexError) as error:
            raise Temporary(f"NOTIFY_API_KEY is not a Notify API key: {error}"[:480]) from error
        yield NotifyConnection(client, self.templates)


def configured(config: dict[str, Any] | None = None) -> Transport | None:
    """Notify when NOTIFY_API_KEY is set, else SMTP when MAIL_SERVER is, else none."""
    config = config if config is not None else current_app.config
    if config.get("NOTIFY_API_KEY"):
        return NotifyTransport(config)
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return None
