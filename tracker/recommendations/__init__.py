"""Recommendations, their executive responses, actions, progress updates, challenges and
sign-off (docs/rules-of-progress.md); the rules of progress are tracker.progress, reached only through
``facts.py``.

Modules: facts (rows -> progress facts, eager loading, roll-ups), services (every write,
with the role table, the call-in guard and the audit), queries (reads), forms, blueprint
(``bp`` and shared view steps), views / views_work / views_csv (routes), csv_io / csv_plan
(the CSV layout, export, checking and applying), commands (CLI), demo.

Decisions where the rules (docs/) or the issue left a choice:

* School leads read the recommendations (with actions and progress updates) of Open
  decisions, since they see "decisions and progress" of Open decisions; never those of an
  exempt decision, nor a scrutiny recommendation not yet taken up (it has no decision yet),
  nor challenges or the audit history (their history is that of their own schools).
  The executive response table and "my actions" are for staff. Withdrawn recommendations
  are left out of every list; an administrator can still open one by its address.
* Call-in guards adding an action, an update recording "in progress" or "complete", and
  sign-off. "Not started", "paused" and "cancelled" may be recorded while a decision is open
  to call-in or called in: they record no work started. A scrutiny recommendation not yet
  taken up under a decision part gets no actions (nor work) until it is taken up.
* An action's due date is set once; only a progress update revises it, with a reason.
  An update needs a RAG while the action is in progress or paused; complete and cancelled
  take none. Evidence: up to three links per update (more with another update).
* ``actions.status/rag/current_due_on`` cache the rules' answer for SQL lists (overdue,
  "my actions"), written only by services._refresh_cache; ``rag`` there is the RAG as last
  entered, while the RAG shown is always computed (overdue red, complete blue).
* Sign-off needs the recommendation "awaiting sign-off" as the rules judge it today, and its
  intended outcome and measure stated. Sign-off, closing another way, re-opening, undoing a
  sign-off and moving the impact review date are rows of a closing history (closing.py,
  views_closing.py), never edited; the sign-off columns on recommendations are a copy of the
  sign-off standing now. A closed recommendation must be re-opened before it is closed
  another way. The impact review is recorded by the owner once due and confirmed once by a
  member or an administrator; a fresh review after a re-opening and a new sign-off starts
  again.
* A challenge is answered once; the answer is final (a further question is a new challenge).
"""

# Keeps each recommendation's roll-up on every flush that changes it (rollups._after_flush).
from tracker.recommendations import rollups  # noqa: E402,F401
