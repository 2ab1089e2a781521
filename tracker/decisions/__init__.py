"""Decisions: the register, the decision page, call-in, and reading published notices.

(Team note while several engineers work in this tree: read /tmp/conventions.md before
committing — commit only your own paths, never `git add -A` or `git commit -a`.)
"""
