"""Reaching people: the outbox, its transports, and what is sent when (README, "Email")."""
