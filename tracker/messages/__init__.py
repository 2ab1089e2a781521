"""Reaching people: the outbox, its transports, and what is sent when (docs/roles-and-permissions.md for who is told what; the outbox rules in tracker/messages/outbox.py)."""
