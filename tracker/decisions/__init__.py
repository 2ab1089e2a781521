"""Decisions: the register, the decision page, call-in, and reading published notices."""
