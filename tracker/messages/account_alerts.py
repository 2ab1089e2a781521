"""Telling a person about their own account: when repeated wrong passwords slow its sign-in
down (docs/roles-and-permissions.md, "Signing in").

The message is queued in the transaction that counts the failure, once per episode (the
failure that starts the slowing, never each attempt after it); the person trying to sign in
sees the same answer whether or not the address has an account, and nothing says a message
was sent. The message carries no address, browser or location of the attempts: only that
they happened, when, and what to do.
"""
from __future__ import annotations

from tracker.clock import to_london
from tracker.messages import outbox, recipients
from tracker.messages.composing import compose, link
from tracker.models import Message, User


def queue_slowed_down(user: User, failures: int) -> Message | None:
    """Queue "sign-in to your account was slowed down" (the caller commits). The key names
    the episode by the moment the slowing ends, so a second worker counting the same
    failure cannot queue it twice."""
    if not user.active or not recipients.valid_address(user.email) or user.locked_until is None:
        return None
    moment = to_london(user.locked_until)
    message = compose(
        "sign_in_slowed", user, "Sign-in to your account was slowed down",
        page_link=link("messages.forgot_password"),
        dedupe_key=f"sign_in_slowed:{user.id}:{user.locked_until.isoformat()}",
        failures=failures, on=moment)
    return outbox.add(message)
